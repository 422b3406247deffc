import { describe, expectTypeOf, it } from 'vitest';
import {
  APIConnectionError,
  APIError,
  APIPromise,
  CursorPage,
  FoldSessions,
  FoldSessionsError,
  isFoldSessionsError,
  NotFoundError,
  PagePromise,
  RateLimitError,
  BadRequestError,
  AuthenticationError,
  ConflictError,
  InternalServerError,
  UnprocessableEntityError,
  type ClientOptions,
  type DeletedSession,
  type ErrorCode,
  type MemoryQueryResult,
  type Message,
  type RequestOptions,
  type Session,
  type SessionWithMessages,
  type ValidationIssue,
  type WithResponse,
} from 'fold-sessions';

// Type-level tests: `npm run typecheck` fails when a return type widens (to any, unknown or a union).
const fold = new FoldSessions({ apiKey: 'k' });

describe('public types', () => {
  it('pins the return type of every method', () => {
    expectTypeOf(fold.sessions.create).returns.toEqualTypeOf<APIPromise<Session>>();
    expectTypeOf(fold.sessions.get).returns.toEqualTypeOf<APIPromise<SessionWithMessages>>();
    expectTypeOf(fold.sessions.list).returns.toEqualTypeOf<PagePromise<Session>>();
    expectTypeOf(fold.sessions.updateContext).returns.toEqualTypeOf<APIPromise<Session>>();
    expectTypeOf(fold.sessions.complete).returns.toEqualTypeOf<APIPromise<Session>>();
    expectTypeOf(fold.sessions.delete).returns.toEqualTypeOf<APIPromise<DeletedSession>>();
    expectTypeOf(fold.sessions.waitForSummary).returns.toEqualTypeOf<Promise<SessionWithMessages>>();
    expectTypeOf(fold.sessions.messages.add).returns.toEqualTypeOf<APIPromise<Message>>();
    expectTypeOf(fold.memory.query).returns.toEqualTypeOf<APIPromise<MemoryQueryResult>>();
    expectTypeOf(fold.withOptions).returns.toEqualTypeOf<FoldSessions>();
  });

  it('close() is a plain APIPromise<Session>, or the session with its messages once the summary is waited for', () => {
    expectTypeOf(fold.sessions.close('id')).toEqualTypeOf<APIPromise<Session>>();
    expectTypeOf(fold.sessions.close('id', { waitForSummary: true })).toEqualTypeOf<Promise<SessionWithMessages>>();
  });

  it('withResponse(), asResponse() and pages', async () => {
    expectTypeOf(fold.sessions.get('id').withResponse()).toEqualTypeOf<Promise<WithResponse<SessionWithMessages>>>();
    expectTypeOf<WithResponse<Session>['requestId']>().toEqualTypeOf<string | undefined>();
    expectTypeOf(fold.sessions.get('id').asResponse()).toEqualTypeOf<Promise<Response>>();
    expectTypeOf<Awaited<PagePromise<Session>>>().toEqualTypeOf<CursorPage<Session>>();
    expectTypeOf<CursorPage<Session>['items']>().toEqualTypeOf<Session[]>();
    expectTypeOf(fold.sessions.list().withResponse()).toEqualTypeOf<Promise<WithResponse<CursorPage<Session>>>>();
    expectTypeOf(fold.sessions.list().asResponse()).toEqualTypeOf<Promise<Response>>();
  });

  it('narrows every error class with instanceof and with the guard', () => {
    const error: unknown = new Error();
    if (isFoldSessionsError(error, NotFoundError)) {
      expectTypeOf(error).toEqualTypeOf<NotFoundError>();
      expectTypeOf(error.status).toEqualTypeOf<number>();
      expectTypeOf(error.code).toEqualTypeOf<'NOT_FOUND' | undefined>();
      expectTypeOf(error.requestId).toEqualTypeOf<string | undefined>();
    }
    if (isFoldSessionsError(error, RateLimitError)) expectTypeOf(error.retryAfter).toEqualTypeOf<number | undefined>();
    if (isFoldSessionsError(error, BadRequestError)) expectTypeOf(error.issues).toEqualTypeOf<ValidationIssue[]>();
    if (isFoldSessionsError(error)) expectTypeOf(error).toEqualTypeOf<FoldSessionsError>();
    if (error instanceof APIConnectionError) expectTypeOf(error).not.toMatchTypeOf<APIError>();
  });

  it("narrows each error class's code to the codes the spec documents for its status", () => {
    const error: unknown = new Error();
    if (error instanceof NotFoundError) expectTypeOf(error.code).toEqualTypeOf<'NOT_FOUND' | undefined>();
    if (error instanceof BadRequestError) expectTypeOf(error.code).toEqualTypeOf<'VALIDATION_ERROR' | undefined>();
    if (error instanceof AuthenticationError) expectTypeOf(error.code).toEqualTypeOf<'AUTH_REQUIRED' | 'AUTH_INVALID' | undefined>();
    if (error instanceof ConflictError) expectTypeOf(error.code).toEqualTypeOf<'CONFLICT' | undefined>();
    if (error instanceof UnprocessableEntityError) expectTypeOf(error.code).toEqualTypeOf<'IDEMPOTENCY_KEY_REUSED' | undefined>();
    if (error instanceof RateLimitError) expectTypeOf(error.code).toEqualTypeOf<'RATE_LIMITED' | 'USAGE_LIMIT_EXCEEDED' | undefined>();
    if (error instanceof InternalServerError) expectTypeOf(error.code).toEqualTypeOf<'INTERNAL_ERROR' | 'SERVICE_UNAVAILABLE' | undefined>();
    // A status without a class of its own keeps every code.
    if (error instanceof APIError) expectTypeOf(error.code).toEqualTypeOf<ErrorCode | undefined>();
  });

  it('no public type is any', () => {
    expectTypeOf<Session>().not.toBeAny();
    expectTypeOf<Session['context']>().not.toBeAny();
    expectTypeOf<SessionWithMessages['messages'][number]>().not.toBeAny();
    expectTypeOf<MemoryQueryResult['matches'][number]>().not.toBeAny();
    expectTypeOf<ClientOptions>().not.toBeAny();
    expectTypeOf<RequestOptions>().not.toBeAny();
    expectTypeOf<APIError['body']>().toBeUnknown();
    expectTypeOf(fold.sessions.create).parameters.not.toBeAny();
    expectTypeOf<Parameters<typeof fold.sessions.create>[0]>().not.toBeAny();
  });
});
