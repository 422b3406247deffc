import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { FoldSessions, type ClientOptions } from 'fold-sessions';
import { createManualClock, createSessionsApi, developmentKeys, type ApiHandler, type LocalController } from 'fold-sessions-mock';
import { toolSuccess } from './tool-result.js';
import type { ExtraTool } from './tools.js';

/** The base URL the sandbox's client believes it calls; nothing leaves the process. */
export const sandboxBaseUrl = 'http://sandbox.fold.invalid';

/**
 * A `fetch` that answers from the runtime in this process: the Request becomes the runtime's
 * plain request, the plain response a Response, exactly as the MSW handlers do it.
 */
export function runtimeFetch(handle: ApiHandler, beforeEach?: () => Promise<void>): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    await beforeEach?.();
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name] = value));
    const rawBody = request.body ? new Uint8Array(await request.arrayBuffer()) : undefined;
    const response = await handle({ method: request.method, path: url.pathname, query: url.searchParams, headers, rawBody });
    if (response.networkError) throw new TypeError('fetch failed: the sandbox dropped the connection');
    return new Response(response.body === null ? null : JSON.stringify(response.body), { status: response.status, headers: response.headers });
  };
}

export interface Sandbox {
  client: FoldSessions;
  controller: LocalController;
  /** The clock tool. */
  tools: ExtraTool[];
}

/**
 * An in-memory Sessions API (the reference runtime, `createSessionsApi`) with a client wired to
 * it and a clock an agent can move. The clock starts at the current time and then moves only
 * through `advanceClock`, so a rehearsal gives the same answers every time. Background summaries
 * finish before the next call is answered, so a query right after a close finds the summary.
 */
export function createSandbox(options: Pick<ClientOptions, 'logger' | 'logLevel'> = {}): Sandbox {
  const { handle, controller } = createSessionsApi({ journal: false, clock: createManualClock(Date.now()) });
  const [apiKey] = Object.keys(developmentKeys);
  const client = new FoldSessions({
    ...options,
    apiKey,
    baseURL: sandboxBaseUrl,
    fetch: runtimeFetch(handle, () => controller.summaries.flush()),
  });
  return { client, controller, tools: [advanceClockTool(controller)] };
}

function advanceClockTool(controller: LocalController): ExtraTool {
  return {
    definition: {
      name: 'advanceClock',
      title: 'Move the sandbox clock forward',
      description:
        'Sandbox only. Moves the clock of the in-memory Sessions API forward by `seconds`, so that sessions whose TTL elapses expire. Returns the new time as epoch ms and ISO 8601.',
      inputSchema: {
        type: 'object',
        properties: { seconds: { type: 'number', minimum: 0, description: 'How far to move the clock, in seconds.' } },
        required: ['seconds'],
        additionalProperties: false,
      },
      outputSchema: {
        type: 'object',
        properties: { now: { type: 'integer' }, iso: { type: 'string' } },
        required: ['now', 'iso'],
      },
      annotations: { title: 'Move the sandbox clock forward', readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async call(args): Promise<CallToolResult> {
      const seconds = args.seconds;
      if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
        return {
          isError: true,
          content: [{ type: 'text', text: `advanceClock needs \`seconds\`, a number >= 0; got ${JSON.stringify(seconds)}.` }],
        };
      }
      const now = await controller.clock.advance(seconds * 1000);
      return toolSuccess({ now, iso: new Date(now).toISOString() });
    },
  };
}

