import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrism, type PrismProcess } from '../support/prism.js';
import { deref, loadSpec, operations } from '../support/spec.js';

const spec = loadSpec();
const sessionId = 'sess_4f9aK2mQ7xT1bZ8c';
let prism: PrismProcess;

beforeAll(async () => {
  prism = await startPrism({ kind: 'mock' });
});
afterAll(() => prism?.stop());

function firstExample(media: any): unknown {
  return deref(spec, Object.values<any>(media.examples)[0]).value;
}

const cases = operations(spec).map(({ operationId, method, path, operation }) => {
  const success = Object.keys(operation.responses).find((status) => status.startsWith('2'))!;
  const requestMedia = operation.requestBody?.content['application/json'];
  return {
    operationId,
    method: method.toUpperCase(),
    url: path.replace('{id}', sessionId),
    body: requestMedia ? JSON.stringify(firstExample(requestMedia)) : undefined,
    status: Number(success),
    example: firstExample(deref(spec, operation.responses[success]).content['application/json']),
  };
});

describe('prism mock of openapi/sessions.yaml', () => {
  it('lists all nine operations', () => {
    expect(cases).toHaveLength(9);
  });

  it.each(cases.map((c) => [c.operationId, c] as const))('%s answers with its example', async (_id, c) => {
    const response = await fetch(prism.url + c.url, {
      method: c.method,
      headers: { authorization: 'Bearer fold_dev_key', ...(c.body ? { 'content-type': 'application/json' } : {}) },
      body: c.body,
    });
    expect(response.status).toBe(c.status);
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(await response.json()).toEqual(c.example);
  });

  it('refuses a request without a bearer token', async () => {
    const response = await fetch(`${prism.url}/sessions/${sessionId}`);
    expect(response.status).toBe(401);
  });
});
