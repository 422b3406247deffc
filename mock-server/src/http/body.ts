import { assertJsonDepth, maxBodyDepth } from './depth.js';
import { UnsupportedMediaTypeError, ValidationError } from './errors.js';
import type { BodyKind } from './routes.js';

/** `application/json`, with or without parameters such as `charset`. */
export function isJsonContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

export function toBytes(raw: string | Uint8Array | undefined): Uint8Array {
  if (raw === undefined) return new Uint8Array(0);
  return typeof raw === 'string' ? new TextEncoder().encode(raw) : raw;
}

/** A request body, read once: its bytes, its JSON value when it parsed, and what the operation gets. */
export interface RequestBody {
  bytes: Uint8Array;
  /** Present when the bytes are JSON sent as JSON. */
  json?: { value: unknown };
  /** The value the operation takes; undefined when there is none. */
  value: unknown;
  /** Set when the body is not acceptable; thrown when the operation runs. */
  error?: unknown;
}

/**
 * Reads the body an operation takes, parsing it at most once. `json` bodies are required and
 * must be JSON; `none` means no body, though an empty one or `{}` is accepted; `ignored` bodies
 * (GET, DELETE) are not read at all.
 */
export function readRequestBody(kind: BodyKind, raw: string | Uint8Array | undefined, contentType: string | undefined): RequestBody {
  if (kind === 'ignored') return { bytes: new Uint8Array(0), value: undefined };
  const bytes = toBytes(raw);
  const body: RequestBody = { bytes, value: undefined };
  try {
    if (bytes.length > 0 && isJsonContentType(contentType)) {
      const value = parseJson(bytes);
      // Before anything recursive sees the value: the idempotency fingerprint, copies, validation.
      assertJsonDepth(value, 'body', maxBodyDepth);
      body.json = { value };
    }
    body.value = checkKind(kind, body, contentType);
  } catch (error) {
    body.error = error;
  }
  return body;
}

function checkKind(kind: 'json' | 'none', body: RequestBody, contentType: string | undefined): unknown {
  const empty = body.bytes.length === 0;
  if (kind === 'json') {
    if (contentType !== undefined && !isJsonContentType(contentType)) throw new UnsupportedMediaTypeError(contentType);
    if (empty) throw new ValidationError([{ path: 'body', message: 'A JSON body is required' }]);
    if (contentType === undefined) throw new UnsupportedMediaTypeError(undefined);
    return body.json!.value;
  }
  if (empty) return undefined;
  if (!isJsonContentType(contentType)) throw new UnsupportedMediaTypeError(contentType);
  const value = body.json!.value;
  const isEmptyObject = value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;
  if (!isEmptyObject) throw new ValidationError([{ path: 'body', message: 'This operation takes no body: send none, or {}' }]);
  return undefined;
}

function parseJson(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ValidationError([{ path: 'body', message: 'The body is not valid UTF-8' }], 'Malformed JSON body');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ValidationError([{ path: 'body', message: `Malformed JSON: ${reason}` }], 'Malformed JSON body');
  }
}

/** What the journal shows of a body: its JSON value, else its text, else null. */
export function bodyForRecord(body: RequestBody | undefined): unknown {
  if (!body || body.bytes.length === 0) return null;
  return body.json ? body.json.value : new TextDecoder().decode(body.bytes);
}
