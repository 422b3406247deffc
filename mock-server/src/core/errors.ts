/** One problem found in an input; `path` reads like `body.name`, `query.limit` or `document.session.id`. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/**
 * The typed errors of the domain. They name sessions and fields only; `http/error-response.ts`
 * decides which status, code and issue path each stands for.
 */

import type { LimitName } from './limits.js';

/** Base class of every error the domain throws on purpose. */
export class DomainError extends Error {
  override readonly name: string = 'DomainError';
}

/** No such session in the caller's organisation (unknown, deleted, or another organisation's). */
export class SessionNotFoundError extends DomainError {
  override readonly name = 'SessionNotFoundError';

  constructor(readonly sessionId: string) {
    super(`Session ${sessionId} not found`);
  }
}

/** A write to a session that is not `active`. */
export class SessionNotActiveError extends DomainError {
  override readonly name = 'SessionNotActiveError';

  constructor(
    readonly sessionId: string,
    readonly status: string,
  ) {
    super(`Session ${sessionId} is ${status} and read-only`);
  }
}

/** An input field the domain refuses (an oversized context, a cursor it cannot read). */
export class InvalidFieldError extends DomainError {
  override readonly name = 'InvalidFieldError';

  constructor(
    /** The field, as the service names it: `context`, `cursor`. */
    readonly field: string,
    readonly reason: string,
  ) {
    super(`Invalid ${field}: ${reason}`);
  }
}

/** The store could not make a change durable (disk full, read-only, I/O error): it was undone. */
export class StoreUnavailableError extends DomainError {
  override readonly name = 'StoreUnavailableError';

  constructor(cause: unknown) {
    super('The change could not be stored and was not applied', { cause });
  }
}

/** A limit of the organisation or the session is reached (`limits.ts`); waiting does not help. */
export class UsageLimitError extends DomainError {
  override readonly name = 'UsageLimitError';

  constructor(
    /** The limit, as `Limits` names it: `messagesPerSession`. */
    readonly limit: LimitName,
    readonly value: number,
    message: string,
  ) {
    super(message);
  }
}
