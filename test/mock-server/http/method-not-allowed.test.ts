import { describe, expect, it } from 'vitest';
import { createSessionsApi } from 'fold-sessions-mock';

describe('a known path asked with a method it does not take', () => {
  const { handle } = createSessionsApi({ keys: { k: 'org_a' }, control: { token: 'ctl' } });

  it('is 405 METHOD_NOT_ALLOWED with Allow, before authentication, on the Sessions API', async () => {
    const reply = await handle({ method: 'PUT', path: '/sessions', headers: {} });
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe('GET, POST');
    expect(reply.body).toMatchObject({ code: 'METHOD_NOT_ALLOWED', details: { method: 'PUT', path: '/sessions', allowed: ['GET', 'POST'] } });
    expect((await handle({ method: 'GET', path: '/sessions/sess_aaaaaaaaaaaaaaaa/close', headers: {} })).headers.allow).toBe('POST');
    expect((await handle({ method: 'PUT', path: '/nope', headers: {} })).status).toBe(404);
  });

  it('and on the control API', async () => {
    const reply = await handle({ method: 'DELETE', path: '/__fold/clock', headers: { authorization: 'Bearer ctl' } });
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe('GET, POST');
    expect((await handle({ method: 'GET', path: '/__fold/nope', headers: { authorization: 'Bearer ctl' } })).status).toBe(404);
  });
});
