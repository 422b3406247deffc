import type { Route } from '../http/routes.js';
import { describeIssues } from './violations.js';

/** What the upstream's answer breaks of the spec, and its body when the body matches the schema. */
export interface AnswerCheck {
  violations: string[];
  /** Set when the status is documented and the body matches its schema. */
  valid: boolean;
}

/**
 * Checks an answer against the operation's documented responses: the status must be one of
 * them, the body must match the status's schema, and its required headers must be present.
 */
export function checkAnswer(route: Route, status: number, headers: Record<string, string>, body: { json: unknown } | undefined): AnswerCheck {
  const documented = route.spec.responses[status];
  const operation = route.operationId;
  if (!documented) {
    return { violations: [`answer: status ${status} is not documented for ${operation} (documented: ${Object.keys(route.spec.responses).join(', ')})`], valid: false };
  }
  const violations: string[] = [];
  for (const header of documented.headers) {
    if (header.required && headers[header.name] === undefined) violations.push(`answer: ${status} of ${operation} lacks the required header ${header.name}`);
  }
  let valid = true;
  if (documented.schema) {
    if (body === undefined) {
      violations.push(`answer: ${status} of ${operation} must have a JSON body`);
      valid = false;
    } else {
      const checked = documented.schema.safeParse(body.json);
      if (!checked.success) {
        violations.push(describeIssues(`answer: ${status} of ${operation}`, 'body', checked.error.issues));
        valid = false;
      }
    }
  }
  return { violations, valid };
}
