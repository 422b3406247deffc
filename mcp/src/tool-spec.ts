import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';

/** A JSON Schema object, as the spec writes it (every `$ref` resolved). */
export type JsonSchema = { readonly [keyword: string]: unknown };

/** Where a tool's body comes from in its arguments. */
export type BodyInput =
  /** These arguments, together, are the body. */
  | { readonly kind: 'properties'; readonly names: readonly string[] }
  /** This one argument is the body (the context object of `updateContext`). */
  | { readonly kind: 'property'; readonly name: string };

/** One operation of the Sessions API as an MCP tool: what `scripts/mcp-tools.mjs` reads from the spec. */
export interface ToolSpec<Name extends string = string> {
  /** The spec's `operationId`. */
  readonly name: Name;
  readonly title: string;
  readonly description: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** The path template, e.g. `/sessions/{id}/messages`. */
  readonly path: string;
  readonly inputSchema: JsonSchema & { readonly type: 'object' };
  readonly outputSchema: JsonSchema & { readonly type: 'object' };
  readonly pathParams: readonly string[];
  readonly queryParams: readonly string[];
  /** Null for an operation without a body. */
  readonly body: BodyInput | null;
  readonly annotations: ToolAnnotations;
}
