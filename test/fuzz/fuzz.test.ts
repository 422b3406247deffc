import { setupServer } from 'msw/node';
import { afterAll, describe, expect, it } from 'vitest';
import { createManualClock, type ApiHandler } from 'fold-sessions-mock';
import { createSessionsHandlers } from 'fold-sessions-mock/msw';
import { startReferenceServer } from '../support/reference-server.js';
import { fuzz } from './run.js';

const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const requests = 5_000;
const cleanups: Array<() => Promise<void> | void> = [];
const traces: Record<string, string[]> = {};
afterAll(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe(`spec-driven fuzzing (seed ${seed}, replay with FUZZ_SEED=${seed})`, () => {
  it(`the MSW handlers hold every oracle over ${requests} requests`, async () => {
    const { handlers, controller } = createSessionsHandlers({ baseUrl: 'https://fuzz.test', keys: { fuzz_key: 'org_fuzz' }, clock: createManualClock() });
    const server = setupServer(...handlers);
    server.listen({ onUnhandledFrame: 'error' });
    const result = await fuzz({ name: 'msw', baseURL: 'https://fuzz.test', apiKey: 'fuzz_key', controller }, { seed, requests }).finally(() => server.close());
    console.log(`fuzz[msw]: ${result.requests} requests in ${result.runs} sequences`);
    traces.msw = result.trace;
    expect(result.failure, result.failure).toBeUndefined();
    expect(result.requests).toBeGreaterThanOrEqual(requests);
  }, 60_000);

  it(`the Express server holds every oracle over ${requests} requests`, async () => {
    const server = await startReferenceServer({ keys: { fuzz_key: 'org_fuzz' }, clock: createManualClock() });
    cleanups.push(() => server.close());
    const result = await fuzz({ name: 'express', baseURL: server.url, apiKey: 'fuzz_key', controller: server.controller }, { seed, requests });
    console.log(`fuzz[express]: ${result.requests} requests in ${result.runs} sequences`);
    traces.express = result.trace;
    expect(result.failure, result.failure).toBeUndefined();
    expect(result.requests).toBeGreaterThanOrEqual(requests);
  }, 60_000);

  it('the MSW handlers and the server give the same answer (status and code) to every request of the same sequences', () => {
    expect(traces.msw?.length).toBeGreaterThanOrEqual(requests);
    const first = traces.msw!.findIndex((answer, i) => answer !== traces.express![i]);
    expect(first === -1 ? 'the same' : `request ${first}: msw ${traces.msw![first]}, express ${traces.express![first]}`).toBe('the same');
    expect(traces.express).toHaveLength(traces.msw!.length);
  });

  it.each([
    ['a validation rule removed (names over 256 characters accepted, cut to 256)', removeNameLimit],
    ['a header dropped (no Memory-Ranking on queryMemory)', dropMemoryRanking],
  ])('catches a server broken on purpose: %s', async (_name, wrap) => {
    const server = await startReferenceServer({ keys: { fuzz_key: 'org_fuzz' }, clock: createManualClock(), wrap });
    cleanups.push(() => server.close());
    const result = await fuzz({ name: 'broken', baseURL: server.url, apiKey: 'fuzz_key', controller: server.controller }, { seed, requests: 2_000 });
    expect(result.failure).toBeDefined();
    expect(result.failure).toMatch(/shortest failing sequence \(\d+ commands\)/);
  }, 60_000);
});

function removeNameLimit(handle: ApiHandler): ApiHandler {
  return (request) => {
    const text = typeof request.rawBody === 'string' ? request.rawBody : new TextDecoder().decode(request.rawBody ?? new Uint8Array());
    if (request.method === 'POST' && request.path === '/sessions' && text.includes('"name"')) {
      try {
        const body = JSON.parse(text) as { name?: unknown };
        if (typeof body.name === 'string' && body.name.length > 256) {
          return handle({ ...request, rawBody: JSON.stringify({ ...body, name: body.name.slice(0, 256) }) });
        }
      } catch {
        // not JSON: the API answers it
      }
    }
    return handle(request);
  };
}

function dropMemoryRanking(handle: ApiHandler): ApiHandler {
  return async (request) => {
    const response = await handle(request);
    if (response.operationId !== 'queryMemory') return response;
    const { 'memory-ranking': _dropped, ...headers } = response.headers;
    return { ...response, headers };
  };
}
