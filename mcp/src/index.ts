/**
 * fold-sessions-mcp: the Sessions API as MCP tools generated from its spec, sessions as
 * resources, and an in-memory sandbox.
 */
export { createFoldSessionsMcpServer, type FoldSessionsMcpOptions } from './server.js';
export { createSandbox, runtimeFetch, sandboxBaseUrl, type Sandbox } from './sandbox.js';
export { serveHttp, mcpPath, type HttpServing } from './http.js';
export { registerTools, splitArguments, type ExtraTool } from './tools.js';
export { registerSessionResources, sessionUri, sessionUriScheme, listedSessions } from './resources.js';
export { errorResult, requestIdMetaKey, toolError, toolSuccess, type ToolErrorContent } from './tool-result.js';
export { renderTranscript } from './transcript.js';
export { operationIds, toolSpecs, type OperationId } from './tools.gen.js';
export type { BodyInput, JsonSchema, ToolSpec } from './tool-spec.js';
