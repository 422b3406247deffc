import { invalidControlInput, type ControlIssue } from './control-error.js';
import { operationIssue } from './faults.js';
import { operationSpecs, type OperationId } from './spec.gen.js';

/** A response of the test's choice for `controller.override()`. */
export interface OverrideResponse {
  status: number;
  /** A JSON value; omitted or undefined for no body. */
  body?: unknown;
  /** Header names are sent in lower case; `x-request-id` is always the API's own. */
  headers?: Record<string, string>;
}

/** What an override function sees of the request it answers. */
export interface OverriddenRequest {
  operationId: OperationId;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  /** The parsed JSON body, or undefined. */
  body: unknown;
  sessionId: string | null;
}

export type OverrideAnswer = OverrideResponse | ((request: OverriddenRequest) => OverrideResponse | Promise<OverrideResponse>);

export interface OverrideOptions {
  /** How many calls to answer. @default every call until `reset()` */
  times?: number;
  /** Skip the check against the spec, to send a response the spec refuses on purpose. @default false */
  unchecked?: boolean;
}

/** Why a response does not match what the spec documents for an operation; empty when it does. */
export function responseIssues(operationId: OperationId, response: OverrideResponse, at = ''): ControlIssue[] {
  const issues: ControlIssue[] = [];
  const documented = operationSpecs[operationId].responses;
  const spec = Number.isInteger(response.status) ? documented[response.status] : undefined;
  if (!spec) {
    issues.push({ path: `${at}status`, message: `${operationId} does not document status ${JSON.stringify(response.status)}; it documents ${Object.keys(documented).join(', ')}` });
    return issues;
  }
  if (spec.schema === null) {
    if (response.body !== undefined && response.body !== null) issues.push({ path: `${at}body`, message: `${operationId} answers ${response.status} without a body` });
  } else {
    const checked = spec.schema.safeParse(response.body);
    if (!checked.success) {
      for (const issue of checked.error.issues) {
        issues.push({ path: [`${at}body`, ...issue.path.map(String)].join('.'), message: issue.message });
      }
    }
  }
  return issues;
}

function headerIssues(headers: unknown, at: string): ControlIssue[] {
  if (headers === undefined) return [];
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) return [{ path: `${at}headers`, message: 'Must be an object of strings' }];
  return Object.entries(headers)
    .filter(([name, value]) => typeof value !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name))
    .map(([name]) => ({ path: `${at}headers.${name}`, message: 'Must be a valid header name with a string value' }));
}

interface Planned {
  operationId: OperationId;
  answer: OverrideAnswer;
  unchecked: boolean;
  /** Calls left; Infinity until reset. */
  remaining: number;
}

/** Responses of the test's choice, per operation; the one added last answers first. */
export class Overrides {
  readonly #planned: Planned[] = [];

  add(operationId: OperationId, answer: OverrideAnswer, options: OverrideOptions = {}): void {
    const issues: ControlIssue[] = [];
    const unknown = operationIssue(operationId, 'operationId', false);
    if (unknown) issues.push(unknown);
    const times = options.times;
    if (times !== undefined && !(Number.isSafeInteger(times) && times >= 1)) {
      issues.push({ path: 'times', message: `Must be a whole number >= 1, got ${JSON.stringify(times)}` });
    }
    if (typeof answer !== 'function') {
      if (typeof answer !== 'object' || answer === null) issues.push({ path: 'response', message: 'Must be { status, body?, headers? } or a function' });
      else {
        issues.push(...headerIssues(answer.headers, ''));
        if (!unknown && !options.unchecked) issues.push(...responseIssues(operationId, answer));
      }
    }
    if (issues.length > 0) throw invalidControlInput('controller.override()', issues);
    this.#planned.push({ operationId, answer, unchecked: options.unchecked === true, remaining: times ?? Number.POSITIVE_INFINITY });
  }

  /** The override that answers this call, if any, consuming one of its `times`. */
  take(operationId: OperationId): Planned | undefined {
    for (let i = this.#planned.length - 1; i >= 0; i--) {
      const planned = this.#planned[i]!;
      if (planned.operationId !== operationId) continue;
      planned.remaining -= 1;
      if (planned.remaining <= 0) this.#planned.splice(i, 1);
      return planned;
    }
    return undefined;
  }

  /**
   * The response an override gives `request`: a function is called, and its answer checked like
   * a fixed one (unless unchecked); a refused answer throws, so the exchange becomes a 500.
   */
  async answer(planned: Planned, request: OverriddenRequest): Promise<OverrideResponse> {
    if (typeof planned.answer !== 'function') return planned.answer;
    const response = await planned.answer(request);
    const issues = [...headerIssues(response?.headers, ''), ...(planned.unchecked ? [] : responseIssues(planned.operationId, response ?? { status: Number.NaN }))];
    if (issues.length > 0) throw invalidControlInput(`the override function of ${planned.operationId}`, issues);
    return response;
  }

  clear(): void {
    this.#planned.length = 0;
  }
}
