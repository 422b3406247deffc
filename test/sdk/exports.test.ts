import { describe, expect, it } from 'vitest';
import { zSession } from 'fold-sessions/zod';

describe('fold-sessions/zod', () => {
  it('exposes the generated schemas', () => {
    expect(zSession.safeParse({}).success).toBe(false);
  });
});
