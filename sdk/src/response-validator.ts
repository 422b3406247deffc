import type * as operations from './generated/sdk.gen.js';
import type { ValidationIssue } from './generated/types.gen.js';

/** The operations, named as in the spec (capitalised), whose success body a validator checks. */
export type Operation = Capitalize<keyof typeof operations>;

/**
 * Checks a successful response body against the spec. `fold-sessions/validation` exports one
 * built from the spec's zod schemas; the main entry never loads zod itself.
 */
export interface ResponseValidator {
  /** Where `body` breaks the spec of `operation`'s success response; empty when it matches. */
  check(operation: Operation, body: unknown): ValidationIssue[];
}
