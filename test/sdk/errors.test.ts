import { describe, expect, it, vi } from 'vitest';
import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  FoldSessionsError,
  InternalServerError,
  isAPIError,
  isFoldSessionsError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ResponseValidationError,
  UnprocessableEntityError,
} from 'fold-sessions';
import { makeAPIError } from '../../sdk/src/errors.js';

const init = (
  status: number,
  body: unknown = { error: 'e', code: 'X', details: null },
  headers: Record<string, string> = {},
) => ['GET /sessions/sess_1', status, new Headers(headers), body] as const;

describe('makeAPIError', () => {
  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [422, UnprocessableEntityError],
    [429, RateLimitError],
    [500, InternalServerError],
    [503, InternalServerError],
    [599, InternalServerError],
    [413, APIError],
    [418, APIError],
  ])('maps %i to %o', (status, Class) => {
    const error = makeAPIError(...init(status));
    expect(error.constructor).toBe(Class);
    expect(error.name).toBe(Class.kind);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toBeInstanceOf(FoldSessionsError);
    expect(error).toBeInstanceOf(Error);
    expect(error.status).toBe(status);
  });

  it('reads code, details, hint and request id from the body and headers', () => {
    const error = makeAPIError(
      ...init(
        409,
        { error: 'Session is closed', code: 'CONFLICT', details: { status: 'closed' }, hint: 'Create a new session.' },
        { 'x-request-id': 'req_9' },
      ),
    );
    expect(error).toMatchObject({
      code: 'CONFLICT',
      details: { status: 'closed' },
      hint: 'Create a new session.',
      requestId: 'req_9',
    });
    expect(error.message).toBe(
      'GET /sessions/sess_1 failed with 409 CONFLICT: Session is closed. Create a new session. (request id req_9)',
    );
  });

  it('copes with an empty or foreign body', () => {
    const error = makeAPIError(...init(500, {}));
    expect(error.code).toBeUndefined();
    expect(error.details).toBeNull();
    expect(error.message).toBe('GET /sessions/sess_1 failed with 500 no error body');
  });

  it('gives BadRequestError the validation issues, or none', () => {
    const issues = [{ path: 'query.limit', message: 'Too big' }];
    expect((makeAPIError(...init(400, { error: 'e', code: 'VALIDATION_ERROR', details: { issues } })) as BadRequestError).issues).toEqual(issues);
    expect((makeAPIError(...init(400)) as BadRequestError).issues).toEqual([]);
  });

  it('gives RateLimitError the Retry-After seconds', () => {
    expect((makeAPIError(...init(429, {}, { 'retry-after': '7' })) as RateLimitError).retryAfter).toBe(7);
    expect((makeAPIError(...init(429, {}, { 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' })) as RateLimitError).retryAfter).toBeUndefined();
    expect((makeAPIError(...init(429)) as RateLimitError).retryAfter).toBeUndefined();
  });
});

describe('the other errors', () => {
  it('keep their cause and name', () => {
    const cause = new TypeError('fetch failed');
    const error = new APIConnectionError('GET /x could not reach the server', { cause });
    expect(error.cause).toBe(cause);
    expect(error.name).toBe('APIConnectionError');
    expect(new APITimeoutError('t')).toBeInstanceOf(APIConnectionError);
    expect(new APIUserAbortError('a').name).toBe('APIUserAbortError');
    expect(new ResponseValidationError('v', [], {}).name).toBe('ResponseValidationError');
  });
});

describe('isFoldSessionsError', () => {
  it('recognises the tree, with or without a class', () => {
    const error = makeAPIError(...init(429));
    expect(isFoldSessionsError(error)).toBe(true);
    expect(isFoldSessionsError(error, APIError)).toBe(true);
    expect(isFoldSessionsError(error, RateLimitError)).toBe(true);
    expect(isFoldSessionsError(error, NotFoundError)).toBe(false);
    expect(isFoldSessionsError(new APITimeoutError('t'), APIConnectionError)).toBe(true);
    expect(isFoldSessionsError(new APIConnectionError('c'), APITimeoutError)).toBe(false);
    expect(isAPIError(error)).toBe(true);
    expect(isAPIError(new APIConnectionError('c'))).toBe(false);
  });

  it('rejects look-alikes that are not from this package', () => {
    const domNotFound = new DOMException('gone', 'NotFoundError');
    const named = Object.assign(new Error('x'), { name: 'RateLimitError', status: 429 });
    for (const value of [domNotFound, named, new Error('x'), null, undefined, 'APIError', { status: 404 }]) {
      expect(isFoldSessionsError(value)).toBe(false);
      expect(isFoldSessionsError(value, NotFoundError)).toBe(false);
      expect(isAPIError(value)).toBe(false);
    }
  });

  it('works across two copies of the package, where instanceof does not', async () => {
    vi.resetModules();
    const other = await import('../../sdk/src/errors.js');
    expect(other.RateLimitError).not.toBe(RateLimitError);

    const foreign = other.makeAPIError(...init(429));
    expect(foreign).not.toBeInstanceOf(RateLimitError);
    expect(isFoldSessionsError(foreign, RateLimitError)).toBe(true);
    expect(isFoldSessionsError(foreign, APIError)).toBe(true);
    expect(isFoldSessionsError(foreign, ConflictError)).toBe(false);
    expect(isAPIError(foreign)).toBe(true);
    expect(other.isFoldSessionsError(makeAPIError(...init(404)), other.NotFoundError)).toBe(true);
  });
});
