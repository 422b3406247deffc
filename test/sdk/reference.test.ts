// The SDK against the reference server: every error class from a real response, retries of
// injected faults, and pagination over several pages.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  FoldSessions,
  InternalServerError,
  NotFoundError,
  RateLimitError,
  UnprocessableEntityError,
  type Session,
} from 'fold-sessions';
import { responseValidator } from 'fold-sessions/validation';
import { type ReferenceServer, startReferenceServer } from '../support/reference-server.js';

let server: ReferenceServer;
let fold: FoldSessions;
const faults = { fail: (...args: Parameters<ReferenceServer['controller']['fail']>) => server.controller.fail(...args) };

beforeAll(async () => {
  server = await startReferenceServer();
  fold = new FoldSessions({ apiKey: server.apiKey, baseURL: server.url, validateResponses: responseValidator });
});
afterAll(() => server.close());
afterEach(() => server.controller.reset());

const caught = (promise: Promise<unknown>): Promise<unknown> => promise.then(
  () => {
    throw new Error('expected the call to fail');
  },
  (error: unknown) => error,
);

describe('a session’s life through the SDK', () => {
  it('creates, appends, reads, updates, closes, queries memory and deletes', async () => {
    const session = await fold.sessions.create({ name: 'Refund request', context: { plan: 'pro' } });
    expect(session).toMatchObject({ status: 'active', context: { plan: 'pro' }, message_count: 0 });

    await fold.sessions.messages.add(session.id, { role: 'user', content: 'I want a refund for order 42' });
    await fold.sessions.messages.add(session.id, { role: 'assistant', content: 'Refund issued for order 42' });
    const read = await fold.sessions.get(session.id);
    expect(read.messages.map((m) => m.role)).toEqual(['user', 'assistant']);

    expect((await fold.sessions.updateContext(session.id, { plan: 'team' })).context).toEqual({ plan: 'team' });
    expect((await fold.sessions.close(session.id)).status).toBe('closed');
    await server.service.summaries.flush();

    const memory = await fold.memory.query({ query_text: 'refund order', top_k: 3, namespace: 'session-memory' });
    expect(memory.matches.map((m) => m.metadata.session_id)).toContain(session.id);

    expect(await fold.sessions.delete(session.id)).toEqual({ id: session.id, deleted: true });
  });

  it('replays a create sent twice with the same idempotency key', async () => {
    const first = await fold.sessions.create({ name: 'once' }, { idempotencyKey: 'create-once-1' });
    const again = await fold.sessions.create({ name: 'once' }, { idempotencyKey: 'create-once-1' });
    expect(again.id).toBe(first.id);
  });
});

describe('errors from real responses', () => {
  it('BadRequestError with the validation issues', async () => {
    const error = (await caught(fold.sessions.create({ name: '', ttl_seconds: 0 }))) as BadRequestError;
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(['body.name', 'body.ttl_seconds']);
    expect(error.requestId).toMatch(/\S/);
    expect(error.message).toContain('POST /sessions failed with 400 VALIDATION_ERROR');
  });

  it('AuthenticationError for an unknown key', async () => {
    const stranger = new FoldSessions({ apiKey: 'not_a_key', baseURL: server.url });
    const error = await caught(stranger.sessions.list());
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: 'AUTH_INVALID' });
  });

  it('NotFoundError for an unknown id and for another organisation’s session', async () => {
    await expect(fold.sessions.get('sess_doesnotexist000000')).rejects.toBeInstanceOf(NotFoundError);
    const mine = await fold.sessions.create({ name: 'private' });
    const other = new FoldSessions({ apiKey: server.otherApiKey, baseURL: server.url });
    const error = await caught(other.sessions.get(mine.id));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('ConflictError, not retried, for a write to a closed session', async () => {
    const session = await fold.sessions.create({ name: 'ends' });
    await fold.sessions.close(session.id);
    const error = await caught(fold.sessions.messages.add(session.id, { role: 'user', content: 'late' }));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ status: 409, code: 'CONFLICT', details: { status: 'closed' } });
    await expect(fold.sessions.complete(session.id)).rejects.toBeInstanceOf(ConflictError);
  });

  it('UnprocessableEntityError for an idempotency key reused with another body', async () => {
    const session = await fold.sessions.create({ name: 'keys' });
    await fold.sessions.messages.add(session.id, { role: 'user', content: 'a' }, { idempotencyKey: 'reused-1' });
    const error = await caught(
      fold.sessions.messages.add(session.id, { role: 'user', content: 'b' }, { idempotencyKey: 'reused-1' }),
    );
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    expect(error).toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('RateLimitError with retryAfter once the retries are spent', async () => {
    const limited = await startReferenceServer({ rateLimit: { limit: 1 } });
    try {
      const client = new FoldSessions({ apiKey: limited.apiKey, baseURL: limited.url, maxRetries: 0 });
      await client.sessions.list();
      const error = (await caught(client.sessions.list())) as RateLimitError;
      expect(error).toBeInstanceOf(RateLimitError);
      expect(error).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      expect(error.retryAfter).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  it('InternalServerError for 500 and 503', async () => {
    await faults.fail('getSession', { status: 500 });
    const noRetry = new FoldSessions({ apiKey: server.apiKey, baseURL: server.url, maxRetries: 0 });
    await expect(noRetry.sessions.get('sess_doesnotexist000000')).rejects.toMatchObject({
      name: 'InternalServerError',
      status: 500,
      code: 'INTERNAL_ERROR',
    });
    await faults.fail('getSession', { status: 503, retryAfter: 0 });
    const error = await caught(noRetry.sessions.get('sess_doesnotexist000000'));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
  });

  it('APIError itself for statuses without a class of their own (415)', async () => {
    const error = await caught(fold.sessions.create({ name: 'x' }, { headers: { 'Content-Type': 'text/plain' } }));
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).constructor).toBe(APIError);
    expect(error).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('APIConnectionError when the connection drops on every attempt', async () => {
    await faults.fail('listSessions', { networkError: true, times: 2 });
    const client = new FoldSessions({ apiKey: server.apiKey, baseURL: server.url, maxRetries: 1 });
    await expect(client.sessions.list()).rejects.toBeInstanceOf(APIConnectionError);
  });

  it('APITimeoutError when every attempt is slower than the timeout', async () => {
    await server.controller.delay('all', 400);
    const client = new FoldSessions({ apiKey: server.apiKey, baseURL: server.url, maxRetries: 0, timeout: 100 });
    await expect(client.sessions.list()).rejects.toBeInstanceOf(APITimeoutError);
  });
});

describe('retries against the reference server', () => {
  it('gets through two injected 503s', async () => {
    await faults.fail('createSession', { status: 503, retryAfter: 0, times: 2 });
    const session = await fold.sessions.create({ name: 'persistent' });
    expect(session.status).toBe('active');
  });

  it('retries an append whose connection dropped, storing it once', async () => {
    const session = await fold.sessions.create({ name: 'flaky network' });
    await faults.fail('addMessage', { networkError: true });
    await fold.sessions.messages.add(session.id, { role: 'user', content: 'only once' });
    expect((await fold.sessions.get(session.id)).messages.map((m) => m.content)).toEqual(['only once']);
  });

  it('stores a message once when the connection drops after the server stored it', async () => {
    const session = await fold.sessions.create({ name: 'lost answer' });
    await faults.fail('addMessage', { networkError: true, afterProcessing: true });
    const message = await fold.sessions.messages.add(session.id, { role: 'user', content: 'exactly once' });
    const { messages } = await fold.sessions.get(session.id);
    expect(messages.map((m) => m.id)).toEqual([message.id]);
  });
});

describe('sessions.list over several pages', () => {
  let listing: ReferenceServer;
  let client: FoldSessions;
  const created: Session[] = [];

  beforeAll(async () => {
    listing = await startReferenceServer();
    client = new FoldSessions({ apiKey: listing.apiKey, baseURL: listing.url, validateResponses: responseValidator });
    for (let i = 0; i < 5; i++) created.push(await client.sessions.create({ name: `s${i}` }));
    await client.sessions.complete(created[1]!.id);
  });
  afterAll(() => listing.close());

  it('iterates every session across pages, newest first', async () => {
    const ids: string[] = [];
    for await (const session of client.sessions.list({ limit: 2 })) ids.push(session.id);
    expect(ids).toEqual(created.map((s) => s.id).reverse());
  });

  it('pages by hand and by page, with the filter kept on every page', async () => {
    const sizes: number[] = [];
    for await (const page of (await client.sessions.list({ limit: 2, status: 'active' })).iterPages()) {
      sizes.push(page.items.length);
      expect(page.items.every((s) => s.status === 'active')).toBe(true);
    }
    expect(sizes).toEqual([2, 2]);

    const first = await client.sessions.list({ limit: 3 });
    expect(first.hasNextPage()).toBe(true);
    const second = await first.getNextPage();
    expect(second.items).toHaveLength(2);
    expect(second.hasNextPage()).toBe(false);
  });
});
