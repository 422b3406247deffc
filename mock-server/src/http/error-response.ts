import { InvalidFieldError, SessionNotActiveError, SessionNotFoundError, StoreUnavailableError, UsageLimitError } from '../core/errors.js';
import { limitWireName } from '../core/limits.js';
import { ApiError, isApiError, ServiceUnavailableError, ValidationError, type ErrorCode } from './errors.js';
import { statusByErrorCode } from '../spec/spec.gen.js';
import type { ApiResponse } from './types.js';

/**
 * The status of each error code: the error responses of openapi/sessions.yaml, and 405, which its
 * description gives in words for a method none of a path's operations takes.
 */
const statusByCode = { ...statusByErrorCode, METHOD_NOT_ALLOWED: 405 } satisfies Record<ErrorCode, number>;

export const jsonContentType = 'application/json; charset=utf-8';

/** Where an operation's input fields sit in the request, for the paths of validation issues. */
export type FieldPaths = (field: string) => string;

const bodyField: FieldPaths = (field) => `body.${field}`;

/** A domain error in the API's words: its code, details and hint. */
function fromDomain(error: unknown, fieldPath: FieldPaths): ApiError | undefined {
  if (error instanceof SessionNotFoundError) return new ApiError('NOT_FOUND', error.message, { details: { id: error.sessionId } });
  if (error instanceof SessionNotActiveError) {
    return new ApiError('CONFLICT', error.message, {
      details: { id: error.sessionId, status: error.status },
      hint: 'Only active sessions accept messages, context updates and lifecycle changes. Create a new session.',
    });
  }
  if (error instanceof InvalidFieldError) return new ValidationError([{ path: fieldPath(error.field), message: error.reason }]);
  if (error instanceof StoreUnavailableError) return new ServiceUnavailableError(1, 'The change could not be stored and was not applied');
  if (error instanceof UsageLimitError) {
    return new ApiError('USAGE_LIMIT_EXCEEDED', error.message, {
      details: { limit: limitWireName(error.limit), value: error.value },
      hint: error.limit === 'sessionsPerOrganisation' ? 'Delete sessions you no longer need; retrying will not help.' : 'Start a new session; retrying will not help.',
      headers: { 'x-should-retry': 'false' },
    });
  }
  return undefined;
}

/**
 * The one place an error becomes an HTTP answer. An `ApiError` keeps its code, message, details
 * and hint; a domain error is put in the API's words; anything else is a bug and answers a bare
 * 500 that leaks nothing.
 */
export function errorResponse(error: unknown, fieldPath: FieldPaths = bodyField): ApiResponse {
  const known = isApiError(error) ? error : fromDomain(error, fieldPath);
  if (!known) {
    return {
      status: 500,
      headers: { 'content-type': jsonContentType },
      body: { error: 'Internal server error', code: 'INTERNAL_ERROR', details: null },
    };
  }
  const headers: Record<string, string> = { 'content-type': jsonContentType };
  if (typeof known.retryAfterSeconds === 'number') headers['retry-after'] = String(Math.max(0, Math.ceil(known.retryAfterSeconds)));
  for (const [name, value] of Object.entries(known.headers ?? {})) headers[name] = value;
  const body: Record<string, unknown> = { error: known.message, code: known.code, details: known.details };
  if (known.hint !== undefined) body.hint = known.hint;
  // A code from another copy of this package that this one does not know is still an error.
  return { status: statusByCode[known.code] ?? 500, headers, body };
}
