/**
 * `fold-sessions/validation`: a response validator built from the spec's zod schemas. Importing
 * it is the opt-in; the main entry has no path to zod.
 *
 * @example
 * import { responseValidator } from 'fold-sessions/validation';
 * const fold = new FoldSessions({ validateResponses: responseValidator });
 */
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
import type { Operation, ResponseValidator } from './response-validator.js';

export type { Operation, ResponseValidator } from './response-validator.js';

const schemas: Record<Operation, { safeParse(body: unknown): { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } } }> = {
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

/** Checks success bodies with the generated zod schemas. Needs the peer dependency `zod`. */
export const responseValidator: ResponseValidator = {
  check(operation, body) {
    const result = schemas[operation].safeParse(body);
    return result.success ? [] : (result.error?.issues ?? []).map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
  },
};
