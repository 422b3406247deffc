import { isSessionsError, type ErrorCode } from '../core/errors.js';
import type { ApiResponse } from './types.js';

export const statusByCode: Record<ErrorCode, number> = {
  VALIDATION_ERROR: 400,
  AUTH_REQUIRED: 401,
  AUTH_INVALID: 401,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

export const jsonContentType = 'application/json; charset=utf-8';

/**
 * The one place an error becomes an HTTP answer. A `SessionsError` keeps its code, message,
 * details and hint; anything else is a bug and answers a bare 500 that leaks nothing.
 */
export function errorResponse(error: unknown): ApiResponse {
  if (!isSessionsError(error)) {
    return {
      status: 500,
      headers: { 'content-type': jsonContentType },
      body: { error: 'Internal server error', code: 'INTERNAL_ERROR', details: null },
    };
  }
  const headers: Record<string, string> = { 'content-type': jsonContentType };
  const retryAfter = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  if (typeof retryAfter === 'number') headers['retry-after'] = String(Math.max(0, Math.ceil(retryAfter)));
  const body: Record<string, unknown> = { error: error.message, code: error.code, details: error.details };
  if (error.hint !== undefined) body.hint = error.hint;
  // A code from another copy of this package that this one does not know is still an error.
  return { status: statusByCode[error.code] ?? 500, headers, body };
}
