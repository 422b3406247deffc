// The reference server as a consumer runs it: the `fold-sessions-mock` bin of a project's installed
// tarball, in memory, on a free port, on a chosen Node; and the control client of that same tarball.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startProcess } from './process.mjs';
import { packageBin } from './project.mjs';

const CONTROL_TOKEN = 'consumer-control-token';

/**
 * Starts the server and connects the control client (`fold-sessions-mock/control`, loaded from the
 * project). `stop()` sends SIGTERM and fails unless the server exits with 0.
 */
/**
 * `createApp` from the installed package, listening as the CLI does: the library runs on the
 * project's own express, pino, lowdb and zod (the CLI carries its own copies, bundled).
 */
const librarySource = `import { createApp } from 'fold-sessions-mock';
const app = createApp({ control: { token: process.argv[2] }, logger: false });
const server = app.listen(0, '127.0.0.1', () => console.log(\`listening on http://127.0.0.1:\${server.address().port}\`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

/** The reference server: the package's CLI, or with `via: 'library'` its `createApp`. */
export async function startReferenceServer({ dir, node, via = 'cli' }) {
  if (via === 'library') writeFileSync(join(dir, 'serve-library.mjs'), librarySource);
  const args = via === 'library' ? ['serve-library.mjs', CONTROL_TOKEN] : [packageBin(dir, 'fold-sessions-mock'), '--in-memory', '--port', '0', '--control-token', CONTROL_TOKEN, '--log', 'silent'];
  const server = await startProcess(node.bin, args, { cwd: dir, env: node.env, ready: /listening on (http:\/\/\S+)/ });
  const baseURL = server.match[1];
  const entry = createRequire(join(dir, 'package.json')).resolve('fold-sessions-mock/control');
  const { connectControl } = await import(pathToFileURL(entry).href);
  return {
    baseURL,
    control: connectControl({ baseURL, token: CONTROL_TOKEN }),
    async stop() {
      const code = await server.stop();
      if (code !== 0) throw new Error(`the server exited with ${code} on SIGTERM:\n${server.output()}`);
    },
  };
}
