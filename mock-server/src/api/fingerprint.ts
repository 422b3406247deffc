/**
 * Identifies a request for idempotency: method, path and body. A JSON body is compared by
 * content (key order and whitespace do not matter), anything else byte for byte.
 */
export async function requestFingerprint(method: string, path: string, body: Uint8Array): Promise<string> {
  const text = new TextDecoder().decode(body);
  let canonical = text;
  try {
    canonical = canonicalJson(JSON.parse(text));
  } catch {
    // Not JSON: compare the raw text.
  }
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${method.toUpperCase()} ${path}\n${canonical}`));
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
