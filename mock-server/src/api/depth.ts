import { ValidationError } from './errors.js';

/** How deep JSON the API stores (`context`) may nest (API-DECISIONS: "Nesting"). */
export const maxJsonDepth = 64;

/**
 * Refuses a JSON value nested deeper than `maxJsonDepth`, naming the path where it goes too deep.
 * Iterative, so that no depth (a 1 MiB body can nest half a million levels) can exhaust the stack.
 */
export function assertJsonDepth(value: unknown, path: string): void {
  const pending: Array<[unknown, string, number]> = [[value, path, 0]];
  while (pending.length > 0) {
    const [current, at, depth] = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= maxJsonDepth) {
      throw new ValidationError([{ path: at, message: `Nested deeper than ${maxJsonDepth} levels` }]);
    }
    for (const [key, child] of Object.entries(current)) pending.push([child, `${at}.${key}`, depth + 1]);
  }
}
