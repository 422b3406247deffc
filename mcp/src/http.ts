import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

/** Where the MCP endpoint is served. */
export const mcpPath = '/mcp';

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export interface HttpServing {
  server: Server;
  /** e.g. `http://127.0.0.1:3333/mcp` */
  url: string;
  close(): Promise<void>;
}

function sendJsonRpcError(res: import('node:http').ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

/**
 * Serves Streamable HTTP, stateless: every request gets a fresh MCP server from `create` (they
 * share whatever `create` closes over, such as the client or the sandbox). On a loopback
 * interface, requests whose Host is not loopback are refused (DNS rebinding).
 */
export async function serveHttp(create: () => McpServer, options: { port: number; host: string }): Promise<HttpServing> {
  const loopback = loopbackHosts.has(options.host);
  const server = createServer(async (req: IncomingMessage, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== mcpPath) return sendJsonRpcError(res, 404, `Not found: the MCP endpoint is ${mcpPath}`);
    const hostName = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (loopback && !loopbackHosts.has(hostName)) return sendJsonRpcError(res, 403, 'Forbidden: this server answers loopback hosts only');
    const mcp = create();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void mcp.close();
    });
    try {
      await mcp.connect(transport);
      await transport.handleRequest(req, res);
    } catch (error) {
      if (!res.headersSent) sendJsonRpcError(res, 500, `Internal error: ${(error as Error).message}`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host;
  return {
    server,
    url: `http://${shownHost}:${port}${mcpPath}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
