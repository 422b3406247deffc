// Imported lazily by core.ts, and only when `validateResponses` is on: it pulls in zod.
import {
  zAddMessageResponse,
  zCloseSessionResponse,
  zCompleteSessionResponse,
  zCreateSessionResponse,
  zDeleteSessionResponse,
  zGetSessionResponse,
  zListSessionsResponse,
  zQueryMemoryResponse,
  zUpdateContextResponse,
} from './generated/zod.gen.js';
import type { ValidationIssue } from './generated/types.gen.js';

// Named imports rather than a namespace: bundlers then keep no namespace helper in the main chunk.
const schemas = {
  AddMessage: zAddMessageResponse,
  CloseSession: zCloseSessionResponse,
  CompleteSession: zCompleteSessionResponse,
  CreateSession: zCreateSessionResponse,
  DeleteSession: zDeleteSessionResponse,
  GetSession: zGetSessionResponse,
  ListSessions: zListSessionsResponse,
  QueryMemory: zQueryMemoryResponse,
  UpdateContext: zUpdateContextResponse,
};

/** The operations, named as in the spec, whose success body is checked. */
export type Operation = keyof typeof schemas;

/** Where a success body breaks the spec; empty when it matches. */
export function responseIssues(operation: Operation, body: unknown): ValidationIssue[] {
  const result = schemas[operation].safeParse(body);
  return result.success
    ? []
    : result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}
