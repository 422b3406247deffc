import type { ErrorCode } from '../spec/schemas.js';

export type { ErrorCode };

import type { ValidationIssue } from '../core/errors.js';

export type { ValidationIssue };

/**
 * Base class of every error the API answers on purpose: it carries the error `code`, the
 * machine-readable `details` and a `hint`; `error-response.ts` turns it into status and body.
 */
export class ApiError extends Error {
  override readonly name: string = 'ApiError';
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | null;
  readonly hint: string | undefined;
  /** Sent as `Retry-After` when set. */
  readonly retryAfterSeconds: number | undefined;
  /** Headers the answer carries beside its body, e.g. `Allow` or `x-should-retry`. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: Record<string, unknown> | null; hint?: string; retryAfterSeconds?: number; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? null;
    this.hint = options.hint;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.headers = options.headers ?? {};
  }
}

/** The request is malformed; `details.issues` lists every problem. */
export class ValidationError extends ApiError {
  override readonly name = 'ValidationError';
  readonly issues: ValidationIssue[];

  constructor(issues: ValidationIssue[], message = 'Request validation failed') {
    super('VALIDATION_ERROR', message, {
      details: { issues },
      hint: 'Fix the fields listed in details.issues and send the request again.',
    });
    this.issues = issues;
  }
}

/** No bearer token. */
export class AuthRequiredError extends ApiError {
  override readonly name = 'AuthRequiredError';
  constructor(what = 'API key') {
    super('AUTH_REQUIRED', 'Missing bearer token', { hint: `Send the header Authorization: Bearer <${what}>.` });
  }
}

/** A bearer token that is not accepted here. */
export class AuthInvalidError extends ApiError {
  override readonly name = 'AuthInvalidError';
  constructor(message = 'Invalid API key', hint = 'Check the API key; each key belongs to one organisation.') {
    super('AUTH_INVALID', message, { hint });
  }
}

/** No operation at this method and path. */
export class RouteNotFoundError extends ApiError {
  override readonly name = 'RouteNotFoundError';
  constructor(method: string, path: string, hint = 'See openapi/sessions.yaml for the operations of the Sessions API.') {
    super('NOT_FOUND', `No route for ${method} ${path}`, { details: { method, path }, hint });
  }
}

/** A known path with a method none of its operations takes; `Allow` lists the ones they do. */
export class MethodNotAllowedError extends ApiError {
  override readonly name = 'MethodNotAllowedError';
  constructor(method: string, path: string, allowed: string[], hint = 'See openapi/sessions.yaml for the operations of the Sessions API.') {
    super('METHOD_NOT_ALLOWED', `${method} is not a method of ${path}; it takes ${allowed.join(', ')}`, {
      details: { method, path, allowed },
      hint,
      headers: { allow: allowed.join(', ') },
    });
  }
}

export class PayloadTooLargeError extends ApiError {
  override readonly name = 'PayloadTooLargeError';
  constructor(limit: number) {
    super('PAYLOAD_TOO_LARGE', `Request body is larger than ${limit} bytes`, { details: { limit } });
  }
}

export class UnsupportedMediaTypeError extends ApiError {
  override readonly name = 'UnsupportedMediaTypeError';
  constructor(contentType: string | undefined) {
    super('UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json', {
      details: { content_type: contentType ?? null },
      hint: 'Send the body as JSON with Content-Type: application/json.',
    });
  }
}

/** The same `Idempotency-Key` was used for a different request. */
export class IdempotencyKeyReusedError extends ApiError {
  override readonly name = 'IdempotencyKeyReusedError';
  constructor(readonly key: string) {
    super('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request', {
      details: { idempotency_key: key },
      hint: 'Use a new key for each new request.',
    });
  }
}

/** A request with the same `Idempotency-Key` is still running. */
export class IdempotencyInFlightError extends ApiError {
  override readonly name = 'IdempotencyInFlightError';
  constructor(readonly key: string) {
    super('CONFLICT', 'A request with this Idempotency-Key is still in progress', {
      details: { idempotency_key: key },
      hint: 'Retry after the first request has finished.',
    });
  }
}

export class RateLimitedError extends ApiError {
  override readonly name = 'RateLimitedError';
  constructor(limit: number, windowSeconds: number, retryAfterSeconds: number) {
    super('RATE_LIMITED', `Rate limit of ${limit} requests per ${windowSeconds} s exceeded`, {
      details: { limit, window_seconds: windowSeconds },
      hint: 'Wait for Retry-After seconds.',
      retryAfterSeconds,
    });
  }
}

export class ServiceUnavailableError extends ApiError {
  override readonly name = 'ServiceUnavailableError';
  constructor(retryAfterSeconds: number, message = 'Service temporarily unavailable') {
    super('SERVICE_UNAVAILABLE', message, { hint: 'Retry after the number of seconds in Retry-After.', retryAfterSeconds });
  }
}

/** Structural check that works across copies of this package. */
export function isApiError(value: unknown): value is ApiError {
  return (
    value instanceof ApiError ||
    (value instanceof Error && typeof (value as { code?: unknown }).code === 'string' && 'details' in value)
  );
}
