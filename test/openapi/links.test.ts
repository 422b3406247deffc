import { describe, expect, it } from 'vitest';
import { createSessionsApi } from 'fold-sessions-mock';
import { deref, loadSpec, operations } from '../support/spec.js';

const spec = loadSpec();
const byId = new Map(operations(spec).map((op) => [op.operationId, op]));
const takesSessionId = operations(spec).filter((op) => op.path.includes('{id}')).map((op) => op.operationId);

/** The links of an operation's success response, resolved. */
function linksOf(operationId: string): Array<{ name: string; operationId: string; parameters: Record<string, string> }> {
  const { operation } = byId.get(operationId)!;
  const [, success] = Object.entries<any>(operation.responses).find(([status]) => status.startsWith('2'))!;
  return Object.entries<any>(deref(spec, success).links ?? {}).map(([name, link]) => ({ name, ...deref(spec, link) }));
}

describe('links in the spec', () => {
  it('lead from a created session to every operation that takes a session id, and name real operations', () => {
    expect(linksOf('createSession').map((link) => link.operationId).sort()).toEqual([...takesSessionId].sort());
    for (const operationId of ['createSession', 'getSession', 'updateContext', 'closeSession', 'completeSession']) {
      for (const link of linksOf(operationId)) {
        expect(byId.has(link.operationId), `${operationId} → ${link.name}`).toBe(true);
        expect(link.parameters).toEqual({ id: '$response.body#/id' });
      }
    }
  });

  it('can be followed: every link from a created session reaches its session', async () => {
    const { handle } = createSessionsApi({ keys: { k: 'org_a' } });
    const headers = { authorization: 'Bearer k', 'content-type': 'application/json' };
    const bodies: Record<string, unknown> = { addMessage: { role: 'user', content: 'hi' }, updateContext: { step: 1 } };
    for (const link of linksOf('createSession')) {
      const created = await handle({ method: 'POST', path: '/sessions', headers, rawBody: '{"name":"linked"}' });
      // `$response.body#/id`: the JSON pointer /id into the response body.
      const id = (created.body as { id: string }).id;
      const target = byId.get(link.operationId)!;
      const body = bodies[link.operationId];
      const response = await handle({ method: target.method.toUpperCase(), path: target.path.replace('{id}', id), headers, ...(body !== undefined && { rawBody: JSON.stringify(body) }) });
      expect(response.status, link.name).toBeLessThan(300);
    }
  });
});
