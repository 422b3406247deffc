// Jest 30 in a consumer project, no Jest configuration at all: a CommonJS `.test.js` using the SDK
// against the reference server from the mock tarball, and an ES module `.test.mjs` (Jest's ESM mode,
// NODE_OPTIONS=--experimental-vm-modules) using the MSW handlers with setupServer from msw/node.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './process.mjs';
import { packageBin } from './project.mjs';
import { startReferenceServer } from './server.mjs';

const commonjsTest = `const { FoldSessions, NotFoundError } = require('fold-sessions');

const fold = new FoldSessions({ apiKey: 'fold_dev_key', baseURL: process.env.FOLD_SESSIONS_URL });

test('creates a session, adds a message and reads it back', async () => {
  const session = await fold.sessions.create({ name: 'From Jest' });
  await fold.sessions.messages.add(session.id, { role: 'user', content: 'hello from Jest' });

  const read = await fold.sessions.get(session.id);
  expect(read.messages.map((message) => message.content)).toEqual(['hello from Jest']);
});

test('a missing session is a NotFoundError', async () => {
  await expect(fold.sessions.get('sess_doesnotexist000000')).rejects.toBeInstanceOf(NotFoundError);
});
`;

const esmTest = `import { ConflictError, FoldSessions } from 'fold-sessions';
import { createSessionsHandlers } from 'fold-sessions-mock/msw';
import { setupServer } from 'msw/node';

const { handlers, controller } = createSessionsHandlers();
const server = setupServer(...handlers);

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => controller.reset());
afterAll(() => server.close());

const fold = new FoldSessions({ apiKey: 'test' });

test('survives a 503 thanks to the SDK retries', async () => {
  await controller.fail('addMessage', { status: 503, times: 1, retryAfter: 0 });
  const session = await fold.sessions.create({ name: 'From Jest' });
  await fold.sessions.messages.add(session.id, { role: 'user', content: 'Hello?' });

  expect((await fold.sessions.get(session.id)).messages).toHaveLength(1);
});

test('refuses messages once the session has expired', async () => {
  const session = await fold.sessions.create({ name: 'Short chat', ttl_seconds: 60 });
  await controller.clock.advance(61_000);

  await expect(fold.sessions.messages.add(session.id, { role: 'user', content: 'Too late' })).rejects.toBeInstanceOf(ConflictError);
});
`;

async function jest({ dir, node, file, env }) {
  const report = `${file}.jest.json`;
  await run(node.bin, [packageBin(dir, 'jest'), '--ci', '--json', `--outputFile=${report}`, '--runTestsByPath', file], {
    cwd: dir,
    env: { ...node.env, ...env },
  });
  const { numPassedTests, numTotalTests } = JSON.parse(readFileSync(join(dir, report), 'utf8'));
  if (numTotalTests === 0 || numPassedTests !== numTotalTests) throw new Error(`${numPassedTests} of ${numTotalTests} tests passed`);
  return `${numPassedTests} tests`;
}

/** The CommonJS test, default configuration, against a reference server started for it. */
export async function runJestCommonJs({ dir, node }) {
  const file = `sdk-node${node.major}.test.js`;
  writeFileSync(join(dir, file), commonjsTest);
  const server = await startReferenceServer({ dir, node });
  try {
    return await jest({ dir, node, file, env: { FOLD_SESSIONS_URL: server.baseURL } });
  } finally {
    await server.stop();
  }
}

/** The ES module test with the MSW handlers, in Jest's ESM mode. */
export async function runJestEsm({ dir, node }) {
  const file = `msw-node${node.major}.test.mjs`;
  writeFileSync(join(dir, file), esmTest);
  return jest({ dir, node, file, env: { NODE_OPTIONS: '--experimental-vm-modules' } });
}
