import { describe, expect, it } from 'vitest';
import * as sdk from 'fold-sessions';
import { zSession } from 'fold-sessions/zod';

describe('fold-sessions', () => {
  it('exports the client, the errors and guards, and the pages', () => {
    expect(Object.keys(sdk).sort()).toEqual(
      [
        'APIConnectionError',
        'APIError',
        'APIPromise',
        'APITimeoutError',
        'APIUserAbortError',
        'AuthenticationError',
        'BadRequestError',
        'ConflictError',
        'CursorPage',
        'FoldSessions',
        'FoldSessionsError',
        'InternalServerError',
        'NotFoundError',
        'PagePromise',
        'PermissionDeniedError',
        'RateLimitError',
        'ResponseValidationError',
        'UnprocessableEntityError',
        'WaitTimeoutError',
        'isAPIError',
        'isFoldSessionsError',
      ].sort(),
    );
  });

  it('exports the generated types', () => {
    const session: sdk.Session | undefined = undefined;
    const status: sdk.SessionStatus = 'active';
    const code: sdk.ErrorCode = 'NOT_FOUND';
    expect([session, status, code]).toEqual([undefined, 'active', 'NOT_FOUND']);
  });
});

describe('fold-sessions/zod', () => {
  it('exposes the generated schemas', () => {
    expect(zSession.safeParse({}).success).toBe(false);
  });
});
