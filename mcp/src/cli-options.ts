import { parseArgs } from 'node:util';

export interface CliOptions {
  help: boolean;
  version: boolean;
  sandbox: boolean;
  /** Undefined for stdio. */
  http: { port: number; host: string } | undefined;
}

/** A mistake in the command line or the environment, said in one sentence. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const usage = `Usage: fold-sessions-mcp [--sandbox] [--http [--port <n>] [--host <host>]]

An MCP server for the Sessions API: one tool per operation, sessions as fold-session://<id> resources.

  (no flags)      serve over stdio, for MCP hosts that start the server themselves
  --http          serve Streamable HTTP at http://<host>:<port>/mcp instead
  --port <n>      the HTTP port (default 3333; 0 picks a free one)
  --host <host>   the HTTP interface (default 127.0.0.1, loopback only)
  --sandbox       serve against an in-memory Sessions API with a movable clock (tool advanceClock);
                  needs no key and no server
  --help          print this and exit
  --version       print the version and exit

Environment:
  FOLD_API_KEY    the API key (required unless --sandbox); never printed
  FOLD_BASE_URL   where the API lives (default https://api.fold.run)
  FOLD_LOG        the SDK's log level on stderr: off, error, warn, info, debug (default warn)
`;

export const defaultPort = 3333;

export function parseCli(argv: readonly string[]): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
        sandbox: { type: 'boolean' },
        http: { type: 'boolean' },
        port: { type: 'string' },
        host: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]}; run fold-sessions-mcp --help for the options.`);
  }
  if (!values.http && (values.port !== undefined || values.host !== undefined)) {
    throw new UsageError('--port and --host apply to --http only; add --http or drop them.');
  }
  let port = defaultPort;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) throw new UsageError(`--port must be an integer from 0 to 65535, got ${JSON.stringify(values.port)}.`);
  }
  const host = values.host ?? '127.0.0.1';
  if (host.trim() === '') throw new UsageError('--host must not be empty.');
  return {
    help: values.help === true,
    version: values.version === true,
    sandbox: values.sandbox === true,
    http: values.http ? { port, host } : undefined,
  };
}
