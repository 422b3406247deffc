import { InvalidFieldError } from './errors.js';

/** The sort key of a listed session: newest first by `created_at`, then by `id`. */
export interface ListPosition {
  created_at: number;
  id: string;
}

/** Orders positions newest first; ties broken by id, descending. */
export function newestFirst(a: ListPosition, b: ListPosition): number {
  if (a.created_at !== b.created_at) return b.created_at - a.created_at;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Whether `item` comes strictly after `cursor` in newest-first order. */
export function comesAfter(item: ListPosition, cursor: ListPosition): boolean {
  return newestFirst(cursor, item) < 0;
}

// The cursor is base64url of `{"t": created_at, "i": id}`: opaque to clients, stable across
// restarts, and independent of which sessions were added or removed in between.
export function encodeCursor(position: ListPosition): string {
  const json = JSON.stringify({ t: position.created_at, i: position.id });
  // Ids are ASCII, so `btoa` takes the JSON as it is; anything else goes through its UTF-8 bytes.
  let binary = json;
  if (!/^[\x00-\x7f]*$/.test(json)) {
    binary = '';
    for (const byte of new TextEncoder().encode(json)) binary += String.fromCharCode(byte);
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Decodes a cursor or throws an `InvalidFieldError` naming `cursor`. */
export function decodeCursor(cursor: string): ListPosition {
  const invalid = () => new InvalidFieldError('cursor', 'pass back the next_cursor of a previous page unchanged');
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    const binary = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw invalid();
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    !Number.isSafeInteger((parsed as { t?: unknown }).t) ||
    typeof (parsed as { i?: unknown }).i !== 'string'
  ) {
    throw invalid();
  }
  const { t, i } = parsed as { t: number; i: string };
  return { created_at: t, id: i };
}
