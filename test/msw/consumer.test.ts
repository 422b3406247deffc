// A consumer's test file: it imports only the packages' public entries.
import {
  APIConnectionError,
  APITimeoutError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  FoldSessions,
  InternalServerError,
  NotFoundError,
  RateLimitError,
  UnprocessableEntityError,
} from 'fold-sessions';
import { createSessionsHandlers, sequentialIds } from 'fold-sessions-mock/msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const { handlers, controller } = createSessionsHandlers();
const server = setupServer(...handlers);
const attempts: string[] = [];
// The copies this file's fetch makes, kept until the test ends: undici's Request follows its
// source's signal through a weak reference, so a copy that nothing holds can be collected and
// stop passing the SDK's timeout on to the request MSW answers.
const copies: Request[] = [];

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(async () => {
  server.resetHandlers();
  await controller.reset();
  attempts.length = 0;
  copies.length = 0;
});
afterAll(() => server.close());

const fold = new FoldSessions({
  apiKey: 'any-token',
  maxRetries: 2,
  fetch: (input, init) => {
    const request = new Request(input, init);
    copies.push(request);
    attempts.push(`${request.method} ${new URL(request.url).pathname}`);
    return globalThis.fetch(request);
  },
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('the whole lifecycle through the SDK', () => {
  it('creates, appends, reads, updates, lists, closes, remembers and deletes', async () => {
    const session = await fold.sessions.create({ name: 'Support chat', context: { plan: 'pro' } });
    expect(session).toMatchObject({ status: 'active', ttl_seconds: 3600, message_count: 0 });
    await fold.sessions.messages.add(session.id, { role: 'user', content: 'Where is my parcel?' });
    await fold.sessions.messages.add(session.id, { role: 'assistant', content: 'Your parcel ships today.' });
    const updated = await fold.sessions.updateContext(session.id, { plan: 'team' });
    expect(updated.context).toEqual({ plan: 'team' });

    const read = await fold.sessions.get(session.id);
    expect(read.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(read.message_count).toBe(2);

    const listed = [];
    for await (const s of fold.sessions.list({ status: 'active' })) listed.push(s.id);
    expect(listed).toEqual([session.id]);

    const closed = await fold.sessions.close(session.id);
    expect(closed).toMatchObject({ status: 'closed', summary_status: 'pending' });
    await controller.summaries.flush();
    expect((await fold.sessions.get(session.id)).summary_status).toBe('stored');
    const memory = await fold.memory.query({ query_text: 'parcel ships' });
    expect(memory.matches[0]?.metadata.session_id).toBe(session.id);

    const other = await fold.sessions.create({ name: 'Second' });
    expect((await fold.sessions.complete(other.id)).status).toBe('completed');
    expect(await fold.sessions.delete(session.id)).toEqual({ id: session.id, deleted: true });
    expect(await rejection(fold.sessions.get(session.id))).toBeInstanceOf(NotFoundError);
    expect((await controller.snapshot()).sessions.map((doc) => doc.session.id)).toEqual([other.id]);
  });

  it('expires a session when the clock moves past its TTL', async () => {
    const session = await fold.sessions.create({ name: 'Short', ttl_seconds: 60 });
    controller.clock.advance(60_000);
    const error = await rejection(fold.sessions.messages.add(session.id, { role: 'user', content: 'late' }));
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).details).toMatchObject({ status: 'expired' });
    expect((await fold.sessions.get(session.id)).status).toBe('expired');
  });
});

describe('every error code, as the reference server answers it', () => {
  it('400 VALIDATION_ERROR', async () => {
    const error = await rejection(fold.sessions.create({ name: '' }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).issues[0]?.path).toBe('body.name');
  });

  it('401 AUTH_REQUIRED and AUTH_INVALID', async () => {
    const anonymous = await fetch('https://api.fold.run/sessions');
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: 'AUTH_REQUIRED' });

    const strict = createSessionsHandlers({ keys: { good_key: 'org_1' } });
    server.use(...strict.handlers);
    const error = await rejection(new FoldSessions({ apiKey: 'bad_key', maxRetries: 0 }).sessions.list());
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ code: 'AUTH_INVALID' });
    const good = await new FoldSessions({ apiKey: 'good_key', maxRetries: 0 }).sessions.list();
    expect(good.items).toEqual([]);
  });

  it('404 NOT_FOUND, also for an unknown route', async () => {
    expect(await rejection(fold.sessions.get('sess_missing0000000000'))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    const response = await fetch('https://api.fold.run/nowhere', { headers: { authorization: 'Bearer x' } });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  it('409 CONFLICT on a closed session', async () => {
    const session = await fold.sessions.create({ name: 'Closed' });
    await fold.sessions.close(session.id);
    const error = await rejection(fold.sessions.updateContext(session.id, {}));
    expect(error).toMatchObject({ status: 409, code: 'CONFLICT', details: expect.objectContaining({ status: 'closed' }) });
  });

  it('413 PAYLOAD_TOO_LARGE and 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const big = await fetch('https://api.fold.run/sessions', {
      method: 'POST',
      headers: { authorization: 'Bearer x', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', context: { blob: 'x'.repeat(2 * 1024 * 1024) } }),
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    const text = await fetch('https://api.fold.run/sessions', {
      method: 'POST',
      headers: { authorization: 'Bearer x', 'content-type': 'text/plain' },
      body: 'name=x',
    });
    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect((await controller.snapshot()).sessions).toEqual([]);
  });

  it('422 IDEMPOTENCY_KEY_REUSED', async () => {
    await fold.sessions.create({ name: 'a' }, { idempotencyKey: 'key-1' });
    const error = await rejection(fold.sessions.create({ name: 'b' }, { idempotencyKey: 'key-1' }));
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    expect(error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('429, 500 and 503 injected, with Retry-After where the API sends it', async () => {
    controller.fail('listSessions', { status: 429, retryAfter: 7 });
    const limited = await rejection(fold.sessions.list({}, { maxRetries: 0 }));
    expect(limited).toBeInstanceOf(RateLimitError);
    expect(limited).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 7 });

    controller.fail('listSessions', { status: 500 });
    expect(await rejection(fold.sessions.list({}, { maxRetries: 0 }))).toBeInstanceOf(InternalServerError);

    controller.fail('listSessions', { status: 503, retryAfter: 2 });
    const unavailable = await rejection(fold.sessions.list({}, { maxRetries: 0 }));
    expect(unavailable).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect((unavailable as InternalServerError).headers.get('retry-after')).toBe('2');
  });
});

describe('faults', () => {
  it('a burst of two 503s is retried by the SDK to success', async () => {
    controller.fail('createSession', { status: 503, times: 2, retryAfter: 0 });
    const session = await fold.sessions.create({ name: 'Survivor' });
    expect(session.status).toBe('active');
    expect(attempts).toEqual(['POST /sessions', 'POST /sessions', 'POST /sessions']);
    expect((await controller.snapshot()).sessions).toHaveLength(1);
  });

  it('a response lost after the write is retried with the same key and stores one message', async () => {
    const session = await fold.sessions.create({ name: 'Flaky network' });
    attempts.length = 0;
    controller.fail('addMessage', { networkError: true, afterProcessing: true });
    const message = await fold.sessions.messages.add(session.id, { role: 'user', content: 'exactly once' });
    expect(attempts).toHaveLength(2);
    const stored = (await fold.sessions.get(session.id)).messages;
    expect(stored).toEqual([message]);
  });

  it('a network error before the API surfaces as APIConnectionError once retries run out', async () => {
    controller.fail('getSession', { networkError: true, times: 3 });
    const error = await rejection(fold.sessions.get('sess_whatever000000000'));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(attempts).toHaveLength(3);
  });

  it('one-shot faults expire after `times` calls', async () => {
    controller.fail('listSessions', { status: 500, times: 2 });
    expect(await rejection(fold.sessions.list({}, { maxRetries: 0 }))).toBeInstanceOf(InternalServerError);
    expect(await rejection(fold.sessions.list({}, { maxRetries: 0 }))).toBeInstanceOf(InternalServerError);
    expect((await fold.sessions.list({}, { maxRetries: 0 })).items).toEqual([]);
  });

  it('delay() holds a call long enough for the SDK timeout to fire', async () => {
    controller.delay('getSession', 5_000);
    const session = await fold.sessions.create({ name: 'Slow' });
    const error = await rejection(fold.sessions.get(session.id, { timeout: 50, maxRetries: 0 }));
    expect(error).toBeInstanceOf(APITimeoutError);
    controller.delay('getSession', 0);
    expect((await fold.sessions.get(session.id, { timeout: 1_000 })).id).toBe(session.id);
  });

  it('reset() clears data, faults and delays', async () => {
    await fold.sessions.create({ name: 'Before reset' });
    controller.fail('all', { status: 503, times: 5 });
    controller.delay('all', 5_000);
    await controller.reset();
    expect(await controller.snapshot()).toEqual({ sessions: [], memory: [] });
    expect((await fold.sessions.list({}, { maxRetries: 0, timeout: 1_000 })).items).toEqual([]);
  });

  it('refuses faults it cannot inject, with a clear message naming the field', async () => {
    await expect(controller.fail('nope' as 'all', { status: 503 })).rejects.toThrow(/operationId: Unknown operation "nope"/);
    // @ts-expect-error 418 is documented by no operation: the types refuse it too
    await expect(controller.fail('all', { status: 418 })).rejects.toThrow(/status: 418 is not an error status every operation documents; use one of 400, 401, 429, 500, 503/);
    // @ts-expect-error getSession documents no 422
    await expect(controller.fail('getSession', { status: 422 })).rejects.toThrow(/422 is not an error status getSession documents/);
    await expect(controller.fail('all', { status: 503, times: 0 })).rejects.toThrow(/times: Must be a whole number >= 1/);
  });
});

describe('state and determinism', () => {
  it('seeds, snapshots and round-trips data; deterministic ids with sequentialIds()', async () => {
    const det = createSessionsHandlers({ idGenerator: sequentialIds() });
    server.use(...det.handlers);
    const first = await fold.sessions.create({ name: 'One' });
    expect(first.id).toBe('sess_0000000000000001');
    const snapshot = await det.controller.snapshot();
    expect(snapshot.sessions[0]?.session.name).toBe('One');

    await controller.seed(snapshot);
    server.resetHandlers();
    expect((await fold.sessions.get('sess_0000000000000001')).name).toBe('One');
  });

  it('rejects seed data that breaks the schemas, naming the field', async () => {
    const bad = { sessions: [{ org_id: 'org_test', session: { id: 'nope' }, messages: [] }] } as never;
    await expect(controller.seed(bad)).rejects.toThrow(/sessions\.0\.session\.id/);
  });
});
