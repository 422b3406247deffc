import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isAPIError, isFoldSessionsError } from 'fold-sessions';

/** The `_meta` key of a successful call's request id. */
export const requestIdMetaKey = 'run.fold/request-id';

/**
 * A successful call: the body as structured content, the same JSON as text for hosts that show
 * only text, and the response's request id in `_meta`.
 */
export function toolSuccess(data: unknown, requestId?: string): CallToolResult {
  return {
    content: [{ type: 'text', text: JSON.stringify(data, null, 2) }],
    structuredContent: data as Record<string, unknown>,
    ...(requestId !== undefined && { _meta: { [requestIdMetaKey]: requestId } }),
  };
}

/** The structured content of a tool error: the API's error body, its status and its request id. */
export interface ToolErrorContent {
  error: string;
  code: string;
  details: Record<string, unknown> | null;
  hint?: string;
  status: number | null;
  request_id: string | null;
}

/** A tool error with structured content, and text that says what went wrong and what to do. */
export function toolError(content: ToolErrorContent, text: string): CallToolResult {
  return {
    isError: true,
    content: [{ type: 'text', text: `${text}\n${JSON.stringify(content, null, 2)}` }],
    structuredContent: { ...content },
  };
}

/**
 * An error of the SDK as a tool error a model can act on: an API error carries the API's `code`,
 * `hint`, `details`, status and request id; a connection error or timeout only its message.
 * Anything else is a bug and is rethrown.
 */
export function errorResult(error: unknown): CallToolResult {
  if (isAPIError(error) && error.code !== undefined) {
    const body = error.body as { error?: unknown };
    return toolError(
      {
        error: typeof body?.error === 'string' ? body.error : error.message,
        code: error.code,
        details: error.details,
        ...(error.hint !== undefined && { hint: error.hint }),
        status: error.status,
        request_id: error.requestId ?? null,
      },
      error.message,
    );
  }
  if (isFoldSessionsError(error)) return { isError: true, content: [{ type: 'text', text: error.message }] };
  throw error;
}
