import { createSessionsHandlers, createTestClock, type ManualClock } from 'fold-sessions-mock/msw';
import { setupServer } from 'msw/node';
import { startPrism } from '../support/prism.js';
import { startReferenceServer } from '../support/reference-server.js';
import type { ContractTarget } from './target.js';

const keys = { test_key_a: 'org_a', test_key_b: 'org_b' };

/** (a) The MSW handlers, in this process. The clock defaults to real time that tests can move. */
export const mswTarget = (clock: ManualClock = createTestClock()): ContractTarget => ({
  name: 'msw',
  async start() {
    const baseURL = 'https://sessions.contract.test';
    const { handlers, controller } = createSessionsHandlers({ baseUrl: baseURL, keys, clock });
    const server = setupServer(...handlers);
    server.listen({ onUnhandledRequest: 'error' });
    return {
      baseURL,
      apiKey: 'test_key_a',
      otherApiKey: 'test_key_b',
      advanceClock: (ms) => controller.clock.advance(ms),
      async stop() {
        server.close();
        await controller.summaries.flush();
      },
    };
  },
});

/** (b) The Express reference server over real HTTP on 127.0.0.1. */
export const expressTarget = (clock: ManualClock = createTestClock()): ContractTarget => ({
  name: 'express',
  async start() {
    const server = await startReferenceServer({ clock });
    return {
      baseURL: server.url,
      apiKey: server.apiKey,
      otherApiKey: server.otherApiKey,
      advanceClock: (ms) => clock.advance(ms),
      stop: () => server.close(),
    };
  },
});

/**
 * (c) The Express server behind `prism proxy --errors`, which checks every request and response
 * against the spec. Invalid requests are forwarded too, so the server's own 400s are checked.
 * Prism only warns (in `sl-violations`) about an undocumented status, so that header fails a case.
 */
export function prismProxyTarget(serverOptions: Parameters<typeof startReferenceServer>[0] = {}): ContractTarget {
  return {
    name: 'prism-proxy',
    async start() {
      const clock = createTestClock();
      const server = await startReferenceServer({ clock, ...serverOptions });
      const prism = await startPrism({
        kind: 'proxy',
        upstream: server.url,
        extraArgs: ['--errors', '--validate-request', 'false'],
      }).catch(async (error: unknown) => {
        await server.close();
        throw error;
      });
      return {
        baseURL: prism.url,
        apiKey: server.apiKey,
        otherApiKey: server.otherApiKey,
        advanceClock: (ms) => clock.advance(ms),
        inspect(response, request) {
          const violations = response.headers.get('sl-violations');
          if (violations) {
            throw new Error(`${request.method} ${new URL(request.url).pathname} → ${response.status}: Prism reports ${violations}`);
          }
        },
        async stop() {
          await prism.stop();
          await server.close();
        },
      };
    },
  };
}
