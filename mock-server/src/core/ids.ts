/** Makes a fresh id with the given prefix, e.g. `sess_` or `msg_`. */
export type IdGenerator = (prefix: string) => string;

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 20 random characters from a 62-letter alphabet (about 119 bits), via Web Crypto. */
export const randomId: IdGenerator = (prefix) => {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(20));
  let id = prefix;
  // 256 % 62 leaves a small bias; fine for ids that only need to be unique and unguessable-ish.
  for (const byte of bytes) id += alphabet[byte % alphabet.length];
  return id;
};

/**
 * Deterministic ids (`sess_0000000000000001`, ...) for reproducible tests.
 * Ids stay unique per prefix and keep the spec's pattern.
 */
export function sequentialIds(): IdGenerator {
  const counters = new Map<string, number>();
  return (prefix) => {
    const next = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, next);
    return prefix + String(next).padStart(16, '0');
  };
}
