import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { answerMalformedRequests, createApp, createSessionsApi, type ApiHandler, type LocalController, type SessionsApiOptions, type SessionsService } from 'fold-sessions-mock';

export interface ReferenceServer {
  /** Base URL, e.g. `http://127.0.0.1:53124`, without a trailing slash. */
  url: string;
  /** Key of organisation `org_a`. */
  apiKey: string;
  /** Key of organisation `org_b`, for isolation tests. */
  otherApiKey: string;
  /** The service behind the server: `await server.service.summaries.flush()` waits for summaries. */
  service: SessionsService;
  controller: LocalController;
  close(): Promise<void>;
}

export interface ReferenceServerOptions extends SessionsApiOptions {
  /** Wraps the API's handler, e.g. to break responses on purpose for a negative control. */
  wrap?: (handle: ApiHandler) => ApiHandler;
  /** @default true */
  cors?: boolean;
}

/**
 * Starts the reference server in memory on an ephemeral 127.0.0.1 port, with two organisations
 * (`test_key_a` → `org_a`, `test_key_b` → `org_b`) and no logging. Options go to
 * `createSessionsApi` (clock, faults, rateLimit, summarizer, ...).
 */
export async function startReferenceServer(options: ReferenceServerOptions = {}): Promise<ReferenceServer> {
  const { wrap, cors, ...apiOptions } = options;
  const api = createSessionsApi({ keys: { test_key_a: 'org_a', test_key_b: 'org_b' }, ...apiOptions });
  const app = createApp({ api: wrap ? { ...api, handle: wrap(api.handle) } : api, logger: false, ...(cors !== undefined && { cors }) });
  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(0, '127.0.0.1');
    answerMalformedRequests(listening);
    listening.once('listening', () => resolve(listening));
    listening.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey: 'test_key_a',
    otherApiKey: 'test_key_b',
    service: api.service,
    controller: api.controller,
    /** Stops listening, drops open connections and waits for background summaries. Safe to call twice. */
    close() {
      closing ??= (async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
        await api.service.summaries.flush();
      })();
      return closing;
    },
  };
}
