import { describe, expect, it } from 'vitest';
import { createSessionsApi } from 'fold-sessions-mock';

const nested = (levels: number) => {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < levels; i++) value = { d: value };
  return value;
};

describe('context nesting', () => {
  const { handle } = createSessionsApi({ keys: { k: 'org_a' } });
  const send = (method: string, path: string, body: string) =>
    handle({ method, path, headers: { authorization: 'Bearer k', 'content-type': 'application/json' }, rawBody: body });

  it('takes 64 levels, and refuses 65 with 400 naming the path', async () => {
    expect((await send('POST', '/sessions', JSON.stringify({ name: 'deep', context: nested(64) }))).status).toBe(201);
    const refused = await send('POST', '/sessions', JSON.stringify({ name: 'deeper', context: nested(65) }));
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'VALIDATION_ERROR', details: { issues: [{ path: `body.context${'.d'.repeat(64)}`, message: 'Nested deeper than 64 levels' }] } });
    const created = await send('POST', '/sessions', '{"name":"x"}');
    const id = (created.body as { id: string }).id;
    expect((await send('PUT', `/sessions/${id}/context`, JSON.stringify(nested(65)))).status).toBe(400);
    expect((await send('PUT', `/sessions/${id}/context`, JSON.stringify(nested(64)))).status).toBe(200);
  });

  it('answers a body nested far past any stack with 400, never a 500', async () => {
    const depth = 150_000;
    const body = `{"name":"x","context":${'{"d":'.repeat(depth)}1${'}'.repeat(depth)}}`;
    expect(body.length).toBeLessThan(1024 * 1024);
    const answer = await send('POST', '/sessions', body);
    expect(answer.status).toBe(400);
    const arrays = await send('POST', '/sessions', `{"name":"x","context":{"a":${'['.repeat(500_000)}${']'.repeat(500_000)}}}`);
    expect(arrays.status).toBe(400);
  });
});

describe('a deep body with an Idempotency-Key', () => {
  const { handle } = createSessionsApi({ keys: { k: 'org_a' } });
  const send = (path: string, body: string, key?: string) =>
    handle({ method: 'POST', path, headers: { authorization: 'Bearer k', 'content-type': 'application/json', ...(key && { 'idempotency-key': key }) }, rawBody: body });
  const arrays = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

  it('is refused with 400 before the fingerprint, on every keyed operation, and the refusal replays', async () => {
    const created = await send('/sessions', '{"name":"x"}');
    const id = (created.body as { id: string }).id;
    const bodies: Array<[string, string]> = [
      ['/sessions', `{"name":"x","context":{"a":${arrays(5_000)}}}`],
      [`/sessions/${id}/messages`, `{"role":"user","content":"x","metadata":${arrays(5_000)}}`],
      ['/vectors/query', `{"query_text":"x","filter":${arrays(5_000)}}`],
    ];
    for (const [path, body] of bodies) {
      const answer = await send(path, body, `deep-${path}`);
      expect(answer.status, path).toBe(400);
      expect(answer.body).toMatchObject({ code: 'VALIDATION_ERROR', details: { issues: [{ message: 'Nested deeper than 128 levels' }] } });
      const again = await send(path, body, `deep-${path}`);
      expect(again.status).toBe(400);
      expect(again.headers['idempotent-replayed']).toBe('true');
    }
  });

  it('keeps the precise answer about context up to the body limit', async () => {
    const answer = await send('/sessions', JSON.stringify({ name: 'deeper', context: nested(100) }), 'deep-context');
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ details: { issues: [{ path: `body.context${'.d'.repeat(64)}`, message: 'Nested deeper than 64 levels' }] } });
  });
});

describe('a deep body with an Idempotency-Key, through the MSW handlers', () => {
  it('is 400 there too', async () => {
    const { setupServer } = await import('msw/node');
    const { createSessionsHandlers } = await import('fold-sessions-mock/msw');
    const { handlers } = createSessionsHandlers();
    const server = setupServer(...handlers);
    server.listen({ onUnhandledFrame: 'error' });
    try {
      const answer = await fetch('https://api.fold.run/sessions', {
        method: 'POST',
        headers: { authorization: 'Bearer any', 'content-type': 'application/json', 'idempotency-key': 'deep-msw' },
        body: `{"name":"x","context":{"a":${'['.repeat(5_000)}${']'.repeat(5_000)}}}`,
      });
      expect(answer.status).toBe(400);
      expect(await answer.json()).toMatchObject({ code: 'VALIDATION_ERROR' });
    } finally {
      server.close();
    }
  });
});
