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
