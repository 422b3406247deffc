import type { ManualClock } from 'fold-sessions-mock';
import { connectControl } from 'fold-sessions-mock/control';
import { createSessionsHandlers } from 'fold-sessions-mock/msw';
import { setupServer } from 'msw/node';
import { spawnServer } from '../support/child-server.js';
import { startPrism, stopProcess } from '../support/prism.js';
import { startReferenceServer, type ReferenceServerOptions } from '../support/reference-server.js';
import { contractLimits, organisationPool, type ContractTarget, type InstanceOptions } from './target.js';

/** The same instance options in the words of `createSessionsApi`. */
function apiOptions(options: InstanceOptions) {
  return {
    limits: { ...contractLimits },
    ...(options.rateLimit !== undefined && { rateLimit: options.rateLimit }),
    ...(options.faultRate && { faults: { errorRate: options.faultRate.rate, seed: options.faultRate.seed } }),
  };
}

function refuseControlOff(name: string, options: InstanceOptions): void {
  if (options.control === false) throw new Error(`${name} has no control API over HTTP to turn off`);
}

/**
 * (a) The MSW handlers, in this process, steered by their in-process controller. Every instance
 * gets its own host on one MSW server. `clock` is for the model-based test, which moves time itself.
 */
export const mswTarget = (clock?: ManualClock): ContractTarget => {
  let server: ReturnType<typeof setupServer> | undefined;
  let instances = 0;
  let hosts = 0;
  return {
    name: 'msw',
    traits: { controlApi: false, localController: true, prismInFront: false },
    async start(options = {}) {
      refuseControlOff('msw', options);
      const baseURL = `https://sessions-${++hosts}.contract.test`;
      const pool = organisationPool();
      const { handlers, controller } = createSessionsHandlers({ baseUrl: baseURL, keys: pool.keys, ...(clock && { clock }), ...apiOptions(options) });
      if (server) server.use(...handlers);
      else {
        const created = setupServer(...handlers);
        created.listen({ onUnhandledFrame: 'error' });
        server = created;
      }
      instances += 1;
      return {
        baseURL,
        controller,
        local: controller,
        organisation: pool.next,
        async stop() {
          await controller.summaries.flush();
          instances -= 1;
          if (instances === 0) {
            server?.close();
            server = undefined;
          }
        },
      };
    },
  };
};

const controlToken = 'contract-control-token';

/**
 * (b) The reference server CLI in a child process (`--in-memory --port 0`), steered over HTTP
 * with `connectControl`: everything the suite does to it crosses the wire.
 */
export const expressProcessTarget = (): ContractTarget => ({
  name: 'express-process',
  traits: { controlApi: true, localController: false, prismInFront: false },
  async start(options = {}) {
    const pool = organisationPool();
    const keys = Object.entries(pool.keys).map(([key, org]) => `${key}=${org}`).join(',');
    const args = ['--in-memory', '--port', '0', '--keys', keys, '--limit', `messages-per-session=${contractLimits.messagesPerSession}`];
    args.push(...(options.control === false ? ['--no-control'] : ['--control-token', controlToken]));
    if (options.rateLimit !== undefined) args.push('--rate-limit', String(options.rateLimit));
    if (options.faultRate) args.push('--fault-rate', String(options.faultRate.rate), '--seed', String(options.faultRate.seed));
    const server = await spawnServer(args);
    return {
      baseURL: server.url,
      controller: connectControl({ baseURL: server.url, token: controlToken }),
      ...(options.control !== false && { controlToken }),
      organisation: pool.next,
      stop: () => stopProcess(server.child),
    };
  },
});

/** The Express app in this process, for the model-based test that starts an instance per run. */
export const expressInProcessTarget = (clock?: ManualClock): ContractTarget => ({
  name: 'express',
  traits: { controlApi: false, localController: true, prismInFront: false },
  async start(options = {}) {
    refuseControlOff('express', options);
    const pool = organisationPool();
    const server = await startReferenceServer({ keys: pool.keys, ...(clock && { clock }), ...apiOptions(options) });
    return {
      baseURL: server.url,
      controller: server.controller,
      local: server.controller,
      organisation: pool.next,
      stop: () => server.close(),
    };
  },
});

/**
 * (c) The Express app (in this process, with its in-process controller) behind
 * `prism proxy --errors`, which checks every request and response against the spec. Invalid
 * requests are forwarded too, so the server's own 400s are checked. Prism only warns (in
 * `sl-violations`) about an undocumented status, so that header fails a case.
 */
export function prismProxyTarget(serverOptions: ReferenceServerOptions = {}): ContractTarget {
  return {
    name: 'prism-proxy',
    traits: { controlApi: false, localController: true, prismInFront: true },
    async start(options = {}) {
      refuseControlOff('prism-proxy', options);
      const pool = organisationPool();
      const server = await startReferenceServer({ keys: pool.keys, ...serverOptions, ...apiOptions(options) });
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
        controller: server.controller,
        local: server.controller,
        organisation: pool.next,
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
