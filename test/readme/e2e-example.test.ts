import { spawn } from 'node:child_process';
import { FoldSessions } from 'fold-sessions';
import { connectControl } from 'fold-sessions-mock/control';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';

// The reference server in its own process, as your end-to-end setup (Playwright's globalSetup,
// a CI job) would start it: in memory, on a free port, with a control token of your choosing.
const token = 'e2e-control-token';
// `detached` puts npx and the server in a process group of their own, stopped together at the end.
const server = spawn('npx', ['fold-sessions-mock', '--in-memory', '--port', '0', '--control-token', token], {
  stdio: ['ignore', 'pipe', 'inherit'],
  detached: true,
});
const baseURL = await new Promise<string>((resolve, reject) => {
  let output = '';
  server.stdout.on('data', (chunk) => {
    output += chunk;
    const match = /listening on (http:\/\/\S+)/.exec(output);
    if (match) resolve(match[1]!);
  });
  server.once('exit', (code) => reject(new Error(`fold-sessions-mock exited with ${code}: ${output}`)));
});

const control = connectControl({ baseURL, token });
// The app under test: here an agent that talks to the Sessions API with the SDK.
const fold = new FoldSessions({ apiKey: 'fold_dev_key', baseURL, maxRetries: 2 });

beforeAll(() => control.reset());
beforeEach(() => control.reset());
afterAll(async () => {
  const exited = new Promise((resolve) => server.once('exit', resolve));
  process.kill(-server.pid!, 'SIGTERM');
  await exited;
});

test('the agent records the conversation and retries a failed append once', async () => {
  await control.fail('addMessage', { status: 503, retryAfter: 0 });

  const session = await fold.sessions.create({ name: 'Support chat' });
  await fold.sessions.messages.add(session.id, { role: 'user', content: 'Where is my parcel?' });

  const appends = await control.requests({ operationId: 'addMessage', sessionId: session.id });
  expect(appends.map((exchange) => [exchange.status, exchange.injected])).toEqual([
    [503, 'fault'],
    [201, null],
  ]);
  // One idempotency key across both attempts, and the body the agent sent.
  expect(appends[0]!.request_headers['idempotency-key']).toBe(appends[1]!.request_headers['idempotency-key']);
  expect(appends[1]!.request_body).toEqual({ role: 'user', content: 'Where is my parcel?' });
  expect(appends[1]!.request_headers.authorization).toBe('[redacted]');
});

test('a session left open past its TTL expires when the clock moves', async () => {
  const session = await fold.sessions.create({ name: 'Short chat', ttl_seconds: 60 });
  await control.clock.advance(61_000);

  expect((await fold.sessions.get(session.id)).status).toBe('expired');
  const [get] = await control.requests({ operationId: 'getSession' });
  expect(get!.response_body).toMatchObject({ id: session.id, status: 'expired' });
});
