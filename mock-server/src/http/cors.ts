import { operationSpecs } from '../spec/spec.gen.js';

/**
 * Open CORS, the same from every adapter: any origin may call the API (API keys travel in
 * `Authorization`, not cookies, so `*` is safe) and read the headers clients need for retries
 * and support.
 */
export const corsHeaders: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': ['x-request-id', 'retry-after', 'idempotent-replayed', 'ratelimit', 'ratelimit-policy', 'memory-ranking', 'fold-violations'].join(', '),
};

/**
 * The request headers the API reads: the ones every request may carry (auth and body), then every
 * header parameter the spec documents (`Idempotency-Key`, `x-request-id`, the SDK's
 * `X-Fold-Retry-Count` and `X-Fold-Timeout`), read from the generated route table.
 */
export function allowedRequestHeaders(): readonly string[] {
  return [...new Set(['authorization', 'content-type', 'content-encoding', ...Object.values(operationSpecs).flatMap((operation) => operation.headers)])];
}

let allowedHeaders: string | undefined;

/** The headers of the 204 that answers a CORS preflight, or undefined when the request is not one. */
export function preflightHeaders(method: string, headers: Record<string, string | undefined>): Record<string, string> | undefined {
  if (method.toUpperCase() !== 'OPTIONS' || headers['access-control-request-method'] === undefined) return undefined;
  return {
    ...corsHeaders,
    'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
    'access-control-allow-headers': headers['access-control-request-headers'] ?? (allowedHeaders ??= allowedRequestHeaders().join(', ')),
    'access-control-max-age': '600',
    vary: 'Access-Control-Request-Headers',
  };
}
