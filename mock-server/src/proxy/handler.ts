import type { Clock } from '../core/clock.js';
import { errorResponse } from '../http/error-response.js';
import { ServiceUnavailableError } from '../http/errors.js';
import { exchangeEntry } from '../http/handler.js';
import type { RequestJournal } from '../http/journal.js';
import { resolveRequestId } from '../http/request-id.js';
import { matchRoute, type Route } from '../http/routes.js';
import type { ApiHandler, ApiRequest, ApiResponse } from '../http/types.js';
import { checkAnswer } from './answer-check.js';
import { forwardRequest, type UpstreamAnswer } from './forward.js';
import type { SessionRecording } from './recording.js';
import { requestViolations } from './request-check.js';
import { violationsHeader } from './violations.js';

/** Where a proxy forwards to. */
export interface ProxyOptions {
  /** Base URL of the upstream Sessions API, e.g. `https://api.fold.run`. */
  upstream: string;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** How long the upstream may take to answer, in ms. @default 30000 */
  timeoutMs?: number;
}

export interface ProxyHandlerParts extends ProxyOptions {
  clock: Clock;
  journal: RequestJournal | undefined;
  recording: SessionRecording;
}

/** Seconds a client is told to wait after the upstream could not be reached. */
const unreachableRetryAfter = 1;

function bearerToken(authorization: string | undefined): string | undefined {
  return authorization === undefined ? undefined : /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization)?.[1];
}

/** The upstream's body as the client gets it: its JSON value, or its text when it is not JSON. */
function parseAnswerBody(answer: UpstreamAnswer): { value: unknown; json: { json: unknown } | undefined } {
  if (answer.body.length === 0) return { value: null, json: undefined };
  const text = new TextDecoder().decode(answer.body);
  try {
    const json: unknown = JSON.parse(text);
    return { value: json, json: { json } };
  } catch {
    return { value: text, json: undefined };
  }
}

/**
 * The Sessions API as a validating proxy: each request goes to the upstream as it came, and the
 * upstream's answer back as it came, with every way the two break the spec named in a
 * `fold-violations` header and in the journal. Valid answers about sessions feed `recording`.
 * An upstream that cannot be reached is 503 `SERVICE_UNAVAILABLE` (docs/decisions.md#proxy).
 */
export function createProxyHandler(parts: ProxyHandlerParts): ApiHandler {
  const { upstream, clock, journal, recording } = parts;
  const fetchImpl = parts.fetch ?? globalThis.fetch;
  const timeoutMs = parts.timeoutMs ?? 30_000;

  async function exchange(request: ApiRequest, route: Route | undefined, violations: string[]): Promise<ApiResponse> {
    let answer: UpstreamAnswer;
    try {
      answer = await forwardRequest(upstream, request, fetchImpl, timeoutMs);
    } catch (error) {
      const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      violations.push(`upstream ${upstream} did not answer: ${reason}`);
      return errorResponse(new ServiceUnavailableError(unreachableRetryAfter, `The upstream Sessions API at ${upstream} could not be reached (${reason})`));
    }
    const body = parseAnswerBody(answer);
    if (route) {
      const checked = checkAnswer(route, answer.status, answer.headers, body.json);
      violations.push(...checked.violations);
      const token = bearerToken(request.headers.authorization);
      if (checked.valid && answer.status < 300 && token !== undefined) recording.observe(token, route.operationId, route.sessionId, body.value);
    }
    return { status: answer.status, headers: answer.headers, body: body.value, ...(answer.body.length > 0 && { rawBody: answer.body }) };
  }

  function record(request: ApiRequest, route: Route | undefined, response: ApiResponse, violations: string[], startedAt: number, began: number): void {
    // Faults, delays and overrides do not apply to forwarded requests, so no stub answers them.
    journal!.record(exchangeEntry(journal!, { request, route, response, parsed: undefined, startedAt, began }, { injected: null, stub: null, network_error: false, violations }));
  }

  return async function handleProxiedRequest(request: ApiRequest): Promise<ApiResponse> {
    const startedAt = clock.now();
    const began = performance.now();
    const route = matchRoute(request.method, request.path);
    const violations = route ? await requestViolations(route, request) : [`request: ${request.method.toUpperCase()} ${request.path} is no operation of the spec`];
    const response = await exchange(request, route, violations);
    const headers = { ...response.headers };
    headers['x-request-id'] ??= request.requestId ?? resolveRequestId(request.headers['x-request-id']);
    if (violations.length > 0) headers['fold-violations'] = violationsHeader(violations);
    const answered: ApiResponse = { ...response, headers, operationId: route?.operationId };
    if (journal) record(request, route, answered, violations, startedAt, began);
    return answered;
  };
}
