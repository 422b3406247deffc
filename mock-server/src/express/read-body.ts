import type { Request } from 'express';

/** The bytes of a request body exactly as sent (no decoding), or `tooLarge` past `limit`. */
export interface RawBody {
  bytes: Uint8Array | undefined;
  tooLarge: boolean;
}

/**
 * Reads the body as raw bytes, whatever its Content-Type and Content-Encoding: what they mean is
 * the API's to decide, after routing and authentication. Past `limit` it stops keeping bytes and
 * reads the rest off, so the client still gets its answer.
 */
export function readRawBody(req: Request, limit: number): Promise<RawBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.once('end', () => {
      if (tooLarge || size === 0) return resolve({ bytes: undefined, tooLarge });
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      resolve({ bytes: new Uint8Array(body.buffer, body.byteOffset, body.length), tooLarge });
    });
    // An aborted request is never answered; `close` without `end` settles nothing.
    req.once('error', () => resolve({ bytes: undefined, tooLarge: false }));
  });
}
