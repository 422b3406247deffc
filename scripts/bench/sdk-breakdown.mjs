// Where the SDK's per-call cost goes, without a network: `fetch` is replaced by a function that
// builds exactly the Requests the real one would (undici's fetch always builds one from its
// arguments) and answers at once with the same 10-message session. Each step adds one layer:
//
//   raw          a Request built from a URL and headers, the body read and parsed
//   generated    the generated client's getSession (options merged, URL built, its own Request,
//                and the one fetch builds from it)
//   + signal     the same with an AbortSignal in fetch's init, as the SDK's transport hands the
//                global fetch each attempt's signal (undici's fetch builds its Request from both)
//   + headers    the same with the SDK's three identity headers and a 60 s deadline set and
//                cleared around the call on the SDK's one shared timer, as its transport does
//                for each attempt
//   sdk          fold.sessions.get(): all of the above plus retries, timeouts, identity headers,
//                errors, logging checks and the APIPromise
//
//   node scripts/bench/sdk-breakdown.mjs          (uses sdk/dist: run `npm run build` first)
//   node scripts/bench/sdk-breakdown.mjs --json
import { FoldSessions } from 'fold-sessions';
import { createClient, createConfig } from '../../sdk/dist/generated/client/index.js';
import { getSession } from '../../sdk/dist/generated/sdk.gen.js';
import { clearDeadline, setDeadline } from '../../sdk/dist/deadlines.js';

const baseUrl = 'http://127.0.0.1:9';
const messages = Array.from({ length: 10 }, (_, i) => ({ id: `msg_${i}`, role: 'user', content: 'hello there' }));
const body = JSON.stringify({ id: 'sess_1', name: 'bench', status: 'active', messages });
const answer = () => new Response(body, { status: 200, headers: { 'content-type': 'application/json', 'x-request-id': 'req_1' } });

// What undici's fetch does first with its arguments: one more Request.
const fetchLike = async (input, init) => {
  new Request(input, init);
  return answer();
};

const generatedClient = createClient(createConfig({ baseUrl, auth: 'key' }));
globalThis.fetch = fetchLike;
const fold = new FoldSessions({ apiKey: 'key', baseURL: baseUrl, maxRetries: 2 });

const identity = { 'user-agent': `fold-sessions/0.0.0 (node/${process.versions.node}; ${process.platform})`, 'x-fold-retry-count': '0', 'x-fold-timeout': '60' };

const steps = {
  raw: async () => {
    const response = await fetchLike(`${baseUrl}/sessions/sess_1`, { headers: { authorization: 'Bearer key' } });
    return JSON.parse(await response.text());
  },
  generated: async () => (await getSession({ client: generatedClient, path: { id: 'sess_1' }, fetch: fetchLike, throwOnError: true })).data,
  '+ signal': async () => {
    const { signal } = new AbortController();
    return (await getSession({ client: generatedClient, path: { id: 'sess_1' }, fetch: (request) => fetchLike(request, { signal }), throwOnError: true })).data;
  },
  '+ headers': async () => {
    const attempt = new AbortController();
    const expire = () => attempt.abort();
    setDeadline(expire, 60_000);
    const fetch = (request) => fetchLike(request, { signal: attempt.signal });
    try {
      return (await getSession({ client: generatedClient, path: { id: 'sess_1' }, headers: identity, fetch, throwOnError: true })).data;
    } finally {
      clearDeadline(expire);
    }
  },
  sdk: () => fold.sessions.get('sess_1'),
};

const perRound = 20_000;
const rounds = 5;
const times = Object.fromEntries(Object.keys(steps).map((name) => [name, []]));
for (const step of Object.values(steps)) for (let i = 0; i < 3_000; i++) await step();
// Rounds rotate the order, so that drift in the machine's speed spreads over every step.
for (let round = 0; round < rounds; round++) {
  const names = Object.keys(steps);
  for (let k = 0; k < names.length; k++) {
    const name = names[(k + round) % names.length];
    const started = performance.now();
    for (let i = 0; i < perRound; i++) await steps[name]();
    times[name].push(((performance.now() - started) * 1000) / perRound);
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const us = Object.fromEntries(Object.entries(times).map(([name, values]) => [name, median(values)]));
const result = {
  microsecondsPerCall: us,
  generatedOverRaw: us.generated - us.raw,
  signalRequest: us['+ signal'] - us.generated,
  headersAndTimer: us['+ headers'] - us['+ signal'],
  sdkLayer: us.sdk - us['+ headers'],
  sdkOverRaw: us.sdk - us.raw,
};

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(result));
} else {
  console.log(`median of ${rounds} rounds × ${perRound} calls, µs per call, no network:`);
  for (const [name, value] of Object.entries(us)) console.log(`  ${name.padEnd(10)} ${value.toFixed(1)}`);
  console.log(`the SDK over raw: ${result.sdkOverRaw.toFixed(1)} µs, of which`);
  console.log(`  the generated client            ${result.generatedOverRaw.toFixed(1)} µs`);
  console.log(`  a timeout signal in fetch's init ${result.signalRequest.toFixed(1)} µs`);
  console.log(`  identity headers and a deadline ${result.headersAndTimer.toFixed(1)} µs`);
  console.log(`  fold-sessions' own layer        ${result.sdkLayer.toFixed(1)} µs`);
}
