import type { RequestBody } from './body.js';

/**
 * Identifies a request for idempotency: method, path with its query string, and body. A JSON
 * body is compared by content (key order and whitespace do not matter), anything else byte for
 * byte. Uses the body as already read: nothing is parsed a second time.
 */
export async function requestFingerprint(method: string, target: string, body: RequestBody): Promise<string> {
  const content = body.json ? canonicalJson(body.json.value) : new TextDecoder().decode(body.bytes);
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${method.toUpperCase()} ${target}\n${content}`));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
