import { ValidationError } from './errors.js';

/** How deep JSON the API stores (`context`) may nest (docs/decisions.md#nesting). */
export const maxJsonDepth = 64;

/**
 * How deep a whole request body may nest, checked as soon as it is parsed and before anything
 * recursive (the idempotency fingerprint, copies, validation) sees it. Twice `maxJsonDepth`, so
 * the precise check of the stored value (its own path and limit) answers every body up to here.
 */
export const maxBodyDepth = 2 * maxJsonDepth;

/**
 * Refuses a JSON value nested deeper than `maxJsonDepth`, naming the path where it goes too deep.
 * Iterative, so that no depth (a 1 MiB body can nest half a million levels) can exhaust the stack.
 */
export function assertJsonDepth(value: unknown, path: string, limit = maxJsonDepth): void {
  const pending: Array<[unknown, string, number]> = [[value, path, 0]];
  while (pending.length > 0) {
    const [current, at, depth] = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= limit) {
      throw new ValidationError([{ path: at, message: `Nested deeper than ${limit} levels` }]);
    }
    for (const [key, child] of Object.entries(current)) pending.push([child, `${at}.${key}`, depth + 1]);
  }
}
