import { ApiError, PayloadTooLargeError, ValidationError } from './errors.js';

/** The body codings the API accepts (docs/decisions.md#check-order): RFC 9110's gzip and deflate (zlib). */
const supported = new Set(['gzip', 'deflate']);

/**
 * Decodes a body sent with `Content-Encoding: gzip` or `deflate`, with the platform's
 * `DecompressionStream` (Node, browsers, MSW alike). An unknown coding is a 415 naming it; a body
 * that does not decode is a 400; one that decodes past `limit` is a 413.
 */
export async function decodeBody(raw: string | Uint8Array | undefined, encoding: string | undefined, limit: number): Promise<string | Uint8Array | undefined> {
  const coding = encoding?.trim().toLowerCase();
  if (!coding || coding === 'identity') return raw;
  if (!supported.has(coding)) {
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', `Content-Encoding ${encoding} is not supported`, {
      details: { content_encoding: encoding },
      hint: 'Send the body as is, or with Content-Encoding: gzip or deflate.',
    });
  }
  if (raw === undefined || raw.length === 0) return raw;
  const bytes = typeof raw === 'string' ? new TextEncoder().encode(raw) : raw;
  const reader = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream(coding as CompressionFormat)).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > limit) {
        await reader.cancel();
        throw new PayloadTooLargeError(limit);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof PayloadTooLargeError) throw error;
    throw new ValidationError([{ path: 'body', message: `The body is not valid ${coding} data` }], 'Malformed request body');
  }
  const decoded = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    decoded.set(chunk, at);
    at += chunk.length;
  }
  return decoded;
}
