// Generated from openapi/sessions.yaml by `npm run generate` (scripts/api-table.mjs). Do not edit.
import type { z } from 'zod';
import { zConflictError, zDeletedSession, zIdempotencyKeyReusedError, zInternalError, zMemoryQueryResult, zMessage, zNotFoundError, zPayloadTooLargeError, zRateLimitedError, zServiceUnavailableError, zSession, zSessionList, zSessionWithMessages, zUnauthorizedError, zUnsupportedMediaTypeError, zValidationError } from 'fold-sessions/zod';
import type { zErrorCode } from 'fold-sessions/zod';
import type { OperationId } from './operation-ids.gen.js';

export { operationIds, type OperationId } from './operation-ids.gen.js';

export interface QueryParameterSpec {
  readonly name: string;
  readonly type: 'string' | 'integer';
}

export interface ResponseHeaderSpec {
  /** Lower case. */
  readonly name: string;
  readonly required: boolean;
}

export interface ResponseSpec {
  /** The schema of the JSON body, or null for a response without one. */
  readonly schema: z.ZodType | null;
  readonly headers: readonly ResponseHeaderSpec[];
}

export interface OperationSpec {
  readonly operationId: OperationId;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** The path template, e.g. `/sessions/{id}/messages`. */
  readonly path: string;
  readonly query: readonly QueryParameterSpec[];
  readonly requestBody: 'required' | 'none';
  /** The request headers it documents as parameters, lower case. */
  readonly headers: readonly string[];
  /** Every documented status. */
  readonly responses: Readonly<Record<number, ResponseSpec>>;
}

/** Every operation as the spec documents it. */
export const operationSpecs: { readonly [K in OperationId]: OperationSpec } = {
  listSessions: {
    operationId: 'listSessions',
    method: 'GET',
    path: '/sessions',
    query: [{ name: 'status', type: 'string' }, { name: 'limit', type: 'integer' }, { name: 'cursor', type: 'string' }],
    requestBody: 'none',
    headers: ['x-request-id', 'x-fold-retry-count', 'x-fold-timeout'],
    responses: {
      200: { schema: zSessionList, headers: [{ name: 'x-request-id', required: true }, { name: 'ratelimit', required: false }, { name: 'ratelimit-policy', required: false }] },
      400: { schema: zValidationError, headers: [{ name: 'x-request-id', required: true }, { name: 'idempotent-replayed', required: false }] },
      401: { schema: zUnauthorizedError, headers: [{ name: 'x-request-id', required: true }] },
      429: { schema: zRateLimitedError, headers: [{ name: 'x-request-id', required: true }, { name: 'retry-after', required: false }, { name: 'x-should-retry', required: false }, { name: 'ratelimit', required: false }, { name: 'ratelimit-policy', required: false }] },
      500: { schema: zInternalError, headers: [{ name: 'x-request-id', required: true }] },
      503: { schema: zServiceUnavailableError, headers: [{ name: 'x-request-id', required: true }, { name: 'retry-after', required: true }] },
    },
  },
  createSession: {
    operationId: 'createSession',
    method: 'POST',
    path: '/sessions',
    query: [],
    requestBody: 'required',
    headers: ['idempotency-key', 'x-request-id', 'x-fold-retry-count', 'x-fold-timeout'],
    responses: {
      201: { schema: zSession, headers: [{ name: 'x-request-id', required: true }, { name: 'idempotent-replayed', required: false }, { name: 'ratelimit', required: false }, { name: 'ratelimit-policy', required: false }] },
      400: { schema: zValidationError, headers: [{ name: 'x-request-id', required: true }, { name: 'idempotent-replayed', required: false }] },
      401: { schema: zUnauthorizedError, headers: [{ name: 'x-request-id', required: true }] },
      409: { schema: zConflictError, headers: [{ name: 'x-request-id', required: true }] },
      413: { schema: zPayloadTooLargeError, headers: [{ name: 'x-request-id', required: true }] },
      415: { schema: zUnsupportedMediaTypeError, headers: [{ name: 'x-request-id', required: true }, { name: 'idempotent-replayed', required: false }] },
      422: { schema: zIdempotencyKeyReusedError, headers: [{ name: 'x-request-id', required: true }] },
      429: { schema: zRateLimitedError, headers: [{ name: 'x-request-id', required: true }, { name: 'retry-after', required: false }, { name: 'x-should-retry', required: false }, { name: 'ratelimit', required: false }, { name: 'ratelimit-policy', required: false }] },
      500: { schema: zInternalError, headers: [{ name: 'x-request-id', required: true }] },
      503: { schema: zServiceUnavailableError, headers: [{ name: 'x-request-id', required: true }, { name: 'retry-after', required: true }] },
    },
  },
  getSession: {
    operationId: 'getSession',
    method: 'GET',
    path: '/sessions/{id}',
    query: [],
    requestBody: 'none',
    headers: ['x-request-id', 'x-fold-retry-count', 'x-fold-timeout'],
    responses: {
      200: { schema: zSessionWithMessages, headers: [{ name: 'x-request-id', required: true }, { name: 'ratelimit', required: false }, { name: 'ratelimit-policy', required: false }] },
      400: { schema: zValidationError, headers: [{ name: 'x-request-id', required: true }, { name: 'idempotent-replayed', required: false }] },
      401: { schema: zUnauthorizedError, headers: [{ name: 'x-request-id', required: true }] },
      404: { schema: zNotFoundError, headers: [{ name: 'x-request-id', required: true }, { name: 'idempotent-replayed', required: false }] },
      429: { schema: zRateLimitedError, headers: [{ name: 'x-request-id', required: true }, { name: 'retry-after', required: false }, { name: 'x-should-retry', required: false }, { name: 'ratelimit', required: false }, { name: 'ratelimit-policy', required: false }] },
      500: { schema: zInternalError, headers: [{ name: 'x-request-id', required: true }] },
      503: { schema: zServiceUnavailableError, headers: [{ name: 'x-request-id', required: true }, { name: 'retry-after', required: true }] },
    },
  },
  deleteSession: {
    operationId: 'deleteSession',
    method: 'DELETE',
    path: '/sessions/{id}',
    query: [],
    requestBody: 'none',
    headers: ['x-request-id', 'x-fold-retry-count', 'x-fold-timeout'],
    responses: {
      200: { schema: zDeletedSession, headers: [{ name: 'x-request-id', required: true }, { name: 'ratelimit', required: false }, { name: 'ratelimit-policy', required: false }] },
      400: { schema: zValidationError, headers: [{ name: 'x-request-id', required: true }, { name: 'idempotent-replayed', required: false }] },
      401: { schema: zUnauthorizedError, headers: [{ name: 'x-request-id', required: true }] },
      404: { schema: zNotFoundError, headers: [{ name: 'x-request-id', required: true }, { name: 'idempotent-replayed', required: false }] },
      429: { schema: zRateLimitedError, headers: [{ name: 'x-request-id', required: true }, { name: 'retry-after', required: false }, { name: 'x-should-retry', required: false }, { name: 'ratelimit', required: false }, { name: 'ratelimit-policy', required: false }] },
      500: { schema: zInternalError, headers: [{ name: 'x-request-id', required: true }] },
      503: { schema: zServiceUnavailableError, headers: [{ name: 'x-request-id', required: true }, { name: 'retry-after', required: true }] },
    },
  },
  addMessage: {
    operationId: 'addMessage',
    method: 'POST',
    path: '/sessions/{id}/messages',
    query: [],
    requestBody: 'required',
    headers: ['idempotency-key', 'x-request-id', 'x-fold-retry-count', 'x-fold-timeout'],
    responses: {
      201: { schema: zMessage, headers: [{ name: 'x-request-id', required: true }, { name: 'idempotent-replayed', required: false }, { name: 'ratelimit', required: false }, { name: 'ratelimit-policy', required: false }] },
      400: { schema: zValidationError, headers: [{ name: 'x-request-id', required: true }, { name: 'idempotent-replayed', required: false }] },
      401: { schema: zUnauthorizedError, headers: [{ name: 'x-request-id', required: true }] },
      404: { schema: zNotFoundError, headers: [{ name: 'x-request-id', required: true }, { name: 'idempotent-replayed', required: false }] },
      409: { schema: zConflictError, headers: [{ name: 'x-request-id', required: true }, { name: 'idempotent-replayed', required: false }] },
      413: { schema: zPayloadTooLargeError, headers: [{ name: 'x-request-id', required: true }] },
      415: { schema: zUnsupportedMediaTypeError, headers: [{ name: 'x-request-id', required: true }, { name: 'idempotent-replayed', required: false }] },
      422: { schema: zIdempotencyKeyReusedError, headers: [{ name: 'x-request-id', required: true }] },
      429: { schema: zRateLimitedError, headers: [{ name: 'x-request-id', required: true }, { name: 'retry-after', required: false }, { name: 'x-should-retry', required: false }, { name: 'ratelimit', required: false }, { name: 'ratelimit-policy', required: false }] },
      500: { schema: zInternalError, headers: [{ name: 'x-request-id', required: true }] },
      503: { schema: zServiceUnavailableError, headers: [{ name: 'x-request-id', required: true }, { name: 'retry-after', required: true }] },
    },
  },
  updateContext: {
    operationId: 'updateContext',
    method: 'PUT',
    path: '/sessions/{id}/context',
    query: [],
    requestBody: 'required',
    headers: ['x-request-id', 'x-fold-retry-count', 'x-fold-timeout'],
    responses: {
      200: { schema: zSession, headers: [{ name: 'x-request-id', required: true }, { name: 'ratelimit', required: false }, { name: 'ratelimit-policy', required: false }] },
      400: { schema: zValidationError, headers: [{ name: 'x-request-id', required: true }, { name: 'idempotent-replayed', required: false }] },
      401: { schema: zUnauthorizedError, headers: [{ name: 'x-request-id', required: true }] },
      404: { schema: zNotFoundError, headers: [{ name: 'x-request-id', required: true }, { name: 'idempotent-replayed', required: false }] },
      409: { schema: zConflictError, headers: [{ name: 'x-request-id', required: true }, { name: 'idempotent-replayed', required: false }] },
      413: { schema: zPayloadTooLargeError, headers: [{ name: 'x-request-id', required: true }] },
      415: { schema: zUnsupportedMediaTypeError, headers: [{ name: 'x-request-id', required: true }, { name: 'idempotent-replayed', required: false }] },
      429: { schema: zRateLimitedError, headers: [{ name: 'x-request-id', required: true }, { name: 'retry-after', required: false }, { name: 'x-should-retry', required: false }, { name: 'ratelimit', required: false }, { name: 'ratelimit-policy', required: false }] },
      500: { schema: zInternalError, headers: [{ name: 'x-request-id', required: true }] },
      503: { schema: zServiceUnavailableError, headers: [{ name: 'x-request-id', required: true }, { name: 'retry-after', required: true }] },
    },
  },
  closeSession: {
    operationId: 'closeSession',
    method: 'POST',
    path: '/sessions/{id}/close',
    query: [],
    requestBody: 'none',
    headers: ['idempotency-key', 'x-request-id', 'x-fold-retry-count', 'x-fold-timeout'],
    responses: {
      200: { schema: zSession, headers: [{ name: 'x-request-id', required: true }, { name: 'idempotent-replayed', required: false }, { name: 'ratelimit', required: false }, { name: 'ratelimit-policy', required: false }] },
      400: { schema: zValidationError, headers: [{ name: 'x-request-id', required: true }, { name: 'idempotent-replayed', required: false }] },
      401: { schema: zUnauthorizedError, headers: [{ name: 'x-request-id', required: true }] },
      404: { schema: zNotFoundError, headers: [{ name: 'x-request-id', required: true }, { name: 'idempotent-replayed', required: false }] },
      409: { schema: zConflictError, headers: [{ name: 'x-request-id', required: true }, { name: 'idempotent-replayed', required: false }] },
      413: { schema: zPayloadTooLargeError, headers: [{ name: 'x-request-id', required: true }] },
      415: { schema: zUnsupportedMediaTypeError, headers: [{ name: 'x-request-id', required: true }, { name: 'idempotent-replayed', required: false }] },
      422: { schema: zIdempotencyKeyReusedError, headers: [{ name: 'x-request-id', required: true }] },
      429: { schema: zRateLimitedError, headers: [{ name: 'x-request-id', required: true }, { name: 'retry-after', required: false }, { name: 'x-should-retry', required: false }, { name: 'ratelimit', required: false }, { name: 'ratelimit-policy', required: false }] },
      500: { schema: zInternalError, headers: [{ name: 'x-request-id', required: true }] },
      503: { schema: zServiceUnavailableError, headers: [{ name: 'x-request-id', required: true }, { name: 'retry-after', required: true }] },
    },
  },
  completeSession: {
    operationId: 'completeSession',
    method: 'POST',
    path: '/sessions/{id}/complete',
    query: [],
    requestBody: 'none',
    headers: ['idempotency-key', 'x-request-id', 'x-fold-retry-count', 'x-fold-timeout'],
    responses: {
      200: { schema: zSession, headers: [{ name: 'x-request-id', required: true }, { name: 'idempotent-replayed', required: false }, { name: 'ratelimit', required: false }, { name: 'ratelimit-policy', required: false }] },
      400: { schema: zValidationError, headers: [{ name: 'x-request-id', required: true }, { name: 'idempotent-replayed', required: false }] },
      401: { schema: zUnauthorizedError, headers: [{ name: 'x-request-id', required: true }] },
      404: { schema: zNotFoundError, headers: [{ name: 'x-request-id', required: true }, { name: 'idempotent-replayed', required: false }] },
      409: { schema: zConflictError, headers: [{ name: 'x-request-id', required: true }, { name: 'idempotent-replayed', required: false }] },
      413: { schema: zPayloadTooLargeError, headers: [{ name: 'x-request-id', required: true }] },
      415: { schema: zUnsupportedMediaTypeError, headers: [{ name: 'x-request-id', required: true }, { name: 'idempotent-replayed', required: false }] },
      422: { schema: zIdempotencyKeyReusedError, headers: [{ name: 'x-request-id', required: true }] },
      429: { schema: zRateLimitedError, headers: [{ name: 'x-request-id', required: true }, { name: 'retry-after', required: false }, { name: 'x-should-retry', required: false }, { name: 'ratelimit', required: false }, { name: 'ratelimit-policy', required: false }] },
      500: { schema: zInternalError, headers: [{ name: 'x-request-id', required: true }] },
      503: { schema: zServiceUnavailableError, headers: [{ name: 'x-request-id', required: true }, { name: 'retry-after', required: true }] },
    },
  },
  queryMemory: {
    operationId: 'queryMemory',
    method: 'POST',
    path: '/vectors/query',
    query: [],
    requestBody: 'required',
    headers: ['idempotency-key', 'x-request-id', 'x-fold-retry-count', 'x-fold-timeout'],
    responses: {
      200: { schema: zMemoryQueryResult, headers: [{ name: 'x-request-id', required: true }, { name: 'idempotent-replayed', required: false }, { name: 'ratelimit', required: false }, { name: 'ratelimit-policy', required: false }, { name: 'memory-ranking', required: true }] },
      400: { schema: zValidationError, headers: [{ name: 'x-request-id', required: true }, { name: 'idempotent-replayed', required: false }] },
      401: { schema: zUnauthorizedError, headers: [{ name: 'x-request-id', required: true }] },
      409: { schema: zConflictError, headers: [{ name: 'x-request-id', required: true }] },
      413: { schema: zPayloadTooLargeError, headers: [{ name: 'x-request-id', required: true }] },
      415: { schema: zUnsupportedMediaTypeError, headers: [{ name: 'x-request-id', required: true }, { name: 'idempotent-replayed', required: false }] },
      422: { schema: zIdempotencyKeyReusedError, headers: [{ name: 'x-request-id', required: true }] },
      429: { schema: zRateLimitedError, headers: [{ name: 'x-request-id', required: true }, { name: 'retry-after', required: false }, { name: 'x-should-retry', required: false }, { name: 'ratelimit', required: false }, { name: 'ratelimit-policy', required: false }] },
      500: { schema: zInternalError, headers: [{ name: 'x-request-id', required: true }] },
      503: { schema: zServiceUnavailableError, headers: [{ name: 'x-request-id', required: true }, { name: 'retry-after', required: true }] },
    },
  },
};

/** The status of each error code, as the error responses document it (a code no response documents is missing). */
export const statusByErrorCode = {
  VALIDATION_ERROR: 400,
  AUTH_INVALID: 401,
  AUTH_REQUIRED: 401,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  RATE_LIMITED: 429,
  USAGE_LIMIT_EXCEEDED: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
} as const satisfies { readonly [code in z.output<typeof zErrorCode>]?: number };

/** The error statuses each operation documents. */
export interface ErrorStatuses {
  listSessions: 400 | 401 | 429 | 500 | 503;
  createSession: 400 | 401 | 409 | 413 | 415 | 422 | 429 | 500 | 503;
  getSession: 400 | 401 | 404 | 429 | 500 | 503;
  deleteSession: 400 | 401 | 404 | 429 | 500 | 503;
  addMessage: 400 | 401 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;
  updateContext: 400 | 401 | 404 | 409 | 413 | 415 | 429 | 500 | 503;
  closeSession: 400 | 401 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;
  completeSession: 400 | 401 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;
  queryMemory: 400 | 401 | 409 | 413 | 415 | 422 | 429 | 500 | 503;
}
