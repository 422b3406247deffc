import type * as operations from './generated/sdk.gen.js';
import type {
  AddMessageErrors,
  CloseSessionErrors,
  CompleteSessionErrors,
  CreateSessionErrors,
  DeleteSessionErrors,
  ErrorCode,
  GetSessionErrors,
  ListSessionsErrors,
  QueryMemoryErrors,
  UpdateContextErrors,
  ValidationIssue,
} from './generated/types.gen.js';

/** The generated error bodies of every operation, by status. */
interface ErrorsByOperation {
  listSessions: ListSessionsErrors;
  createSession: CreateSessionErrors;
  getSession: GetSessionErrors;
  deleteSession: DeleteSessionErrors;
  addMessage: AddMessageErrors;
  updateContext: UpdateContextErrors;
  closeSession: CloseSessionErrors;
  completeSession: CompleteSessionErrors;
  queryMemory: QueryMemoryErrors;
}
// Fails to compile when the generated client gains an operation the map above does not list.
type Unlisted = Exclude<keyof typeof operations, keyof ErrorsByOperation>;
export type EveryOperationListed = [Unlisted] extends [never] ? true : { missing: Unlisted };
true satisfies EveryOperationListed;

/**
 * The `code`s the spec documents for an error status, over every operation.
 * @example CodeOf<404> // 'NOT_FOUND'
 */
export type CodeOf<Status extends number> = {
  [Op in keyof ErrorsByOperation]: Status extends keyof ErrorsByOperation[Op]
    ? ErrorsByOperation[Op][Status] extends { code?: infer Code }
      ? NonNullable<Code>
      : never
    : never;
}[keyof ErrorsByOperation];

// A registry symbol, so that an error thrown by one copy of the package is recognised by the
// guards of another copy (two versions in node_modules, or a bundle next to a dependency).
const KINDS = Symbol.for('fold-sessions.error-kinds');

type ErrorClass<T> = (abstract new (...args: never[]) => T) & { readonly kind: string };

/**
 * The base of every error this package throws. Branch on the subclasses, or use
 * {@link isFoldSessionsError} when more than one copy of the package may be loaded.
 */
export class FoldSessionsError extends Error {
  /** The class name, kept as a string because minifiers rename classes. */
  static readonly kind: string = 'FoldSessionsError';
  declare readonly [KINDS]: readonly string[];

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    const kinds: string[] = [];
    for (let type: object = new.target; type !== Error; type = Object.getPrototypeOf(type)) {
      if (Object.hasOwn(type, 'kind')) kinds.push((type as typeof FoldSessionsError).kind);
    }
    // The chain always reaches FoldSessionsError, whose kind is its own.
    this.name = kinds[0] as string;
    Object.defineProperty(this, KINDS, { value: kinds });
  }
}

/**
 * Whether `error` is a `type` (default: any error of this package), also when it was thrown by
 * another copy of the package, where `instanceof` fails.
 *
 * @example
 * if (isFoldSessionsError(err, RateLimitError)) await sleep(err.retryAfter ?? 1);
 */
export function isFoldSessionsError<T extends FoldSessionsError = FoldSessionsError>(
  error: unknown,
  type: ErrorClass<T> = FoldSessionsError as unknown as ErrorClass<T>,
): error is T {
  if (error instanceof type) return true;
  const kinds = (error as { [KINDS]?: unknown } | null)?.[KINDS];
  return Array.isArray(kinds) && kinds.includes(type.kind);
}

/** Shorthand for `isFoldSessionsError(error, APIError)`: the server answered with an error status. */
export const isAPIError = (error: unknown): error is APIError => isFoldSessionsError(error, APIError);

/** Names a request in messages, as `GET /sessions/sess_123`. */
export const describeRequest = (request: Request): string => `${request.method} ${new URL(request.url).pathname}`;

/**
 * The server answered with an error status. The fields come from the API's error body
 * `{error, code, details, hint}` and the response headers.
 *
 * @example
 * try { await fold.sessions.get(id) }
 * catch (err) { if (err instanceof NotFoundError) console.log(err.requestId, err.code) }
 */
export class APIError extends FoldSessionsError {
  static override readonly kind: string = 'APIError';
  /** The HTTP status. */
  declare readonly status: number;
  /** The machine-readable code, such as `NOT_FOUND`; undefined when the body was not the API's. */
  declare readonly code: ErrorCode | undefined;
  /** Facts about the error (`details` of the body), or null. */
  declare readonly details: Record<string, unknown> | null;
  /** What to do about it, when the server said. */
  declare readonly hint: string | undefined;
  /** The `x-request-id` of the response; quote it when reporting a problem. */
  declare readonly requestId: string | undefined;
  declare readonly headers: Headers;
  /** The raw body: parsed JSON, or text. */
  declare readonly body: unknown;

  /**
   * @param request the request, as `POST /sessions`
   * @param body the parsed JSON body, or the text when it was not JSON
   */
  constructor(request: string, status: number, headers: Headers, body: unknown) {
    const fields = isErrorBody(body) ? body : undefined;
    const requestId = headers.get('x-request-id') ?? undefined;
    const what = fields
      ? `${fields.code}: ${fields.error}`
      : typeof body === 'string' && body
        ? body.slice(0, 200)
        : 'no error body';
    super(
      `${request} failed with ${status} ${what}` +
        (fields?.hint ? `. ${fields.hint}` : '') +
        (requestId ? ` (request id ${requestId})` : ''),
    );
    this.status = status;
    this.code = fields?.code;
    this.details = fields?.details ?? null;
    this.hint = fields?.hint;
    this.requestId = requestId;
    this.headers = headers;
    this.body = body;
  }
}

/** 400 `VALIDATION_ERROR`: the request was malformed; {@link BadRequestError.issues} says where. */
export class BadRequestError extends APIError {
  static override readonly kind: string = 'BadRequestError';
  /** The code the spec documents for this status; undefined when the body was not the API's. */
  declare readonly code: CodeOf<400> | undefined;
  /** Every problem the server found, as `{path: 'body.name', message}`. */
  get issues(): ValidationIssue[] {
    const issues = this.details?.issues;
    return Array.isArray(issues) ? (issues as ValidationIssue[]) : [];
  }
}

/** 401 `AUTH_REQUIRED` / `AUTH_INVALID`: check the API key. */
export class AuthenticationError extends APIError {
  static override readonly kind: string = 'AuthenticationError';
  /** `AUTH_REQUIRED` or `AUTH_INVALID`; undefined when the body was not the API's. */
  declare readonly code: CodeOf<401> | undefined;
}

/** 403: the key may not do this. */
export class PermissionDeniedError extends APIError {
  static override readonly kind: string = 'PermissionDeniedError';
}

/** 404 `NOT_FOUND`: unknown or deleted id, or a session of another organisation. */
export class NotFoundError extends APIError {
  static override readonly kind: string = 'NotFoundError';
  /** The code the spec documents for this status; undefined when the body was not the API's. */
  declare readonly code: CodeOf<404> | undefined;
}

/**
 * 409 `CONFLICT`: a write to a session that is no longer active (`details.status` says what it
 * is), or a request with the same idempotency key still running.
 */
export class ConflictError extends APIError {
  static override readonly kind: string = 'ConflictError';
  /** The code the spec documents for this status; undefined when the body was not the API's. */
  declare readonly code: CodeOf<409> | undefined;
}

/** 422, such as `IDEMPOTENCY_KEY_REUSED`: the same key was sent with a different request. */
export class UnprocessableEntityError extends APIError {
  static override readonly kind: string = 'UnprocessableEntityError';
  /** The code the spec documents for this status; undefined when the body was not the API's. */
  declare readonly code: CodeOf<422> | undefined;
}

/** 429 `RATE_LIMITED`, after the retries ran out. */
export class RateLimitError extends APIError {
  static override readonly kind: string = 'RateLimitError';
  /** The code the spec documents for this status; undefined when the body was not the API's. */
  declare readonly code: CodeOf<429> | undefined;
  /** Seconds the server asked to wait (`Retry-After`), when it said so in seconds. */
  get retryAfter(): number | undefined {
    const seconds = Number(this.headers.get('retry-after') ?? NaN);
    return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
  }
}

/** 5xx, after the retries ran out. */
export class InternalServerError extends APIError {
  static override readonly kind: string = 'InternalServerError';
  /** `INTERNAL_ERROR` or `SERVICE_UNAVAILABLE`; undefined when the body was not the API's (a proxy's 502, say). */
  declare readonly code: CodeOf<500 | 503> | undefined;
}

/** No response: DNS, refused or reset connection, CORS, after the retries ran out. */
export class APIConnectionError extends FoldSessionsError {
  static override readonly kind: string = 'APIConnectionError';
}

/** An attempt took longer than `timeout`, and the retries ran out. */
export class APITimeoutError extends APIConnectionError {
  static override readonly kind: string = 'APITimeoutError';
}

/** The caller's `signal` aborted the call. */
export class APIUserAbortError extends FoldSessionsError {
  static override readonly kind: string = 'APIUserAbortError';
}

/** With `validateResponses: responseValidator`, a successful response whose body breaks the spec. */
export class ResponseValidationError extends FoldSessionsError {
  static override readonly kind: string = 'ResponseValidationError';
  /** Where the body differs from the spec, as `{path: 'messages.0.role', message}`. */
  declare readonly issues: ValidationIssue[];
  declare readonly body: unknown;

  constructor(message: string, issues: ValidationIssue[], body: unknown) {
    super(message);
    this.issues = issues;
    this.body = body;
  }
}

const byStatus: Record<number, typeof APIError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

/** The one place an error response becomes an error: the class follows the status. */
export function makeAPIError(request: string, status: number, headers: Headers, body: unknown): APIError {
  const Class = byStatus[status] ?? (status >= 500 ? InternalServerError : APIError);
  return new Class(request, status, headers, body);
}

function isErrorBody(
  body: unknown,
): body is { error: string; code: ErrorCode; details?: Record<string, unknown> | null; hint?: string } {
  const fields = body as Record<string, unknown> | null;
  return typeof fields?.error === 'string' && typeof fields.code === 'string';
}
