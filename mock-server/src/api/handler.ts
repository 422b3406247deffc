import type { Clock } from '../core/clock.js';
import { ValidationError } from '../core/errors.js';
import { IdempotencyStore, type IdempotencyClaim } from '../core/idempotency.js';
import type { SessionsService } from '../core/service.js';
import { zIdempotencyKey } from '../schemas.js';
import { readBody, toBytes } from './body.js';
import { errorResponse, jsonContentType } from './error-response.js';
import { AuthInvalidError, AuthRequiredError, PayloadTooLargeError, RouteNotFoundError } from './errors.js';
import { FaultInjector, faultError, type FaultOptions } from './faults.js';
import { requestFingerprint } from './fingerprint.js';
import { operations } from './operations.js';
import { readQuery } from './query.js';
import { RateLimiter, type RateLimitOptions } from './rate-limit.js';
import { resolveRequestId } from './request-id.js';
import { matchRoute, type Route } from './routes.js';
import type { ApiHandler, ApiRequest, ApiResponse, OperationId } from './types.js';
import { toIssues } from './validation.js';

/** 1 MiB, the largest body the API accepts. */
export const defaultBodyLimit = 1024 * 1024;

/** A response as kept for idempotent replay. */
export interface StoredResponse {
  status: number;
  body: unknown;
}

export interface ApiHandlerOptions {
  service: SessionsService;
  /**
   * API keys and the organisation each belongs to.
   * @example { fold_dev_key: 'org_dev' }
   */
  keys: Record<string, string> | ReadonlyMap<string, string>;
  /** Clock for rate-limit windows and idempotency retention. @default service.clock */
  clock?: Clock;
  /** Requests per minute per organisation; off unless set. @example { limit: 100 } */
  rateLimit?: RateLimitOptions | number | false | undefined;
  /** Latency and failures to inject; pass a `FaultInjector` to change them while serving. */
  faults?: FaultInjector | FaultOptions | undefined;
  /** @default a new in-memory store using `clock` */
  idempotency?: IdempotencyStore<StoredResponse>;
  /** Largest body in bytes. @default 1048576 */
  bodyLimit?: number;
  /** Sleeps for injected latency. @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
  /** Told about every 500 (a bug, or a store failure). */
  onInternalError?: (error: unknown, request: ApiRequest) => void;
  /**
   * For the contract suite's negative control only: makes one operation's success response
   * break the spec, to prove that the checks notice. Never set it anywhere else.
   */
  testOnlyBreakResponse?: ResponseBreakage | undefined;
}

/** How `testOnlyBreakResponse` breaks a success response. */
export interface ResponseBreakage {
  operationId: OperationId;
  /** `missing-field` drops a required field from the body; `wrong-status` answers 202. */
  kind: 'missing-field' | 'wrong-status';
}

function breakResponse(response: ApiResponse, breakage: ResponseBreakage | undefined): ApiResponse {
  if (!breakage || response.operationId !== breakage.operationId || response.status >= 300) return response;
  if (breakage.kind === 'wrong-status') return { ...response, status: 202 };
  const { id: _dropped, ...body } = response.body as Record<string, unknown>;
  return { ...response, body };
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function bearerToken(authorization: string | undefined): string | undefined {
  const match = authorization === undefined ? null : /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
  return match?.[1];
}

/**
 * The Sessions API as a function from a plain request to a plain response, shared by the
 * Express app and the MSW handlers. It routes, authenticates, applies rate limits, faults and
 * idempotency, validates with the generated schemas, calls the service, and maps every error.
 */
export function createApiHandler(options: ApiHandlerOptions): ApiHandler {
  const { service } = options;
  const clock = options.clock ?? service.clock;
  const keys = options.keys instanceof Map ? options.keys : new Map(Object.entries(options.keys));
  const rateLimit = typeof options.rateLimit === 'number' ? { limit: options.rateLimit } : options.rateLimit || undefined;
  const limiter = rateLimit ? new RateLimiter(rateLimit, clock) : undefined;
  const faults = options.faults instanceof FaultInjector ? options.faults : new FaultInjector(options.faults ?? {});
  const idempotency = options.idempotency ?? new IdempotencyStore<StoredResponse>({ clock });
  const bodyLimit = options.bodyLimit ?? defaultBodyLimit;
  const sleep = options.sleep ?? defaultSleep;

  async function answer(request: ApiRequest, route: Route | undefined, headers: Record<string, string>): Promise<ApiResponse> {
    if (!route) throw new RouteNotFoundError(request.method.toUpperCase(), request.path);

    const fate = faults.decide(route.operationId);
    if (fate.latencyMs > 0) await sleep(fate.latencyMs);
    if (fate.fault && 'networkError' in fate.fault) {
      if (!fate.fault.afterProcessing) return { status: 0, headers: {}, body: null, networkError: true };
      const handled = await answerRouted(request, route, headers);
      return { ...handled, networkError: true };
    }
    if (fate.fault) throw faultError(fate.fault);
    return answerRouted(request, route, headers);
  }

  async function answerRouted(request: ApiRequest, route: Route, headers: Record<string, string>): Promise<ApiResponse> {
    const token = bearerToken(request.headers.authorization);
    if (token === undefined) throw new AuthRequiredError();
    const orgId = keys.get(token);
    if (orgId === undefined) throw new AuthInvalidError();

    if (limiter) {
      const decision = limiter.take(orgId);
      Object.assign(headers, decision.headers);
      if (decision.refusal) throw decision.refusal;
    }

    // GET and DELETE take no body: whatever was sent is ignored, however large.
    const bytes = route.body === 'ignored' ? new Uint8Array(0) : toBytes(request.rawBody);
    const declaredLength = Number(request.headers['content-length']);
    if (route.body !== 'ignored' && (request.bodyTooLarge || declaredLength > bodyLimit || bytes.length > bodyLimit)) {
      throw new PayloadTooLargeError(bodyLimit);
    }

    const key = route.idempotent ? request.headers['idempotency-key'] : undefined;
    if (key === undefined) return run(request, route, orgId, bytes);
    const checked = zIdempotencyKey.safeParse(key);
    if (!checked.success) throw new ValidationError(toIssues('header.idempotency-key', checked.error.issues));

    const fingerprint = await requestFingerprint(request.method, request.path, bytes);
    const claim: IdempotencyClaim<StoredResponse> = idempotency.begin(orgId, key, fingerprint);
    if (claim.kind === 'replay') {
      Object.assign(headers, { 'idempotent-replayed': 'true' });
      return { status: claim.response.status, headers: { 'content-type': jsonContentType }, body: structuredClone(claim.response.body) };
    }
    let response: ApiResponse;
    try {
      response = await run(request, route, orgId, bytes);
    } catch (error) {
      response = errorResponse(error);
      if (response.status >= 500) {
        claim.abandon();
        throw error;
      }
    }
    if (response.status >= 500) claim.abandon();
    else claim.complete({ status: response.status, body: structuredClone(response.body) });
    return response;
  }

  async function run(request: ApiRequest, route: Route, orgId: string, bytes: Uint8Array): Promise<ApiResponse> {
    const query = readQuery(request.query, route.query);
    const body = readBody(route.body, bytes, request.headers['content-type']);
    const result = await operations[route.operationId](service, { orgId, sessionId: route.sessionId, query, body });
    return { status: result.status, headers: { 'content-type': jsonContentType }, body: result.body };
  }

  return async function handleApiRequest(request: ApiRequest): Promise<ApiResponse> {
    const requestId = request.requestId ?? resolveRequestId(request.headers['x-request-id']);
    const route = matchRoute(request.method, request.path);
    const headers: Record<string, string> = {};
    let response: ApiResponse;
    try {
      response = await answer(request, route, headers);
    } catch (error) {
      response = errorResponse(error);
      if (response.status === 500) options.onInternalError?.(error, request);
    }
    const answered: ApiResponse = {
      ...response,
      headers: { ...response.headers, ...headers, 'x-request-id': requestId },
      operationId: route?.operationId,
    };
    return breakResponse(answered, options.testOnlyBreakResponse);
  }
}
