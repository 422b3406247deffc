import { createServer } from 'node:net';
import { createSessionsApi, type ApiResponse, type SessionsApi, type SessionsApiOptions, type SessionsData } from 'fold-sessions-mock';

export const controlToken = 'proxy_control_token';

/** A proxy in-process in front of `upstream`, with the control API on. */
export function createProxy(upstream: string, options: Omit<SessionsApiOptions, 'proxy'> & { fetch?: typeof fetch } = {}): SessionsApi {
  const { fetch, ...rest } = options;
  return createSessionsApi({ control: { token: controlToken }, ...rest, proxy: { upstream, ...(fetch && { fetch }) } });
}

/** Calls a handler the way an adapter does: JSON body, bearer key. */
export function call(api: SessionsApi, method: string, path: string, key: string | undefined, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
  return api.handle({
    method,
    path,
    headers: {
      ...(key !== undefined && { authorization: `Bearer ${key}` }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body !== undefined && { rawBody: JSON.stringify(body) }),
  });
}

/** The sessions of seed data with organisation ids renamed, for comparing a recording with its upstream. */
export function renameOrgs(data: SessionsData, names: Record<string, string>): SessionsData['sessions'] {
  return data.sessions.map((doc) => ({ ...doc, org_id: names[doc.org_id] ?? doc.org_id }));
}

/** A local port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
