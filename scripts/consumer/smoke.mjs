// The SDK smoke: a plain Node script, as an ES module (`import`) or as CommonJS (`require` in a
// .cjs file), against the reference server from the mock tarball. It creates a session, adds a
// message whose first attempt the server answers 503 (armed through the control API), reads the
// session back and gets a 404 as NotFoundError; the server's request journal then shows the retry.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './process.mjs';
import { startReferenceServer } from './server.mjs';

const body = `async function smoke(baseURL) {
  const fold = new FoldSessions({ apiKey: 'fold_dev_key', baseURL, maxRetries: 2 });
  const session = await fold.sessions.create({ name: 'Smoke' });
  await fold.sessions.messages.add(session.id, { role: 'user', content: 'hello' });
  const read = await fold.sessions.get(session.id);
  if (read.status !== 'active' || read.messages.map((m) => m.content).join() !== 'hello') {
    throw new Error('read back ' + JSON.stringify(read));
  }
  const missing = await fold.sessions.get('sess_doesnotexist000000').catch((error) => error);
  if (!(missing instanceof NotFoundError) || missing.status !== 404) {
    throw new Error('a missing session gave ' + String(missing) + ', not a NotFoundError');
  }
  return session.id;
}
`;

// Node's require(esm) would load the ES module build too, so the CommonJS smoke first makes sure
// require('fold-sessions') resolves to a CommonJS file.
const commonjsCheck = `const { readFileSync, existsSync } = require('node:fs');
const { dirname, join, relative } = require('node:path');

function moduleFormat(file) {
  if (file.endsWith('.cjs')) return 'commonjs';
  if (file.endsWith('.mjs')) return 'module';
  for (let folder = dirname(file); folder !== dirname(folder); folder = dirname(folder)) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')).type === 'module' ? 'module' : 'commonjs';
  }
  return 'commonjs';
}
const entry = require.resolve('fold-sessions');
const shown = relative(process.cwd(), entry);
if (moduleFormat(entry) !== 'commonjs') {
  throw new Error("require('fold-sessions') resolves to " + shown + ', an ES module (only require(esm) could load it): the package has no CommonJS build');
}
`;

const sources = {
  esm: `import { FoldSessions, NotFoundError } from 'fold-sessions';

${body}
console.log(JSON.stringify({ session: await smoke(process.argv[2]), entry: import.meta.resolve('fold-sessions') }));
`,
  cjs: `${commonjsCheck}
const { FoldSessions, NotFoundError } = require('fold-sessions');

${body}
smoke(process.argv[2]).then((session) => console.log(JSON.stringify({ session, entry: shown })));
`,
};

const extension = { esm: 'mjs', cjs: 'cjs' };
let runs = 0;

/** Runs the smoke as `format` ('esm' or 'cjs') on `node` in the installed project `dir`. */
export async function runSdkSmoke({ dir, node, format, via = 'cli' }) {
  // A file per run: runs in one project may overlap.
  const file = `smoke-${++runs}-${format}-node${node.major}.${extension[format]}`;
  writeFileSync(join(dir, file), sources[format]);
  const server = await startReferenceServer({ dir, node, via });
  try {
    await server.control.fail('addMessage', { status: 503, times: 1, retryAfter: 0 });
    const { stdout } = await run(node.bin, [file, server.baseURL], { cwd: dir, env: node.env });
    const { entry } = JSON.parse(stdout.trim().split('\n').at(-1));
    const appends = (await server.control.requests({ operationId: 'addMessage' })).map((exchange) => exchange.status);
    if (appends.join() !== '503,201') throw new Error(`the server saw appends answered ${appends.join(', ')}, expected 503 then 201`);
    return `${entry.replace(/^(.*\/)?node_modules\//, '')}: create, add (503 retried, then 201), get, 404 as NotFoundError`;
  } finally {
    await server.stop();
  }
}
