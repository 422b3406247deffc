import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { FoldSessions } from 'fold-sessions';
import { registerSessionResources } from './resources.js';
import { registerTools, type ExtraTool } from './tools.js';
import { version } from './version.js';

export interface FoldSessionsMcpOptions {
  /** The client every tool and resource calls through. */
  client: FoldSessions;
  /** Tools beside the API's operations, such as the sandbox's `advanceClock`. @default none */
  extraTools?: readonly ExtraTool[];
}

const instructions =
  'Tools of the Sessions API, one per operation: create a session, add messages, replace its context, close or complete it, ' +
  'and query the memory that closed sessions leave. A failed call returns isError with the API `code`, `hint` and `details`: ' +
  'read them and correct the call. Sessions are also resources, fold-session://<id>.';

/**
 * An MCP server for the Sessions API: the tools generated from the spec and the sessions as
 * resources. Connect it to any transport.
 *
 * @example
 * const server = createFoldSessionsMcpServer({ client: new FoldSessions({ apiKey }) });
 * await server.connect(new StdioServerTransport());
 */
export function createFoldSessionsMcpServer(options: FoldSessionsMcpOptions): McpServer {
  const server = new McpServer({ name: 'fold-sessions-mcp', title: 'Sessions API', version }, { instructions });
  registerTools(server.server, options.client, options.extraTools);
  registerSessionResources(server, options.client);
  return server;
}
