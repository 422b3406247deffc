/** Makes a fresh id with the given prefix, e.g. `sess_` or `msg_`. */
export type IdGenerator = (prefix: string) => string;

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

const idLength = 20;
// Random bytes for 256 ids at a time: getRandomValues is a system call, and every request
// needs at least one id (its request id).
let pool = new Uint8Array(0);
let used = 0;

/** 20 random characters from a 62-letter alphabet (about 119 bits), via Web Crypto. */
export const randomId: IdGenerator = (prefix) => {
  if (used + idLength > pool.length) {
    pool = globalThis.crypto.getRandomValues(new Uint8Array(idLength * 256));
    used = 0;
  }
  let id = prefix;
  // 256 % 62 leaves a small bias; fine for ids that only need to be unique and unguessable-ish.
  for (let i = used; i < used + idLength; i++) id += alphabet[pool[i]! % alphabet.length];
  used += idLength;
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
