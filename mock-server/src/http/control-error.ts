/** One problem with an input of the controller; `path` names the field. */
export interface ControlIssue {
  path: string;
  message: string;
}

/**
 * A controller call that could not be done: a bad input (status 400, `VALIDATION_ERROR`, with
 * `issues` naming each field), a refused control token (401) or a server failure. Thrown alike
 * by the in-process controller and by `connectControl`, so a test helper handles both the same way.
 */
export class ControlError extends Error {
  override readonly name = 'ControlError';

  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly issues: ControlIssue[] = [],
  ) {
    super(message);
  }
}

/** A 400 listing `issues`; `call` names the method, e.g. `controller.fail()`. */
export function invalidControlInput(call: string, issues: ControlIssue[]): ControlError {
  const lines = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  return new ControlError(`${call}: ${lines}`, 400, 'VALIDATION_ERROR', issues);
}
