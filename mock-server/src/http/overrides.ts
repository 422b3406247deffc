import { invalidControlInput, type ControlIssue } from './control-error.js';
import { operationIssue } from './faults.js';
import { operationSpecs, type OperationId } from '../spec/spec.gen.js';
import { checkStubOptions, StubRegistry, type LocalMatch, type StubOptions, type StubRequest } from './stubs.js';

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

export interface OverrideOptions<Match = LocalMatch> extends StubOptions<Match> {
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
  /** The stub's name, or else its id. */
  label: string;
}

/** Responses of the test's choice, per operation, as stubs: by priority, then the newest first. */
export class Overrides {
  readonly #stubs: StubRegistry;

  constructor(stubs = new StubRegistry()) {
    this.#stubs = stubs;
  }

  add(operationId: OperationId, answer: OverrideAnswer, options: OverrideOptions = {}): void {
    const issues: ControlIssue[] = [];
    const unknown = operationIssue(operationId, 'operationId', false);
    if (unknown) issues.push(unknown);
    const checked = checkStubOptions(options ?? undefined, issues);
    const times = options?.times;
    if (times !== undefined && !(Number.isSafeInteger(times) && times >= 1)) {
      issues.push({ path: 'times', message: `Must be a whole number >= 1, got ${JSON.stringify(times)}` });
    }
    if (typeof answer !== 'function') {
      if (typeof answer !== 'object' || answer === null) issues.push({ path: 'response', message: 'Must be { status, body?, headers? } or a function' });
      else {
        issues.push(...headerIssues(answer.headers, ''));
        if (!unknown && !options?.unchecked) issues.push(...responseIssues(operationId, answer));
      }
    }
    if (issues.length > 0) throw invalidControlInput('controller.override()', issues);
    const planned = { operationId, answer, unchecked: options?.unchecked === true };
    const status = typeof answer === 'function' ? null : answer.status;
    this.#stubs.add('override', operationId, checked, planned, times ?? Number.POSITIVE_INFINITY, { status, ms: null });
  }

  /** The override that answers this call, if any, consuming one of its `times`. */
  take(request: StubRequest): Planned | undefined {
    const taken = this.#stubs.take<Omit<Planned, 'label'>>('override', request);
    return taken && { ...taken.value, label: taken.label };
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
    this.#stubs.clear((stub) => stub.kind === 'override');
  }
}
