import type { Clock } from '../core/clock.js';
import type { SessionsService } from '../core/service.js';
import type { ChangeTag } from '../core/store.js';
import { zIdempotencyKey } from '../spec/schemas.js';
import { bodyForRecord, readRequestBody, toBytes, type RequestBody } from './body.js';
import { decodeBody } from './content-encoding.js';
import { errorResponse, jsonContentType } from './error-response.js';
import { AuthInvalidError, AuthRequiredError, MethodNotAllowedError, PayloadTooLargeError, RouteNotFoundError, ValidationError } from './errors.js';
import { FaultInjector, injectedError } from './faults.js';
import { requestFingerprint } from './fingerprint.js';
import { IdempotencyStore, type IdempotencyClaim } from './idempotency.js';
import type { JournalEntry, RequestJournal } from './journal.js';
import { fieldPaths, operations } from './operations.js';
import { Overrides } from './overrides.js';
import type { StubRequest } from './stubs.js';
import { queryEntries, readQuery } from './query.js';
import { RateLimiter } from './rate-limit.js';
import { resolveRequestId } from './request-id.js';
import { allowedMethods, matchRoute, type Route } from './routes.js';
import type { ApiHandler, ApiRequest, ApiResponse } from './types.js';
import { toIssues } from './validation.js';

/** 1 MiB, the largest body the API accepts. */
export const defaultBodyLimit = 1024 * 1024;

/** A response as kept for idempotent replay. */
export interface StoredResponse {
  status: number;
  body: unknown;
  /** The operation's own headers (content type, `Memory-Ranking`), replayed with it. */
  headers: Record<string, string>;
}

/** The parts `createSessionsApi` builds and hands to the handler. */
export interface ApiHandlerParts {
  service: SessionsService;
  /** API key → organisation. */
  keys: ReadonlyMap<string, string>;
  clock: Clock;
  rateLimiter: RateLimiter | undefined;
  faults: FaultInjector;
  overrides: Overrides;
  idempotency: IdempotencyStore<StoredResponse>;
  journal: RequestJournal | undefined;
  bodyLimit: number;
  sleep: (ms: number) => Promise<void>;
  /** Told about every 500 that was not injected (a bug, or a store failure). */
  onInternalError: ((error: unknown, request: ApiRequest) => void) | undefined;
}

/** What the journal needs to know of an exchange besides the response. */
interface ExchangeNotes {
  injected: 'fault' | 'override' | null;
  /** The stub that answered or delayed the call. */
  stub: string | null;
  body: RequestBody | undefined;
}

function bearerToken(authorization: string | undefined): string | undefined {
  const match = authorization === undefined ? null : /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
  return match?.[1];
}

/** Request headers as the journal keeps them: `authorization` redacted. */
function recordedHeaders(headers: Record<string, string | undefined>): Record<string, string> {
  const recorded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) recorded[name] = name === 'authorization' ? '[redacted]' : value;
  }
  return recorded;
}

/** The query as the journal keeps it: a repeated name becomes a list. */
function recordedQuery(query: ApiRequest['query']): Record<string, string | string[]> {
  const recorded: Record<string, string | string[]> = {};
  for (const [name, value] of queryEntries(query)) {
    const existing = recorded[name];
    recorded[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return recorded;
}

/** The start of a body too long to keep, as text: the journal holds a copy of `max` bytes only. */
function cutBody(bytes: Uint8Array, max: number): () => string {
  const start = bytes.slice(0, max);
  return () => new TextDecoder().decode(start);
}

/** A body short enough to keep, parsed when the journal is read (if the request did not parse it). */
function keptBody(request: ApiRequest, route: Route | undefined, body: RequestBody | undefined): () => unknown {
  const { rawBody, headers } = request;
  return () => bodyForRecord(body ?? (route ? readRequestBody(route.body, rawBody, headers['content-type']) : undefined));
}

/** One exchange as the handlers saw it, for `exchangeEntry`. */
export interface Exchange {
  request: ApiRequest;
  route: Route | undefined;
  response: ApiResponse;
  /** The body as the handler already read it, if it did. */
  parsed: RequestBody | undefined;
  /** When the request arrived: the API's clock, and `performance.now()`. */
  startedAt: number;
  began: number;
}

/**
 * The journal's entry of an exchange, built once for every handler that records: the request as
 * the journal keeps it (its body cut to `bodyBytes`, never held whole) and the answer.
 */
export function exchangeEntry(
  journal: RequestJournal,
  { request, route, response, parsed, startedAt, began }: Exchange,
  how: Pick<JournalEntry, 'injected' | 'stub' | 'network_error' | 'violations'>,
): JournalEntry {
  let sessionId = route?.sessionId ?? null;
  if (sessionId === null && route?.operationId === 'createSession' && response.status === 201) {
    const id = (response.body as { id?: unknown } | null)?.id;
    sessionId = typeof id === 'string' ? id : null;
  }
  const { query, headers } = request;
  const rawBytes = request.rawBody?.length ?? 0;
  const cut = rawBytes > journal.bodyBytes;
  const requestBody = cut ? cutBody(toBytes(request.rawBody), journal.bodyBytes) : keptBody(request, route, parsed);
  return {
    request_id: response.headers['x-request-id'] ?? '',
    operation_id: route?.operationId ?? null,
    session_id: sessionId,
    method: request.method.toUpperCase(),
    path: request.path,
    // Built when the journal is read, not on every request.
    details: () => ({ query: recordedQuery(query), request_headers: recordedHeaders(headers), request_body: requestBody() }),
    request_body_truncated: cut,
    bytes: Math.min(rawBytes, journal.bodyBytes),
    status: response.networkError && response.status === 0 ? null : response.status,
    response_headers: response.headers,
    response_body: response.body,
    started_at: startedAt,
    duration_ms: performance.now() - began,
    replayed: response.headers['idempotent-replayed'] === 'true',
    ...how,
  };
}

function queryString(query: ApiRequest['query']): string {
  const text = new URLSearchParams(queryEntries(query)).toString();
  return text === '' ? '' : `?${text}`;
}

/**
 * The Sessions API as a function from a plain request to a plain response, shared by every
 * adapter. It routes with the spec's route table, applies faults and overrides, authenticates,
 * rate limits, reads the body once, applies idempotency, validates with the generated schemas,
 * calls the service, maps every error, and records the exchange in the journal.
 */
export function createApiHandler(parts: ApiHandlerParts): ApiHandler {
  const { service, keys, clock, faults, overrides, idempotency, journal, bodyLimit, sleep } = parts;

  async function answer(request: ApiRequest, route: Route | undefined, headers: Record<string, string>, notes: ExchangeNotes): Promise<ApiResponse> {
    if (!route) {
      const allowed = allowedMethods(request.path);
      if (allowed.length > 0) throw new MethodNotAllowedError(request.method.toUpperCase(), request.path, allowed);
      throw new RouteNotFoundError(request.method.toUpperCase(), request.path);
    }

    let parsed: { value: unknown } | undefined;
    const matched: StubRequest = {
      operationId: route.operationId,
      method: request.method.toUpperCase(),
      path: request.path,
      sessionId: route.sessionId ?? null,
      headers: request.headers,
      query: recordedQuery(request.query),
      // Parsed only when a body matcher asks: a body that is not JSON has no fields.
      body: () => (parsed ??= { value: readRequestBody(route.body, request.rawBody, request.headers['content-type']).json?.value }).value,
    };
    const fate = faults.decide(matched);
    if (fate.stub) notes.stub = fate.stub;
    if (fate.delayMs > 0) await sleep(fate.delayMs);
    if (fate.fault) {
      notes.injected = 'fault';
      if ('status' in fate.fault) throw injectedError(fate.fault.status, fate.fault.retryAfter);
      if (!fate.fault.afterProcessing) return { status: 0, headers: {}, body: null, networkError: true };
      const handled = await answerRouted(request, route, headers, notes).catch((error: unknown) => errorResponse(error, fieldPaths[route.operationId]));
      return { ...handled, networkError: true };
    }

    const planned = overrides.take(matched);
    if (planned) {
      notes.injected = 'override';
      notes.stub = planned.label;
      notes.body = readRequestBody(route.body, request.rawBody, request.headers['content-type']);
      const chosen = await overrides.answer(planned, {
        operationId: route.operationId,
        method: request.method.toUpperCase(),
        path: request.path,
        query: recordedQuery(request.query),
        headers: recordedHeaders(request.headers),
        body: notes.body.json?.value,
        sessionId: route.sessionId ?? null,
      });
      const chosenHeaders: Record<string, string> = chosen.body === undefined ? {} : { 'content-type': jsonContentType };
      for (const [name, value] of Object.entries(chosen.headers ?? {})) chosenHeaders[name.toLowerCase()] = value;
      return { status: chosen.status, headers: chosenHeaders, body: chosen.body ?? null };
    }
    return answerRouted(request, route, headers, notes);
  }

  async function answerRouted(request: ApiRequest, route: Route, headers: Record<string, string>, notes: ExchangeNotes): Promise<ApiResponse> {
    const token = bearerToken(request.headers.authorization);
    if (token === undefined) throw new AuthRequiredError();
    const orgId = keys.get(token);
    if (orgId === undefined) throw new AuthInvalidError();

    if (parts.rateLimiter) {
      const decision = parts.rateLimiter.take(orgId);
      Object.assign(headers, decision.headers);
      if (decision.refusal) throw decision.refusal;
    }

    // The one size check: GET and DELETE bodies are ignored, however large.
    if (route.body !== 'ignored' && (request.bodyTooLarge || (request.rawBody?.length ?? 0) > bodyLimit)) {
      throw new PayloadTooLargeError(bodyLimit);
    }
    const raw = route.body === 'ignored' ? undefined : await decodeBody(request.rawBody, request.headers['content-encoding'], bodyLimit);
    const body = readRequestBody(route.body, raw, request.headers['content-type']);
    notes.body = body;

    const key = route.idempotent ? request.headers['idempotency-key'] : undefined;
    if (key === undefined) return run(request, route, orgId, body, undefined);
    const checked = zIdempotencyKey.safeParse(key);
    if (!checked.success) throw new ValidationError(toIssues('header.idempotency-key', checked.error.issues));

    const fingerprint = await requestFingerprint(request.method, request.path + queryString(request.query), body);
    const claim: IdempotencyClaim<StoredResponse> = idempotency.begin(orgId, key, fingerprint);
    if (claim.kind === 'replay') {
      Object.assign(headers, { 'idempotent-replayed': 'true' });
      return { status: claim.response.status, headers: { ...claim.response.headers }, body: structuredClone(claim.response.body) };
    }
    let response: ApiResponse;
    try {
      response = await run(request, route, orgId, body, { orgId, key, fingerprint, at: claim.createdAt, operation: route.operationId });
    } catch (error) {
      response = errorResponse(error, fieldPaths[route.operationId]);
      if (response.status >= 500) {
        claim.abandon();
        throw error;
      }
    }
    if (response.status >= 500) claim.abandon();
    else claim.complete({ status: response.status, headers: { ...response.headers }, body: structuredClone(response.body) });
    return response;
  }

  async function run(request: ApiRequest, route: Route, orgId: string, body: RequestBody, tag: ChangeTag | undefined): Promise<ApiResponse> {
    const query = readQuery(request.query, route.spec.query);
    if (body.error !== undefined) throw body.error;
    const result = await operations[route.operationId](service, { orgId, sessionId: route.sessionId, query, body: body.value, tag });
    return { status: result.status, headers: { 'content-type': jsonContentType, ...result.headers }, body: result.body };
  }

  function record(request: ApiRequest, route: Route | undefined, response: ApiResponse, notes: ExchangeNotes, startedAt: number, began: number): void {
    journal!.record(
      exchangeEntry(journal!, { request, route, response, parsed: notes.body, startedAt, began }, {
        injected: notes.injected,
        stub: notes.stub,
        network_error: response.networkError === true,
        violations: [],
      }),
    );
  }

  return async function handleApiRequest(request: ApiRequest): Promise<ApiResponse> {
    const startedAt = clock.now();
    const began = performance.now();
    const requestId = request.requestId ?? resolveRequestId(request.headers['x-request-id']);
    const route = matchRoute(request.method, request.path);
    const headers: Record<string, string> = {};
    const notes: ExchangeNotes = { injected: null, stub: null, body: undefined };
    let response: ApiResponse;
    try {
      response = await answer(request, route, headers, notes);
    } catch (error) {
      response = errorResponse(error, route ? fieldPaths[route.operationId] : undefined);
      if (response.status === 500 && notes.injected !== 'fault') parts.onInternalError?.(error, request);
    }
    const answered: ApiResponse = {
      ...response,
      headers: { ...response.headers, ...headers, 'x-content-type-options': 'nosniff', 'x-request-id': requestId },
      operationId: route?.operationId,
      ...(notes.injected && { injected: notes.injected }),
    };
    if (journal) record(request, route, answered, notes, startedAt, began);
    return answered;
  }
}
