import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../../mock-server/src/core/cursor.js';

describe('list cursors', () => {
  it.each([
    ['an ASCII id', { created_at: 1_764_000_000_000, id: 'sess_AbC-_0123456789xyz' }],
    ['an id beyond ASCII (seeded data may hold one)', { created_at: 0, id: 'sess_é日本🙂' }],
  ])('round-trip %s through URL-safe base64 without padding', (_name, position) => {
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(position);
  });
});
