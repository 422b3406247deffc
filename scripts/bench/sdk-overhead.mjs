// What each HTTP client costs per call: the same GET of a 10-message session through raw fetch,
// openapi-fetch, ky, the bare generated hey-api call, the `openai` client (as a plain HTTP
// client: `client.get(path)`) and fold-sessions `sessions.get`, one call at a time, in blocks
// that rotate the order, so that a slow moment of the machine does not land on one client only.
// Runs the built package (sdk/dist, as published: `npm run build` first), not the sources through
// tsx, whose transform wraps every closure the SDK makes per call in a naming helper:
//   node scripts/bench/sdk-overhead.mjs <url> <apiKey> <sessionId> [calls]
// Prints one JSON line: per client the median and mean µs per call, and the median over raw fetch.
import { FoldSessions } from 'fold-sessions';
import ky from 'ky';
import OpenAI from 'openai';
import createFetchClient from 'openapi-fetch';
import { createClient, createConfig } from '../../sdk/dist/generated/client/index.js';
import { getSession } from '../../sdk/dist/generated/sdk.gen.js';

const [url, apiKey, sessionId, callsArg] = process.argv.slice(2);
const calls = Number(callsArg ?? 3000);
const block = 100;
const authorization = `Bearer ${apiKey}`;

// Each client as an app would set it up: once, with its defaults (retries included where it has them).
const fold = new FoldSessions({ apiKey, baseURL: url });
const generated = createClient(createConfig({ baseUrl: url, auth: apiKey }));
const openapiFetch = createFetchClient({ baseUrl: url, headers: { authorization } });
const kyClient = ky.create({ prefixUrl: url, headers: { authorization } });
const openai = new OpenAI({ apiKey, baseURL: url });

const ok = (name, value) => {
  if (value?.id !== sessionId) throw new Error(`${name} did not read the session: ${JSON.stringify(value)?.slice(0, 200)}`);
};

/** The clients, raw fetch first: the others are measured against it. */
export const clients = {
  'raw fetch': async () => {
    const response = await fetch(`${url}/sessions/${sessionId}`, { headers: { authorization } });
    if (!response.ok) throw new Error(`raw GET answered ${response.status}`);
    return response.json();
  },
  'openapi-fetch': async () => (await openapiFetch.GET('/sessions/{id}', { params: { path: { id: sessionId } } })).data,
  ky: () => kyClient.get(`sessions/${sessionId}`).json(),
  'bare generated hey-api call': async () => (await getSession({ client: generated, path: { id: sessionId }, throwOnError: true })).data,
  openai: () => openai.get(`/sessions/${sessionId}`),
  'fold-sessions sessions.get': () => fold.sessions.get(sessionId),
};

const names = Object.keys(clients);
for (const name of names) ok(name, await clients[name]());

async function time(call, n, into) {
  for (let i = 0; i < n; i++) {
    const started = process.hrtime.bigint();
    await call();
    into.push(Number(process.hrtime.bigint() - started) / 1e3);
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;

// Warm every path (JIT, connections) before measuring.
for (const name of names) await time(clients[name], 300, []);

const times = Object.fromEntries(names.map((name) => [name, []]));
for (let done = 0, round = 0; done < calls; done += block, round++) {
  for (let k = 0; k < names.length; k++) {
    const name = names[(k + round) % names.length];
    await time(clients[name], block, times[name]);
  }
}

const raw = median(times['raw fetch']);
const result = {
  calls,
  clients: Object.fromEntries(
    names.map((name) => [name, { medianUs: median(times[name]), meanUs: mean(times[name]), overheadUs: median(times[name]) - raw }]),
  ),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
