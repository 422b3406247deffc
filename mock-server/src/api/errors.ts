import { SessionsError } from '../core/errors.js';

/** No bearer token. */
export class AuthRequiredError extends SessionsError {
  override readonly name = 'AuthRequiredError';
  constructor() {
    super('AUTH_REQUIRED', 'Missing bearer token', { hint: 'Send the header Authorization: Bearer <api key>.' });
  }
}

/** A bearer token that maps to no organisation. */
export class AuthInvalidError extends SessionsError {
  override readonly name = 'AuthInvalidError';
  constructor() {
    super('AUTH_INVALID', 'Invalid API key', { hint: 'Check the API key; each key belongs to one organisation.' });
  }
}

/** No operation at this method and path. */
export class RouteNotFoundError extends SessionsError {
  override readonly name = 'RouteNotFoundError';
  constructor(method: string, path: string) {
    super('NOT_FOUND', `No route for ${method} ${path}`, {
      details: { method, path },
      hint: 'See openapi/sessions.yaml for the operations of the Sessions API.',
    });
  }
}

export class PayloadTooLargeError extends SessionsError {
  override readonly name = 'PayloadTooLargeError';
  constructor(limit: number) {
    super('PAYLOAD_TOO_LARGE', `Request body is larger than ${limit} bytes`, { details: { limit } });
  }
}

export class UnsupportedMediaTypeError extends SessionsError {
  override readonly name = 'UnsupportedMediaTypeError';
  constructor(contentType: string | undefined) {
    super('UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json', {
      details: { content_type: contentType ?? null },
      hint: 'Send the body as JSON with Content-Type: application/json.',
    });
  }
}

/** Errors that tell the client when to come back. */
export interface RetryableError {
  readonly retryAfterSeconds: number;
}

export class RateLimitedError extends SessionsError implements RetryableError {
  override readonly name = 'RateLimitedError';
  constructor(
    readonly limit: number,
    readonly windowSeconds: number,
    readonly retryAfterSeconds: number,
  ) {
    super('RATE_LIMITED', `Rate limit of ${limit} requests per ${windowSeconds} s exceeded`, {
      details: { limit, window_seconds: windowSeconds },
      hint: 'Wait for Retry-After seconds.',
    });
  }
}

export class ServiceUnavailableError extends SessionsError implements RetryableError {
  override readonly name = 'ServiceUnavailableError';
  constructor(readonly retryAfterSeconds: number) {
    super('SERVICE_UNAVAILABLE', 'Service temporarily unavailable', {
      hint: 'Retry after the number of seconds in Retry-After.',
    });
  }
}

/** An injected 500, for consumers' tests of their error handling. */
export class InjectedInternalError extends SessionsError {
  override readonly name = 'InjectedInternalError';
  constructor() {
    super('INTERNAL_ERROR', 'Internal server error (injected fault)');
  }
}
