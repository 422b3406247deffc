import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema, McpError, ErrorCode, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import type { FoldSessions } from 'fold-sessions';
import { operations, type OperationInput } from './operations.js';
import { errorResult, toolError, toolSuccess } from './tool-result.js';
import type { ToolSpec } from './tool-spec.js';
import { toolSpecs, type OperationId } from './tools.gen.js';

/** A tool that is not an operation of the API, such as the sandbox's clock. */
export interface ExtraTool {
  definition: Tool;
  call(args: Record<string, unknown>): Promise<CallToolResult>;
}

/** Splits a tool's arguments into path, query and body, as the spec sends them. */
export function splitArguments(spec: ToolSpec, args: Record<string, unknown>): OperationInput {
  const path: Record<string, string> = {};
  const query: Record<string, unknown> = {};
  const rest: Record<string, unknown> = { ...args };
  for (const name of spec.pathParams) {
    path[name] = rest[name] as string;
    delete rest[name];
  }
  for (const name of spec.queryParams) {
    if (rest[name] !== undefined) query[name] = rest[name];
    delete rest[name];
  }
  // Whatever is left goes into the body, unknown names included, for the API to judge.
  const body = spec.body === null ? undefined : spec.body.kind === 'property' ? rest[spec.body.name] : rest;
  return { path, query, body };
}

/** A path parameter the model left out: the request cannot even be addressed. */
function missingPathParameters(spec: ToolSpec, args: Record<string, unknown>): CallToolResult | undefined {
  const issues = spec.pathParams
    .filter((name) => typeof args[name] !== 'string' || args[name] === '')
    .map((name) => ({ path: name, message: 'Required: a non-empty string' }));
  if (issues.length === 0) return undefined;
  return toolError(
    { error: `Missing ${issues.map((issue) => issue.path).join(', ')}`, code: 'VALIDATION_ERROR', details: { issues }, status: null, request_id: null },
    `${spec.name} needs ${issues.map((issue) => `\`${issue.path}\``).join(' and ')}; nothing was sent.`,
  );
}

function definition(spec: ToolSpec): Tool {
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    inputSchema: spec.inputSchema as Tool['inputSchema'],
    outputSchema: spec.outputSchema as Tool['outputSchema'],
    annotations: spec.annotations,
  };
}

/**
 * Serves one tool per operation of the spec (plus `extraTools`) on a low-level MCP server: the
 * schemas are the spec's JSON schemas as generated, not zod schemas rebuilt from them.
 */
export function registerTools(server: Server, client: FoldSessions, extraTools: readonly ExtraTool[] = []): void {
  server.registerCapabilities({ tools: { listChanged: false } });
  const byName = new Map<string, ToolSpec<OperationId>>(toolSpecs.map((spec) => [spec.name, spec]));
  const extras = new Map(extraTools.map((tool) => [tool.definition.name, tool] as const));
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: [...toolSpecs.map(definition), ...extraTools.map((tool) => tool.definition)],
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const name = request.params.name;
    const args = request.params.arguments ?? {};
    const extra = extras.get(name);
    if (extra) return extra.call(args);
    const spec = byName.get(name);
    if (!spec) throw new McpError(ErrorCode.InvalidParams, `Unknown tool ${name}: list the tools with tools/list`);
    const missing = missingPathParameters(spec, args);
    if (missing) return missing;
    try {
      const { data, requestId } = await operations[spec.name](client, splitArguments(spec, args));
      return toolSuccess(data, requestId);
    } catch (error) {
      return errorResult(error);
    }
  });
}
