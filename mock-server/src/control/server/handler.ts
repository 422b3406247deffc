import type { z } from 'zod';
import type { RequestMatcher as WireRequestMatcher } from '../../spec/control/types.gen.js';
import { zClockMove, zDelayRequest, zFaultRequest, zListRequestsQuery, zOverrideRequest, zRequestMatcher } from '../../spec/control/zod.gen.js';
import { readRequestBody } from '../../http/body.js';
import { ControlError, type ControlIssue } from '../../http/control-error.js';
import type { LocalController } from './controller.js';
import type { SessionsData } from './data.js';
import { errorResponse, jsonContentType } from '../../http/error-response.js';
import { ApiError, AuthInvalidError, AuthRequiredError, MethodNotAllowedError, PayloadTooLargeError, RouteNotFoundError, ValidationError } from '../../http/errors.js';
import type { FailureStatus, InjectedFailure, OperationTarget } from '../../http/faults.js';
import { matcherFromWire } from '../../http/matcher.js';
import type { StubOptions } from '../../http/stubs.js';
import { queryEntries } from '../../http/query.js';
import { resolveRequestId } from '../../http/request-id.js';
import type { ApiHandler, ApiRequest, ApiResponse } from '../../http/types.js';
import { toIssues } from '../../http/validation.js';

/** The reserved prefix of the control API. */
export const controlPrefix = '/__fold';

/** 64 MiB: seed data can be large. */
export const controlBodyLimit = 64 * 1024 * 1024;

export function isControlPath(path: string): boolean {
  return path === controlPrefix || path.startsWith(`${controlPrefix}/`);
}

// The controller names fields in camelCase; the wire in snake_case, like the Sessions API.
const wireNames: Record<string, string> = {
  operationId: 'operation_id',
  networkError: 'network_error',
  afterProcessing: 'after_processing',
  retryAfter: 'retry_after',
  sessionId: 'session_id',
};

/** An issue of the controller (camelCase fields; `data` is the seed data itself) as the wire names it. */
function onTheWire(issues: ControlIssue[], prefix: 'body' | 'query'): ControlIssue[] {
  return issues.map((issue) => {
    if (issue.path === 'data') return { ...issue, path: prefix };
    const [first = '', ...rest] = issue.path.split('.');
    // A matcher's own field too: `match.sessionId` is `match.session_id` on the wire.
    if (first === 'match' && rest[0] === 'sessionId') rest[0] = 'session_id';
    return { ...issue, path: [prefix, wireNames[first] ?? first, ...rest].join('.') };
  });
}

/** The fields of a matcher on the wire: the generated schema drops unknown ones, which would widen the stub. */
const matcherFields = new Set(Object.keys(zRequestMatcher.shape));

function parse<T>(schema: z.ZodType<T>, value: unknown, prefix: 'body' | 'query'): T {
  const match = (value as { match?: unknown } | null)?.match;
  if (prefix === 'body' && typeof match === 'object' && match !== null && !Array.isArray(match)) {
    const unknown = Object.keys(match).filter((name) => !matcherFields.has(name));
    if (unknown.length > 0) throw new ValidationError(unknown.map((name) => ({ path: `body.match.${name}`, message: `Unknown field; use ${[...matcherFields].join(', ')}` })));
  }
  const checked = schema.safeParse(value);
  if (!checked.success) throw new ValidationError(toIssues(prefix, checked.error.issues));
  return checked.data;
}

type Route = (request: ApiRequest, body: () => unknown) => Promise<ApiResponse>;

/** The stub fields every fault, delay and override takes, as the controller names them. */
function stubOptions(wire: { match?: WireRequestMatcher | undefined; priority?: number | undefined; name?: string | undefined }): StubOptions {
  return {
    // The generated type is looser (every condition key optional); the controller checks each one.
    ...(wire.match !== undefined && { match: matcherFromWire(wire.match as Parameters<typeof matcherFromWire>[0]) }),
    ...(wire.priority !== undefined && { priority: wire.priority }),
    ...(wire.name !== undefined && { name: wire.name }),
  };
}

/** `/stubs/{id}`: the one route of the control API with a path parameter. */
const stubPath = /^\/stubs\/([^/]+)$/;

const done = (): ApiResponse => ({ status: 204, headers: {}, body: null });
const json = (body: unknown): ApiResponse => ({ status: 200, headers: { 'content-type': jsonContentType }, body });

/** What the control API serves besides the controller. */
export interface ControlExtras {
  /** What a proxy recorded (`GET /__fold/recording`). @default nothing recorded */
  recording?: () => SessionsData;
}

/** The control API over HTTP (`openapi/control.yaml`), as a function of plain requests. */
export function createControlHandler(controller: LocalController, token: string, extras: ControlExtras = {}): ApiHandler {
  const routes: Record<string, Route> = {
    'POST /reset': async () => (await controller.reset(), done()),
    'POST /seed': async (_request, body) => (await controller.seed(body() as never), done()),
    'GET /snapshot': async () => json(await controller.snapshot()),
    'GET /recording': async () => json(extras.recording?.() ?? { sessions: [], memory: [] }),
    'GET /clock': async () => json({ now: await controller.clock.now() }),
    'POST /clock': async (_request, body) => {
      const move = parse(zClockMove.strict(), body(), 'body');
      if ((move.advance_ms === undefined) === (move.set_ms === undefined)) {
        throw new ValidationError([{ path: 'body', message: 'Give exactly one of advance_ms and set_ms' }]);
      }
      // The controller names its arguments `ms` and `epochMs`; the wire, the field that carried them.
      const [field, moved] = move.advance_ms !== undefined ? ['advance_ms', controller.clock.advance(move.advance_ms)] : ['set_ms', controller.clock.set(move.set_ms!)];
      const now = await moved.catch((error: unknown) => {
        if (!(error instanceof ControlError) || error.status !== 400) throw error;
        throw new ValidationError(error.issues.map((issue) => ({ ...issue, path: `body.${field}` })));
      });
      return json({ now });
    },
    'POST /faults': async (_request, body) => {
      const fault = parse(zFaultRequest.strict(), body(), 'body');
      const failure: InjectedFailure =
        fault.network_error !== undefined
          ? { networkError: fault.network_error as true, ...(fault.after_processing !== undefined && { afterProcessing: fault.after_processing }), ...stubOptions(fault) }
          : ({ status: fault.status, ...(fault.retry_after !== undefined && { retryAfter: fault.retry_after }), ...stubOptions(fault) } as InjectedFailure);
      if ((fault.network_error !== undefined) === (fault.status !== undefined)) {
        throw new ValidationError([{ path: 'body.status', message: 'Give exactly one of status and network_error' }]);
      }
      if (fault.network_error === undefined && fault.after_processing !== undefined) {
        throw new ValidationError([{ path: 'body.after_processing', message: 'Only with network_error: true' }]);
      }
      if (fault.network_error !== undefined && fault.retry_after !== undefined) {
        throw new ValidationError([{ path: 'body.retry_after', message: 'Only with a status' }]);
      }
      if (fault.times !== undefined) failure.times = fault.times;
      // The status is checked against the operation's documented ones by the controller, at run time.
      await controller.fail(fault.operation_id as OperationTarget, failure as InjectedFailure<FailureStatus>);
      return done();
    },
    'POST /delays': async (_request, body) => {
      const delay = parse(zDelayRequest.strict(), body(), 'body');
      await controller.delay(delay.operation_id as OperationTarget, delay.ms, { ...(delay.times !== undefined && { times: delay.times }), ...stubOptions(delay) });
      return done();
    },
    'POST /overrides': async (_request, body) => {
      const override = parse(zOverrideRequest.strict(), body(), 'body');
      const response = { status: override.status, body: override.body, ...(override.headers && { headers: override.headers }) };
      await controller.override(override.operation_id, response, { ...(override.times !== undefined && { times: override.times }), ...stubOptions(override) });
      return done();
    },
    'GET /requests': async (request) => {
      const query: Record<string, unknown> = {};
      const issues: ControlIssue[] = [];
      for (const [name, value] of queryEntries(request.query)) {
        if (Object.hasOwn(query, name)) issues.push({ path: `query.${name}`, message: 'Give this parameter once' });
        const integer = ['status', 'since', 'limit'].includes(name) && /^-?\d+$/.test(value);
        query[name] = integer ? Number(value) : value;
      }
      if (issues.length > 0) throw new ValidationError(issues);
      const filter = parse(zListRequestsQuery.strict(), query, 'query');
      const requests = await controller.requests({
        ...(filter.operation_id !== undefined && { operationId: filter.operation_id }),
        ...(filter.status !== undefined && { status: filter.status }),
        ...(filter.session_id !== undefined && { sessionId: filter.session_id }),
        ...(filter.since !== undefined && { since: filter.since }),
        ...(filter.limit !== undefined && { limit: filter.limit }),
      });
      return json({ requests, count: requests.length });
    },
    'DELETE /requests': async () => (await controller.requests.clear(), done()),
    'GET /stubs': async () => {
      const stubs = await controller.stubs();
      return json({ stubs, count: stubs.length });
    },
    'DELETE /stubs/{id}': async (request) => {
      const id = stubPath.exec(request.path.slice(controlPrefix.length))![1]!;
      // Stub ids are plain words; a malformed escape is an unknown id, not a bug.
      await controller.stubs.remove(/%(?![0-9a-f]{2})/i.test(id) ? id : decodeURIComponent(id));
      return done();
    },
    'POST /summaries/flush': async () => (await controller.summaries.flush(), done()),
  };
  const takesBody = new Set(['POST /seed', 'POST /clock', 'POST /faults', 'POST /delays', 'POST /overrides']);

  async function answer(request: ApiRequest): Promise<ApiResponse> {
    const method = request.method.toUpperCase();
    const path = stubPath.test(request.path.slice(controlPrefix.length)) ? '/stubs/{id}' : request.path.slice(controlPrefix.length);
    const name = `${method} ${path}`;
    const route = Object.hasOwn(routes, name) ? routes[name] : undefined;
    if (!route) {
      const hint = 'See openapi/control.yaml for the routes of the control API.';
      const allowed = Object.keys(routes).filter((known) => known.slice(known.indexOf(' ') + 1) === path).map((known) => known.slice(0, known.indexOf(' ')));
      if (allowed.length > 0) throw new MethodNotAllowedError(method, request.path, allowed, hint);
      throw new RouteNotFoundError(method, request.path, hint);
    }
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(request.headers.authorization ?? '');
    if (!match) throw new AuthRequiredError('control token');
    if (match[1] !== token) {
      throw new AuthInvalidError('Invalid control token', 'Use the control token the server printed at start-up (or set with --control-token).');
    }
    if (!takesBody.has(name)) return route(request, () => undefined);
    if (request.bodyTooLarge || (request.rawBody?.length ?? 0) > controlBodyLimit) throw new PayloadTooLargeError(controlBodyLimit);
    const body = readRequestBody('json', request.rawBody, request.headers['content-type']);
    return route(request, () => {
      if (body.error !== undefined) throw body.error;
      return body.value;
    });
  }

  return async function handleControlRequest(request: ApiRequest): Promise<ApiResponse> {
    const requestId = request.requestId ?? resolveRequestId(request.headers['x-request-id']);
    let response: ApiResponse;
    try {
      response = await answer(request);
    } catch (error) {
      const known = error instanceof ControlError ? controlErrorToApi(error) : error;
      response = errorResponse(known);
    }
    return { ...response, headers: { ...response.headers, 'x-content-type-options': 'nosniff', 'x-request-id': requestId } };
  };
}

function controlErrorToApi(error: ControlError): ApiError {
  if (error.status === 400) return new ValidationError(onTheWire(error.issues, 'body'));
  if (error.status === 404) return new ApiError('NOT_FOUND', error.message, { hint: 'GET /__fold/stubs lists the stubs in force.' });
  return new ApiError('INTERNAL_ERROR', error.message);
}
