// The reference server as a consumer runs it: the `fold-sessions-mock` bin of a project's installed
// tarball, in memory, on a free port, on a chosen Node; and the control client of that same tarball.
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
export async function startReferenceServer({ dir, node }) {
  const server = await startProcess(
    node.bin,
    [packageBin(dir, 'fold-sessions-mock'), '--in-memory', '--port', '0', '--control-token', CONTROL_TOKEN, '--log', 'silent'],
    { cwd: dir, env: node.env, ready: /listening on (http:\/\/\S+)/ },
  );
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
