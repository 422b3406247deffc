import { ValidationError } from '../core/errors.js';
import { UnsupportedMediaTypeError } from './errors.js';
import type { BodyKind } from './routes.js';

/** `application/json`, with or without parameters such as `charset`. */
export function isJsonContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

export function toBytes(raw: string | Uint8Array | undefined): Uint8Array {
  if (raw === undefined) return new Uint8Array(0);
  return typeof raw === 'string' ? new TextEncoder().encode(raw) : raw;
}

/**
 * Reads the body an operation takes. `json` bodies are required and must be JSON; `none` means
 * no body, though an empty one or `{}` is accepted; `ignored` bodies (GET, DELETE) are not read.
 * Returns the parsed value, or `undefined` when there is no body to use.
 */
export function readBody(kind: BodyKind, bytes: Uint8Array, contentType: string | undefined): unknown {
  if (kind === 'ignored') return undefined;
  const empty = bytes.length === 0;
  if (kind === 'json') {
    if (contentType !== undefined && !isJsonContentType(contentType)) throw new UnsupportedMediaTypeError(contentType);
    if (empty) throw new ValidationError([{ path: 'body', message: 'A JSON body is required' }]);
    if (contentType === undefined) throw new UnsupportedMediaTypeError(undefined);
    return parseJson(bytes);
  }
  if (empty) return undefined;
  if (!isJsonContentType(contentType)) throw new UnsupportedMediaTypeError(contentType);
  const value = parseJson(bytes);
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
