import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp, createService, type SessionsService, type CreateAppOptions } from 'fold-sessions-mock';

export interface ReferenceServer {
  /** Base URL, e.g. `http://127.0.0.1:53124`, without a trailing slash. */
  url: string;
  /** Key of organisation `org_a`. */
  apiKey: string;
  /** Key of organisation `org_b`, for isolation tests. */
  otherApiKey: string;
  /** The service behind the server: `await server.service.summaries.flush()` waits for summaries. */
  service: SessionsService;
  close(): Promise<void>;
}

/**
 * Starts the reference server in memory on an ephemeral 127.0.0.1 port, with two organisations
 * (`test_key_a` → `org_a`, `test_key_b` → `org_b`) and no logging. Options go to `createApp`
 * (clock, faults, rateLimit, summarizer, ...).
 */
export async function startReferenceServer(options: CreateAppOptions = {}): Promise<ReferenceServer> {
  const service = options.service ?? createService(options);
  const app = createApp({
    logger: false,
    keys: { test_key_a: 'org_a', test_key_b: 'org_b' },
    ...options,
    service,
  });
  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(0, '127.0.0.1');
    listening.once('listening', () => resolve(listening));
    listening.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey: 'test_key_a',
    otherApiKey: 'test_key_b',
    service,
    /** Stops listening, drops open connections and waits for background summaries. Safe to call twice. */
    close() {
      closing ??= (async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
        await service.summaries.flush();
      })();
      return closing;
    },
  };
}
