import { describe, expect, it } from 'vitest';
import {
  APIError,
  BadRequestError,
  CursorPage,
  FoldSessions,
  FoldSessionsError,
  InternalServerError,
  ResponseValidationError,
} from 'fold-sessions';
import { responseValidator } from 'fold-sessions/validation';
import { SESSION_ID, sessionBody, useStubServer } from './support/stub-server.js';

const stub = useStubServer();

const client = (options: ConstructorParameters<typeof FoldSessions>[0] = {}) =>
  new FoldSessions({ apiKey: 'test_key', baseURL: stub().url, maxRetries: 0, ...options });

describe('new FoldSessions()', () => {
  it('reads the API key from FOLD_API_KEY', async () => {
    const previous = process.env.FOLD_API_KEY;
    process.env.FOLD_API_KEY = 'from_env';
    try {
      await new FoldSessions({ baseURL: stub().url }).sessions.get(SESSION_ID);
    } finally {
      if (previous === undefined) delete process.env.FOLD_API_KEY;
      else process.env.FOLD_API_KEY = previous;
    }
    expect(stub().seen[0]?.headers.authorization).toBe('Bearer from_env');
  });

  it('lets an Authorization in defaultHeaders, or in a call’s headers, replace the API key', async () => {
    const fold = client({ defaultHeaders: { Authorization: 'Bearer from_defaults' } });
    await fold.sessions.get(SESSION_ID);
    await fold.sessions.get(SESSION_ID, { headers: { authorization: 'Bearer from_call' } });
    await client().sessions.get(SESSION_ID, { headers: { Authorization: 'Bearer from_call' } });
    expect(stub().seen.map((request) => request.headers.authorization)).toEqual(['Bearer from_defaults', 'Bearer from_call', 'Bearer from_call']);
  });

  it('fails at construction without an API key, saying how to give one', () => {
    const previous = process.env.FOLD_API_KEY;
    delete process.env.FOLD_API_KEY;
    try {
      expect(() => new FoldSessions()).toThrow(FoldSessionsError);
      expect(() => new FoldSessions({ apiKey: ' ' })).toThrow(
        'Missing API key: pass `apiKey` or set FOLD_API_KEY',
      );
    } finally {
      if (previous !== undefined) process.env.FOLD_API_KEY = previous;
    }
  });

  it.each([
    [{ maxRetries: -1 }, 'maxRetries must be an integer ≥ 0, got -1'],
    [{ maxRetries: 1.5 }, 'maxRetries must be an integer ≥ 0, got 1.5'],
    [{ timeout: 0 }, 'timeout must be 1 to 2147483647 ms, got 0'],
    [{ timeout: Number.NaN }, 'timeout must be 1 to 2147483647 ms, got NaN'],
    [{ timeout: '100' as unknown as number }, 'timeout must be 1 to 2147483647 ms, got "100"'],
    [{ timeout: 2 ** 31 }, 'timeout must be 1 to 2147483647 ms, got 2147483648'],
    [{ baseURL: 'api.fold.run' }, 'baseURL must be an absolute URL, got "api.fold.run"'],
    [{ fetch: 'fetch' as unknown as typeof fetch }, 'fetch must be a function, got "fetch"'],
  ])('rejects %o at construction', (options, message) => {
    expect(() => new FoldSessions({ apiKey: 'k', ...options })).toThrow(message);
  });

  it('rejects bad per-call options before sending anything', async () => {
    const fold = client();
    await expect(fold.sessions.get(SESSION_ID, { timeout: -5 })).rejects.toThrow(/timeout/);
    await expect(fold.sessions.create({ name: 'x' }, { idempotencyKey: '' })).rejects.toThrow(/idempotencyKey/);
    await expect(fold.sessions.create({ name: 'x' }, { idempotencyKey: 'k'.repeat(256) })).rejects.toThrow(
      /1 to 255/,
    );
    expect(stub().seen).toHaveLength(0);
  });

  it('accepts a baseURL with a trailing slash', async () => {
    await client({ baseURL: `${stub().url}/` }).sessions.get(SESSION_ID);
    expect(stub().seen[0]?.path).toBe(`/sessions/${SESSION_ID}`);
  });
});

describe('resources', () => {
  const cases: Array<[string, (fold: FoldSessions) => Promise<unknown>, string, string, string]> = [
    ['sessions.create', (f) => f.sessions.create({ name: 'n', ttl_seconds: 5 }), 'POST', '/sessions', '{"name":"n","ttl_seconds":5}'],
    ['sessions.get', (f) => f.sessions.get('sess_x'), 'GET', '/sessions/sess_x', ''],
    ['sessions.updateContext', (f) => f.sessions.updateContext('sess_x', { plan: 'pro' }), 'PUT', '/sessions/sess_x/context', '{"plan":"pro"}'],
    ['sessions.close', (f) => f.sessions.close('sess_x'), 'POST', '/sessions/sess_x/close', ''],
    ['sessions.complete', (f) => f.sessions.complete('sess_x'), 'POST', '/sessions/sess_x/complete', ''],
    ['sessions.delete', (f) => f.sessions.delete('sess_x'), 'DELETE', '/sessions/sess_x', ''],
    ['sessions.messages.add', (f) => f.sessions.messages.add('sess_x', { role: 'user', content: 'hi' }), 'POST', '/sessions/sess_x/messages', '{"role":"user","content":"hi"}'],
    ['memory.query', (f) => f.memory.query({ query_text: 'refund', top_k: 3 }), 'POST', '/vectors/query', '{"query_text":"refund","top_k":3}'],
    ['sessions.list', (f) => f.sessions.list({ status: 'active', limit: 5 }), 'GET', '/sessions?status=active&limit=5', ''],
  ];

  it.each(cases)('%s sends its method, path, body and auth', async (_name, call, method, path, body) => {
    await call(client()).catch(() => undefined);
    expect(stub().seen).toHaveLength(1);
    expect(stub().seen[0]).toMatchObject({ method, path, body });
    expect(stub().seen[0]?.headers.authorization).toBe('Bearer test_key');
    expect(stub().seen[0]?.headers['idempotency-key'] !== undefined).toBe(method === 'POST');
  });

  it('returns the parsed body', async () => {
    expect(await client().sessions.create({ name: 'stub' })).toEqual(sessionBody());
  });

  it('sends per-call headers', async () => {
    await client().sessions.get(SESSION_ID, { headers: { 'x-request-id': 'mine.1' } });
    expect(stub().seen[0]?.headers['x-request-id']).toBe('mine.1');
  });
});

describe('errors from responses', () => {
  it('throws BadRequestError with the issues, code, hint and request id', async () => {
    stub().fail({
      status: 400,
      body: {
        error: 'Request validation failed',
        code: 'VALIDATION_ERROR',
        details: { issues: [{ path: 'body.name', message: 'Too small' }] },
        hint: 'Fix the fields listed in details.issues.',
      },
    });
    const error = (await client()
      .sessions.create({ name: '' })
      .catch((e: unknown) => e)) as BadRequestError;

    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toBeInstanceOf(APIError);
    expect(error.name).toBe('BadRequestError');
    expect(error.issues).toEqual([{ path: 'body.name', message: 'Too small' }]);
    expect(error.requestId).toBe('req_1');
    expect(error.hint).toBe('Fix the fields listed in details.issues.');
    expect(error.message).toBe(
      'POST /sessions failed with 400 VALIDATION_ERROR: Request validation failed. Fix the fields listed in details.issues. (request id req_1)',
    );
  });

  it('keeps a body that is not the API’s, such as a proxy page', async () => {
    stub().fail({ status: 502, body: 'Bad gateway' });
    const error = (await client()
      .sessions.get(SESSION_ID)
      .catch((e: unknown) => e)) as InternalServerError;
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.code).toBeUndefined();
    expect(error.body).toBe('Bad gateway');
    expect(error.message).toContain('GET /sessions/sess_AAAAAAAAAAAAAAAA failed with 502');
  });
});

describe('validateResponses', () => {
  it('is off by default: a body that breaks the spec is returned as is', async () => {
    stub().nextBody({ id: 'nope' });
    expect(await client().sessions.get(SESSION_ID)).toEqual({ id: 'nope' });
  });

  it('passes a body that matches the spec', async () => {
    const session = await client({ validateResponses: responseValidator }).sessions.get(SESSION_ID);
    expect(session.messages).toEqual([]);
  });

  it('takes only a validator, and refuses `true` before any request is sent', () => {
    const sent = stub().seen.length;
    expect(() => client({ validateResponses: true as never })).toThrow(/validateResponses must be a validator: import \{ responseValidator \} from 'fold-sessions\/validation' \(needs zod\), got true/);
    expect(() => client({ validateResponses: {} as never })).toThrow(FoldSessionsError);
    expect(stub().seen.length).toBe(sent);
  });

  it('throws ResponseValidationError naming where the body breaks the spec', async () => {
    stub().nextBody(sessionBody({ status: 'paused' }));
    const error = (await client({ validateResponses: responseValidator })
      .sessions.create({ name: 'stub' })
      .catch((e: unknown) => e)) as ResponseValidationError;

    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.issues.map((issue) => issue.path)).toEqual(['status']);
    expect(error.message).toMatch(/^POST \/sessions returned a body that breaks the spec at status: /);
    expect(error.body).toMatchObject({ status: 'paused' });
  });
});

describe('sessions.list', () => {
  it('pages by hand', async () => {
    const first = await client().sessions.list({ limit: 1 });
    expect(first).toBeInstanceOf(CursorPage);
    expect(first.items.map((s) => s.id)).toEqual([SESSION_ID]);
    expect(first.hasNextPage()).toBe(true);

    const second = await first.getNextPage();
    expect(second.items.map((s) => s.id)).toEqual(['sess_BBBBBBBBBBBBBBBB']);
    expect(second.hasNextPage()).toBe(false);
    await expect(second.getNextPage()).rejects.toThrow(/No next page/);
    expect(stub().seen.map((r) => r.path)).toEqual(['/sessions?limit=1', '/sessions?limit=1&cursor=page2']);
  });

  it('iterates pages and items', async () => {
    const pages: string[][] = [];
    for await (const page of (await client().sessions.list()).iterPages()) pages.push(page.items.map((s) => s.id));
    expect(pages).toEqual([[SESSION_ID], ['sess_BBBBBBBBBBBBBBBB']]);

    const ids: string[] = [];
    for await (const session of client().sessions.list({ status: 'active' })) ids.push(session.id);
    expect(ids).toEqual([SESSION_ID, 'sess_BBBBBBBBBBBBBBBB']);
    expect(stub().seen.at(-1)?.path).toBe('/sessions?status=active&cursor=page2');
  });

  it('rejects the first page’s error when awaited or iterated', async () => {
    stub().fail({ status: 500, body: { error: 'boom', code: 'INTERNAL_ERROR', details: null } });
    await expect(client().sessions.list()).rejects.toBeInstanceOf(InternalServerError);
    stub().fail({ status: 500, body: { error: 'boom', code: 'INTERNAL_ERROR', details: null } });
    const iterate = async () => {
      for await (const _ of client().sessions.list()) void _;
    };
    await expect(iterate()).rejects.toBeInstanceOf(InternalServerError);
  });
});
