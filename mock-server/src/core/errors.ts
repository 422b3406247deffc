/**
 * The typed errors of the domain. Each carries the API error `code` it stands for and its
 * machine-readable `details`; `api/error-response.ts` turns any of them into status and body.
 */

/** Error codes of the Sessions API (mirrors the spec's `ErrorCode`). */
export type ErrorCode =
  | 'VALIDATION_ERROR'
  | 'AUTH_REQUIRED'
  | 'AUTH_INVALID'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'RATE_LIMITED'
  | 'INTERNAL_ERROR'
  | 'SERVICE_UNAVAILABLE';

/** One problem found in a request; `path` reads like `body.name` or `query.limit`. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** Base class of every error this package throws on purpose. */
export class SessionsError extends Error {
  override readonly name: string = 'SessionsError';
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | null;
  readonly hint: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: Record<string, unknown> | null; hint?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? null;
    this.hint = options.hint;
  }
}

/** The request is malformed; `details.issues` lists every problem. */
export class ValidationError extends SessionsError {
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

/** No such session in the caller's organisation (unknown, deleted, or another organisation's). */
export class SessionNotFoundError extends SessionsError {
  override readonly name = 'SessionNotFoundError';

  constructor(readonly sessionId: string) {
    super('NOT_FOUND', `Session ${sessionId} not found`, { details: { id: sessionId } });
  }
}

/** A write to a session that is not `active`. */
export class SessionNotActiveError extends SessionsError {
  override readonly name = 'SessionNotActiveError';

  constructor(
    readonly sessionId: string,
    readonly status: string,
  ) {
    super('CONFLICT', `Session ${sessionId} is ${status} and read-only`, {
      details: { id: sessionId, status },
      hint: 'Only active sessions accept messages, context updates and lifecycle changes. Create a new session.',
    });
  }
}

/** The same `Idempotency-Key` was used for a different request. */
export class IdempotencyKeyReusedError extends SessionsError {
  override readonly name = 'IdempotencyKeyReusedError';

  constructor(readonly key: string) {
    super('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request', {
      details: { idempotency_key: key },
      hint: 'Use a new key for each new request.',
    });
  }
}

/** A request with the same `Idempotency-Key` is still running. */
export class IdempotencyInFlightError extends SessionsError {
  override readonly name = 'IdempotencyInFlightError';

  constructor(readonly key: string) {
    super('CONFLICT', 'A request with this Idempotency-Key is still in progress', {
      details: { idempotency_key: key },
      hint: 'Retry after the first request has finished.',
    });
  }
}

/** Structural check that works across copies of this package. */
export function isSessionsError(value: unknown): value is SessionsError {
  return (
    value instanceof SessionsError ||
    (value instanceof Error && typeof (value as { code?: unknown }).code === 'string' && 'details' in value)
  );
}
