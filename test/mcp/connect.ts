import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/** The server's entry, run from source. */
export const mcpBin = fileURLToPath(new URL('../../mcp/src/bin.ts', import.meta.url));
/** Node flags that run the TypeScript sources of the workspace packages. */
export const sourceFlags = ['--conditions=fold-sessions-source', '--import', 'tsx'];

export type TransportKind = 'stdio' | 'http';

export interface Connected {
  client: Client;
  /** Everything the server printed on stderr so far. */
  stderr(): string;
  close(): Promise<void>;
}

const childEnv = (env: Record<string, string | undefined>): Record<string, string> => {
  const merged: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...process.env, FOLD_API_KEY: undefined, FOLD_BASE_URL: undefined, FOLD_LOG: undefined, ...env })) {
    if (value !== undefined) merged[name] = value;
  }
  return merged;
};

/** Starts `command args` as an MCP host would over stdio and connects the SDK's client to it. */
export async function connectStdio(command: string, args: string[], env: Record<string, string | undefined>): Promise<Connected> {
  const transport = new StdioClientTransport({ command, args, env: childEnv(env), stderr: 'pipe' });
  let stderr = '';
  transport.stderr!.on('data', (chunk) => (stderr += chunk));
  const client = new Client({ name: 'fold-sessions-mcp-tests', version: '0.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr, close: () => client.close() };
}

/** Starts the server with `--http --port 0` and connects the SDK's client over Streamable HTTP. */
export async function connectHttp(args: string[], env: Record<string, string | undefined>): Promise<Connected & { url: string }> {
  const child = spawn(process.execPath, [...sourceFlags, mcpBin, '--http', '--port', '0', ...args], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`No "listening on" within 20 s:\n${output}`)), 20_000);
    const onData = () => {
      const match = /listening on (http:\/\/\S+?),/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve(match[1]!);
    };
    child.stderr.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`The server exited before listening:\n${output}`));
    });
  });
  const client = new Client({ name: 'fold-sessions-mcp-tests', version: '0.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return {
    client,
    url,
    stderr: () => output,
    async close() {
      await client.close();
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The server from source over either transport. */
export function connect(kind: TransportKind, args: string[], env: Record<string, string | undefined>): Promise<Connected> {
  return kind === 'stdio' ? connectStdio(process.execPath, [...sourceFlags, mcpBin, ...args], env) : connectHttp(args, env);
}
