import type { z } from 'zod';
import { readRequestBody } from '../http/body.js';
import { decodeBody } from '../http/content-encoding.js';
import { isApiError } from '../http/errors.js';
import { readQuery } from '../http/query.js';
import type { Route } from '../http/routes.js';
import type { ApiRequest } from '../http/types.js';
import type { OperationId } from '../spec/spec.gen.js';
import { zAddMessageBodyStrict, zCreateSessionBodyStrict, zGetSessionPath, zListSessionsQuery, zQueryMemoryBodyStrict, zUpdateContextBody } from '../spec/schemas.js';
import { describeIssues } from './violations.js';

// The schemas `operations.ts` validates each operation's body and query with.
const bodySchemas: Partial<Record<OperationId, z.ZodType>> = {
  createSession: zCreateSessionBodyStrict,
  addMessage: zAddMessageBodyStrict,
  updateContext: zUpdateContextBody,
  queryMemory: zQueryMemoryBodyStrict,
};
const querySchemas: Partial<Record<OperationId, z.ZodType>> = { listSessions: zListSessionsQuery };

/** Generous: the proxy only reads a body to check it; the upstream decides what it accepts. */
const readLimit = 64 * 1024 * 1024;

/** What the request breaks of the spec: its path id, query and body, each against the generated schema. */
export async function requestViolations(route: Route, request: ApiRequest): Promise<string[]> {
  const found: string[] = [];
  try {
    const query = readQuery(request.query, route.spec.query);
    const schema = querySchemas[route.operationId];
    const checked = schema?.safeParse(query);
    if (checked && !checked.success) found.push(describeIssues('request query', 'query', checked.error.issues));
  } catch (error) {
    found.push(describeError('request query', error));
  }
  if (route.sessionId !== undefined) {
    const checked = zGetSessionPath.safeParse({ id: route.sessionId });
    if (!checked.success) found.push(describeIssues('request path', 'path', checked.error.issues));
  }
  if (route.body === 'ignored') return found;
  try {
    const raw = await decodeBody(request.rawBody, request.headers['content-encoding'], readLimit);
    const body = readRequestBody(route.body, raw, request.headers['content-type']);
    if (body.error !== undefined) throw body.error;
    const schema = bodySchemas[route.operationId];
    const checked = schema?.safeParse(body.value);
    if (checked && !checked.success) found.push(describeIssues('request body', 'body', checked.error.issues));
  } catch (error) {
    found.push(describeError('request body', error));
  }
  return found;
}

function describeError(what: string, error: unknown): string {
  if (!isApiError(error)) throw error;
  const issues = (error.details as { issues?: Array<{ path: string; message: string }> } | null)?.issues;
  return issues ? `${what}: ${issues.map((issue) => `${issue.path} ${issue.message}`).join(', ')}` : `${what}: ${error.message}`;
}
