// `npm run fuzz [-- --requests 100000] [--target msw|express]`: the spec-driven fuzzer of
// test/fuzz/ against the MSW handlers and the Express server, for as long a run as you like.
// FUZZ_SEED=<n> replays a run; a failure prints the shortest failing sequence and exits 1.
import { parseArgs } from 'node:util';
import { setupServer } from 'msw/node';
import { createManualClock } from 'fold-sessions-mock';
import { createSessionsHandlers } from 'fold-sessions-mock/msw';
import { startReferenceServer } from '../test/support/reference-server.ts';
import { fuzz } from '../test/fuzz/run.ts';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '20000' }, target: { type: 'string' } } });
const requests = Number(values.requests);
if (!Number.isSafeInteger(requests) || requests < 1) throw new Error(`--requests must be a positive integer, got ${values.requests}`);
if (values.target !== undefined && !['msw', 'express'].includes(values.target)) throw new Error('--target must be msw or express');
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
console.log(`fuzz: seed ${seed} (replay with FUZZ_SEED=${seed}), ${requests} requests per target`);

let failed = false;
const report = (name, result, started) => {
  console.log(`fuzz[${name}]: ${result.requests} requests in ${result.runs} sequences, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (result.failure) {
    failed = true;
    console.log(result.failure);
  }
};
const keys = { fuzz_key: 'org_fuzz' };

if (values.target !== 'express') {
  const { handlers, controller } = createSessionsHandlers({ baseUrl: 'https://fuzz.test', keys, clock: createManualClock() });
  const server = setupServer(...handlers);
  server.listen({ onUnhandledFrame: 'error' });
  const started = Date.now();
  report('msw', await fuzz({ name: 'msw', baseURL: 'https://fuzz.test', apiKey: 'fuzz_key', controller }, { seed, requests }), started);
  server.close();
}
if (values.target !== 'msw') {
  const server = await startReferenceServer({ keys, clock: createManualClock() });
  const started = Date.now();
  report('express', await fuzz({ name: 'express', baseURL: server.url, apiKey: 'fuzz_key', controller: server.controller }, { seed, requests }), started);
  await server.close();
}
process.exit(failed ? 1 : 0);
