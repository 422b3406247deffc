#!/usr/bin/env node
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { FoldSessions, isFoldSessionsError, type Logger } from 'fold-sessions';
import { parseCli, usage, UsageError } from './cli-options.js';
import { serveHttp } from './http.js';
import { createSandbox } from './sandbox.js';
import { createFoldSessionsMcpServer } from './server.js';
import type { ExtraTool } from './tools.js';
import { version } from './version.js';

// stdout belongs to the protocol under stdio: every line for people goes to stderr.
const say = (line: string) => process.stderr.write(`${line}\n`);
const stderrLogger: Logger = { error: console.error, warn: console.error, info: console.error, debug: console.error };

function fail(message: string, code = 2): never {
  say(`fold-sessions-mcp: ${message}`);
  process.exit(code);
}

async function main(): Promise<void> {
  let cli;
  try {
    cli = parseCli(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) fail(error.message);
    throw error;
  }
  if (cli.help) return void process.stdout.write(usage);
  if (cli.version) return void process.stdout.write(`${version}\n`);

  let client: FoldSessions;
  let extraTools: ExtraTool[] = [];
  let target: string;
  if (cli.sandbox) {
    const sandbox = createSandbox({ logger: stderrLogger });
    client = sandbox.client;
    extraTools = sandbox.tools;
    target = 'the in-memory sandbox (no key needed)';
  } else {
    if (!process.env.FOLD_API_KEY?.trim()) fail('Missing API key: set FOLD_API_KEY, or run with --sandbox to rehearse without one.');
    try {
      client = new FoldSessions({ logger: stderrLogger });
    } catch (error) {
      if (isFoldSessionsError(error)) fail(`${error.message}.`);
      throw error;
    }
    // The base URL only: the key is never printed.
    target = process.env.FOLD_BASE_URL?.trim() || 'https://api.fold.run';
  }
  const create = () => createFoldSessionsMcpServer({ client, extraTools });

  if (cli.http) {
    let serving;
    try {
      serving = await serveHttp(create, cli.http);
    } catch (error) {
      fail(`Cannot listen on ${cli.http.host}:${cli.http.port}: ${(error as Error).message}.`, 1);
    }
    say(`fold-sessions-mcp ${version} listening on ${serving.url}, serving ${target}`);
    const stop = () => void serving.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return;
  }
  await create().connect(new StdioServerTransport());
  say(`fold-sessions-mcp ${version} on stdio, serving ${target}`);
}

main().catch((error: unknown) => fail(`Unexpected error: ${error instanceof Error ? error.message : String(error)}`, 1));
