import { describe, expect, it } from 'vitest';
import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  ConflictError,
  FoldSessions,
  InternalServerError,
  RateLimitError,
} from 'fold-sessions';
import { SESSION_ID, useStubServer } from './support/stub-server.js';

const stub = useStubServer();

const client = (options: ConstructorParameters<typeof FoldSessions>[0] = {}) =>
  new FoldSessions({ apiKey: 'test_key', baseURL: stub().url, ...options });
const now0 = { 'retry-after': '0' };
const unavailable = { status: 503, headers: now0, body: { error: 'Down', code: 'SERVICE_UNAVAILABLE', details: null } };

describe('retries', () => {
  it('retries 503 twice, then returns the 201, all with one idempotency key', async () => {
    stub().fail(unavailable, unavailable);

    const session = await client().sessions.create({ name: 'stub' });

    expect(session.id).toBe(SESSION_ID);
    expect(stub().seen.map((r) => r.method)).toEqual(['POST', 'POST', 'POST']);
    const keys = stub().seen.map((r) => r.headers['idempotency-key']);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(keys).size).toBe(1);
    expect(stub().seen.every((r) => r.body === JSON.stringify({ name: 'stub' }))).toBe(true);
  });

  it('uses a new key for each logical call', async () => {
    const fold = client();
    await fold.sessions.create({ name: 'a' });
    await fold.sessions.create({ name: 'a' });
    expect(stub().seen[0]?.headers['idempotency-key']).not.toBe(stub().seen[1]?.headers['idempotency-key']);
  });

  it('sends the caller’s idempotency key unchanged', async () => {
    stub().fail(unavailable);
    await client().sessions.create({ name: 'stub' }, { idempotencyKey: 'my-key-1' });
    expect(stub().seen.map((r) => r.headers['idempotency-key'])).toEqual(['my-key-1', 'my-key-1']);
  });

  it('sends no idempotency key on GET', async () => {
    await client().sessions.get(SESSION_ID);
    expect(stub().seen[0]?.headers['idempotency-key']).toBeUndefined();
  });

  it('waits Retry-After: 1 on a 429 before retrying', async () => {
    stub().fail({ status: 429, headers: { 'retry-after': '1' }, body: { error: 'Slow down', code: 'RATE_LIMITED', details: null } });
    const started = performance.now();

    await client().sessions.get(SESSION_ID);

    expect(stub().seen).toHaveLength(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('gives up after maxRetries and throws the error of the last response', async () => {
    stub().fail(unavailable, unavailable, unavailable);
    const error = await client({ maxRetries: 1 }).sessions.get(SESSION_ID).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', requestId: 'req_2' });
    expect(stub().seen).toHaveLength(2);
  });

  it('lets a per-call maxRetries override the client', async () => {
    stub().fail(unavailable);
    await expect(client({ maxRetries: 5 }).sessions.get(SESSION_ID, { maxRetries: 0 })).rejects.toBeInstanceOf(
      InternalServerError,
    );
    expect(stub().seen).toHaveLength(1);
  });

  it('does not retry a 409 unless the server sends x-should-retry: true', async () => {
    const conflict = { error: 'Session is closed', code: 'CONFLICT', details: { status: 'closed' } };
    stub().fail({ status: 409, headers: now0, body: conflict });
    await expect(client().sessions.messages.add(SESSION_ID, { role: 'user', content: 'x' })).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(stub().seen).toHaveLength(1);

    stub().seen.length = 0;
    stub().fail({ status: 409, headers: { ...now0, 'x-should-retry': 'true' }, body: conflict });
    await client().sessions.messages.add(SESSION_ID, { role: 'user', content: 'x' });
    expect(stub().seen).toHaveLength(2);
  });

  it('does not retry a 429 when the server sends x-should-retry: false', async () => {
    stub().fail({ status: 429, headers: { ...now0, 'x-should-retry': 'false' }, body: {} });
    await expect(client().sessions.get(SESSION_ID)).rejects.toBeInstanceOf(RateLimitError);
    expect(stub().seen).toHaveLength(1);
  });

  it('retries a reset connection with the same key, and the message is stored once', async () => {
    stub().fail({ resetAfterHandling: true });

    const message = await client().sessions.messages.add(SESSION_ID, { role: 'user', content: 'hello' });

    expect(stub().seen).toHaveLength(2);
    expect(stub().seen[0]?.headers['idempotency-key']).toBe(stub().seen[1]?.headers['idempotency-key']);
    expect(stub().messages).toHaveLength(1);
    expect(message).toEqual(stub().messages[0]);
  });

  it('throws APIConnectionError when the connection fails on every attempt', async () => {
    stub().fail({ resetAfterHandling: true }, { resetAfterHandling: true });
    const error = await client({ maxRetries: 1 })
      .sessions.messages.add(SESSION_ID, { role: 'user', content: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).not.toBeInstanceOf(APITimeoutError);
    expect((error as Error).message).toContain(`POST /sessions/${SESSION_ID}/messages`);
    expect(stub().seen).toHaveLength(2);
    expect(stub().messages).toHaveLength(1);
  });

  it('throws APIConnectionError when nothing listens', async () => {
    const fold = new FoldSessions({ apiKey: 'k', baseURL: 'http://127.0.0.1:9', maxRetries: 0 });
    await expect(fold.sessions.get(SESSION_ID)).rejects.toBeInstanceOf(APIConnectionError);
  });

  it('rethrows an unknown error from fetch without retrying it', async () => {
    let calls = 0;
    const bug = new RangeError('a bug in a custom fetch');
    const fold = client({
      fetch: async () => {
        calls++;
        throw bug;
      },
    });
    await expect(fold.sessions.get(SESSION_ID)).rejects.toBe(bug);
    expect(calls).toBe(1);
  });
});

/**
 * A `fetch` for the client under test in which an attempt's timeout (or abort) only takes effect
 * once the stub has received that attempt and is holding it unanswered. On a loaded machine the
 * SDK's timer could otherwise fire before the request reaches the stub, or while an answer is on
 * its way, and the stub would count a different number of requests. The SDK's own timer still
 * decides that, and when, an attempt is abandoned.
 */
function timeoutsCutOnlyHeldAttempts(): typeof fetch {
  let attempts = 0;
  return (input) => {
    const request = input as Request;
    const attempt = ++attempts;
    const forwarded = new AbortController();
    request.signal.addEventListener(
      'abort',
      () =>
        void stub()
          .whenSeen(attempt)
          .then((seen) => stub().held.includes(seen) && forwarded.abort(request.signal.reason)),
      { once: true },
    );
    return fetch(request, { signal: forwarded.signal });
  };
}

/** Settles with what `promise` settles with, or with `'still waiting'` if a timer gets to run first. */
const settledWithoutWaiting = (promise: Promise<unknown>) =>
  Promise.race([promise.catch((e: unknown) => e), new Promise((resolve) => setTimeout(() => resolve('still waiting'), 1000))]);

describe('timeouts and aborts', () => {
  it('abandons a hanging attempt after the timeout and retries it', async () => {
    stub().fail({ hang: true });
    const session = await client({ timeout: 200, fetch: timeoutsCutOnlyHeldAttempts() }).sessions.get(SESSION_ID);
    expect(session.id).toBe(SESSION_ID);
    expect(stub().seen).toHaveLength(2);
    expect(stub().held).toEqual([stub().seen[0]]);
  });

  it('throws APITimeoutError when every attempt hangs', async () => {
    stub().fail({ hang: true }, { hang: true });
    const lines: string[] = [];
    const logger = { error: () => {}, warn: () => {}, info: (line: string) => lines.push(line), debug: () => {} };
    const error = await client({ maxRetries: 1, fetch: timeoutsCutOnlyHeldAttempts(), logLevel: 'info', logger })
      .sessions.get(SESSION_ID, { timeout: 100 })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(APITimeoutError);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toMatch(`GET /sessions/${SESSION_ID} timed out after 100 ms`);
    expect(stub().seen).toHaveLength(2);
    expect(stub().held).toEqual(stub().seen);
    // Two attempts cut at 100 ms and one backoff of at most 500 ms (the SDK says which it chose).
    expect(lines).toHaveLength(1);
    const [, delay] = /retrying .* in (\d+) ms \(attempt 2 of 2\): timed out after 100 ms$/.exec(lines[0]!) ?? [];
    expect(Number(delay)).toBeGreaterThan(0);
    expect(Number(delay)).toBeLessThanOrEqual(500);
  });

  it('stops during the backoff wait when the caller aborts', async () => {
    stub().fail({ ...unavailable, headers: { 'retry-after': '30' } });
    const controller = new AbortController();
    // The SDK logs its retry decision just before it starts the 30 s wait: abort then.
    let backingOff!: () => void;
    const waiting = new Promise<void>((resolve) => (backingOff = resolve));
    const logger = { error: () => {}, warn: () => {}, info: () => backingOff(), debug: () => {} };

    const call = client({ logLevel: 'info', logger }).sessions.create({ name: 'stub' }, { signal: controller.signal });
    await waiting;
    controller.abort();

    // Aborting ends the 30 s wait at once: the call settles before any timer of the test can fire.
    const error = await settledWithoutWaiting(call);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(stub().seen).toHaveLength(1);
  });

  it('stops a hanging attempt when the caller aborts, without retrying', async () => {
    stub().fail({ hang: true });
    const controller = new AbortController();
    const call = client().sessions.get(SESSION_ID, { signal: controller.signal });
    await stub().whenSeen(1);
    controller.abort();
    await expect(settledWithoutWaiting(call)).resolves.toBeInstanceOf(APIUserAbortError);
    expect(stub().seen).toHaveLength(1);
  });

  it('does not send anything with an already aborted signal', async () => {
    await expect(
      client().sessions.get(SESSION_ID, { signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(APIUserAbortError);
    expect(stub().seen).toHaveLength(0);
  });
});
