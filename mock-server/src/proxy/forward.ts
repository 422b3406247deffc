import { toBytes } from '../http/body.js';
import { queryEntries } from '../http/query.js';
import type { ApiRequest } from '../http/types.js';

/** What the upstream answered: status, headers (lower case) and the body's bytes, decoded. */
export interface UpstreamAnswer {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

// Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection; `host` and `content-length`
// are set again by fetch for the upstream's connection.
const notForwarded = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length']);

// fetch decodes a compressed answer, so its `content-encoding` and `content-length` no longer
// describe the bytes the client gets.
const notReturned = new Set([...notForwarded, 'content-encoding']);

/** The request's headers as they go upstream. */
export function forwardedHeaders(headers: ApiRequest['headers']): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !notForwarded.has(name)) kept[name] = value;
  return kept;
}

/** The upstream URL of a request: the upstream's base, then the request's path and query. */
export function upstreamUrl(upstream: string, request: ApiRequest): string {
  const query = new URLSearchParams(queryEntries(request.query)).toString();
  return `${upstream.replace(/\/+$/, '')}${request.path}${query === '' ? '' : `?${query}`}`;
}

/**
 * Sends `request` to the upstream Sessions API as it came (method, path, query, body bytes,
 * end-to-end headers) and reads the whole answer. Rejects when the upstream cannot be reached
 * or does not answer within `timeoutMs`.
 */
export async function forwardRequest(upstream: string, request: ApiRequest, fetchImpl: typeof fetch, timeoutMs: number): Promise<UpstreamAnswer> {
  const method = request.method.toUpperCase();
  const bytes = toBytes(request.rawBody);
  const response = await fetchImpl(upstreamUrl(upstream, request), {
    method,
    headers: forwardedHeaders(request.headers),
    ...(method !== 'GET' && method !== 'HEAD' && bytes.length > 0 && { body: Uint8Array.from(bytes) }),
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = new Uint8Array(await response.arrayBuffer());
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!notReturned.has(name)) headers[name] = value;
  });
  return { status: response.status, headers, body };
}
