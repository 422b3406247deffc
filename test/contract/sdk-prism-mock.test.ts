import {
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  FoldSessions,
  InternalServerError,
  NotFoundError,
  RateLimitError,
  UnprocessableEntityError,
} from 'fold-sessions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrism, type PrismProcess } from '../support/prism.js';
import { responseValidator } from 'fold-sessions/validation';
import { deref, loadSpec, operations } from '../support/spec.js';

const spec = loadSpec();
const id = 'sess_4f9aK2mQ7xT1bZ8c';
let prism: PrismProcess;
let fold: FoldSessions;

beforeAll(async () => {
  prism = await startPrism({ kind: 'mock' });
  fold = new FoldSessions({ apiKey: 'fold_dev_key', baseURL: prism.url, maxRetries: 0, validateResponses: responseValidator });
});
afterAll(() => prism?.stop());

function example(operationId: string, status: string): unknown {
  const op = operations(spec).find((candidate) => candidate.operationId === operationId)!;
  const media = deref(spec, op.operation.responses[status]).content['application/json'];
  return deref(spec, Object.values<any>(media.examples)[0]).value;
}

const calls: Record<string, (headers?: Record<string, string>) => Promise<unknown>> = {
  createSession: (headers) => fold.sessions.create({ name: 'Customer support chat', ttl_seconds: 3600 }, { headers }),
  listSessions: async (headers) => {
    const page = await fold.sessions.list({ status: 'active', limit: 20 }, { headers });
    return { sessions: page.items, count: page.items.length, has_more: page.hasNextPage(), next_cursor: page.nextCursor };
  },
  getSession: (headers) => fold.sessions.get(id, { headers }),
  deleteSession: (headers) => fold.sessions.delete(id, { headers }),
  addMessage: (headers) => fold.sessions.messages.add(id, { role: 'user', content: 'What is my current usage?' }, { headers }),
  updateContext: (headers) => fold.sessions.updateContext(id, { plan: 'pro' }, { headers }),
  closeSession: (headers) => fold.sessions.close(id, { headers }),
  completeSession: (headers) => fold.sessions.complete(id, { headers }),
  queryMemory: (headers) => fold.memory.query({ query_text: 'usage', top_k: 3 }, { headers }),
};

const errorClasses: Record<string, abstract new (...args: never[]) => APIError> = {
  '400': BadRequestError,
  '401': AuthenticationError,
  '404': NotFoundError,
  '409': ConflictError,
  // No dedicated class: the base APIError carries status and code.
  '413': APIError,
  '415': APIError,
  '422': UnprocessableEntityError,
  '429': RateLimitError,
  '500': InternalServerError,
  '503': InternalServerError,
};

describe('every SDK method against prism mock', () => {
  it('covers all nine operations', () => {
    expect(Object.keys(calls).sort()).toEqual(operations(spec).map((op) => op.operationId).sort());
  });

  it.each(operations(spec).map((op) => [op.operationId, op] as const))(
    '%s returns the spec example, validated',
    async (operationId, op) => {
      const success = Object.keys(op.operation.responses).find((status) => status.startsWith('2'))!;
      expect(await calls[operationId]!()).toEqual(example(operationId, success));
    },
  );

  const errorCases = operations(spec).flatMap((op) =>
    Object.keys(op.operation.responses)
      .filter((status) => status in errorClasses)
      .map((status) => [`${op.operationId} ${status}`, op.operationId, status] as const),
  );

  it.each(errorCases)('%s becomes the right error class', async (_name, operationId, status) => {
    let caught: unknown;
    try {
      await calls[operationId]!({ prefer: `code=${status}` });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(errorClasses[status]!);
    const body = example(operationId, status) as { code: string; error: string };
    expect(caught).toMatchObject({ status: Number(status), code: body.code });
    expect((caught as Error).message).toContain(body.code);
  });
});
