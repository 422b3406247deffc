import { InvalidFieldError, SessionNotActiveError, SessionNotFoundError, StoreUnavailableError, UsageLimitError } from '../core/errors.js';
import { limitWireName } from '../core/limits.js';
import { ApiError, isApiError, ServiceUnavailableError, ValidationError, type ErrorCode } from './errors.js';
import type { ApiResponse } from './types.js';

export const statusByCode: Record<ErrorCode, number> = {
  VALIDATION_ERROR: 400,
  AUTH_REQUIRED: 401,
  AUTH_INVALID: 401,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  RATE_LIMITED: 429,
  USAGE_LIMIT_EXCEEDED: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

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
