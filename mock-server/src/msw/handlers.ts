import { http, HttpResponse, type HttpHandler } from 'msw';
import { corsHeaders, createSessionsApi, preflightHeaders, resolveRequestId, type LocalController, type SessionsApiOptions } from '../surface.js';

/** The spec's production server: what the SDK calls unless told otherwise. */
export const defaultBaseUrl = 'https://api.fold.run';

/** The organisation of every bearer token when no `keys` are given. */
export const defaultOrgId = 'org_test';

export interface SessionsHandlersOptions extends Omit<SessionsApiOptions, 'keys' | 'store' | 'control' | 'sleep'> {
  /**
   * Where the API is mounted. `'*'` matches any origin (a relative path prefix such as
   * `'*\/api'` works too, in MSW's path syntax).
   * @default 'https://api.fold.run'
   */
  baseUrl?: string;
  /**
   * API keys and their organisations. Other tokens answer 401 `AUTH_INVALID`.
   * @default any bearer token is accepted, as organisation `org_test`
   */
  keys?: Record<string, string>;
}

/** Any token maps to one organisation: a consumer's tests need no key set-up. */
class AnyTokenKeys extends Map<string, string> {
  override get(): string {
    return defaultOrgId;
  }
  override has(): boolean {
    return true;
  }
}

/**
 * Stateful MSW handlers that behave exactly like the reference server: the same runtime
 * (`createSessionsApi`) over lowdb's in-memory adapter. Spread `handlers` into `setupServer()` or
 * `setupWorker()`; steer state, time and faults, and read the journal, through `controller`.
 *
 * @example
 * const { handlers, controller } = createSessionsHandlers();
 * const server = setupServer(...handlers);
 * afterEach(() => controller.reset());
 */
export function createSessionsHandlers(options: SessionsHandlersOptions = {}): {
  handlers: HttpHandler[];
  controller: LocalController;
} {
  const { baseUrl, keys, ...rest } = options;
  const { handle, controller } = createSessionsApi({ ...rest, keys: keys ?? new AnyTokenKeys() });

  const base = baseUrl ?? defaultBaseUrl;
  const prefix = base === '*' ? '' : new URL(base.replace(/^\*/, 'http://any'), 'http://any').pathname.replace(/\/+$/, '');
  // A regular expression, not a path pattern: MSW decodes the segments of a path pattern, and a
  // malformed escape such as `%FF` would become its own 500 instead of the API's 404.
  const pattern = base === '*' ? /.*/ : baseUrlPattern(base);

  const handler = http.all(pattern, async ({ request }) => {
    const url = new URL(request.url);
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) || '/' : url.pathname;
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name] = value));
    const preflight = preflightHeaders(request.method, headers);
    if (preflight) {
      return new HttpResponse(null, { status: 204, headers: { ...preflight, 'x-request-id': resolveRequestId(headers['x-request-id']) } });
    }
    const rawBody = request.body ? new Uint8Array(await request.arrayBuffer()) : undefined;
    const response = await handle({ method: request.method, path, query: url.searchParams, headers, rawBody });

    if (response.networkError) return HttpResponse.error();
    return new HttpResponse(response.rawBody ? Uint8Array.from(response.rawBody) : response.body === null ? null : JSON.stringify(response.body), {
      status: response.status,
      headers: { ...corsHeaders, ...response.headers },
    });
  });

  return { handlers: [handler], controller };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `https://api.fold.run`, `*\/api` or `/api` as a regular expression over whole request URLs. */
function baseUrlPattern(base: string): RegExp {
  const trimmed = base.replace(/\/+$/, '');
  const anyOrigin = trimmed.startsWith('*') || trimmed.startsWith('/');
  const path = trimmed.startsWith('*') ? trimmed.slice(1) : trimmed;
  return new RegExp(`^${anyOrigin ? '[a-z][a-z0-9+.-]*://[^/]+' : ''}${escapeRegExp(path)}(?:[/?#]|$)`, 'i');
}
