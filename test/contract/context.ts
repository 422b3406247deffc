import { FoldSessions, type Session } from 'fold-sessions';
import { expect } from 'vitest';
import type { Reply } from '../mock-server/http.js';
import { rawClient, type RawClient } from './http.js';
import { responseValidator } from 'fold-sessions/validation';
import type { ContractTarget, Organisation, RunningTarget } from './target.js';

/**
 * What every case of the suite gets: the target, its controller and, fresh for each case, two
 * organisations of their own (`a` and `b`) with an SDK client and a raw HTTP client each.
 */
export interface CaseContext {
  readonly target: ContractTarget;
  running: RunningTarget;
  a: Organisation;
  b: Organisation;
  /** The SDK as organisation `a`. */
  fold: FoldSessions;
  /** The SDK as organisation `b`. */
  other: FoldSessions;
  /** Raw HTTP as organisation `a`. */
  api: RawClient;
  /** Raw HTTP as organisation `b`. */
  otherApi: RawClient;
  /** The last response the SDK clients received. */
  lastResponse(): Response;
  /** An SDK client of `running` (another instance too) that records and inspects what it receives. */
  client(running: RunningTarget, apiKey: string): FoldSessions;
}

/** Builds the context; `refresh()` hands it two new organisations before each case. */
export function createContext(target: ContractTarget) {
  const seen: Array<{ request: Request; response: Response }> = [];
  let inspectionFailures: string[] = [];

  function client(running: RunningTarget, apiKey: string): FoldSessions {
    return new FoldSessions({
      apiKey,
      baseURL: running.baseURL,
      maxRetries: 0,
      timeout: 10_000,
      validateResponses: responseValidator,
      fetch: async (input, init) => {
        const request = new Request(input, init);
        const response = await globalThis.fetch(request.clone());
        seen.push({ request, response });
        if (seen.length > 20) seen.shift();
        try {
          running.inspect?.(response.clone(), request);
        } catch (error) {
          inspectionFailures.push(String(error));
        }
        return response;
      },
    });
  }

  const context = { target, client, lastResponse: () => seen.at(-1)!.response } as CaseContext;
  return {
    context,
    refresh() {
      const running = context.running;
      context.a = running.organisation();
      context.b = running.organisation();
      context.fold = client(running, context.a.apiKey);
      context.other = client(running, context.b.apiKey);
      context.api = rawClient(running, context.a.apiKey);
      context.otherApi = rawClient(running, context.b.apiKey);
    },
    /** Failures `inspect` found in SDK responses since the last call. */
    takeInspectionFailures(): string[] {
      const failures = inspectionFailures;
      inspectionFailures = [];
      return failures;
    },
  };
}

export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

/** The session once its background summary is done: the controller waits for it, the SDK reads it back. */
export async function settledSummary(c: Pick<CaseContext, 'fold' | 'running'>, id: string): Promise<Session> {
  await c.running.controller.summaries.flush();
  const session = await c.fold.sessions.get(id);
  expect(session.summary_status, `summary of ${id} after summaries.flush()`).not.toBe('pending');
  return session;
}

/** A 400 VALIDATION_ERROR listing exactly `paths`. */
export function expectIssues(reply: Reply, ...paths: string[]): void {
  expect(reply.status, JSON.stringify(reply.body)).toBe(400);
  expect(reply.body.code).toBe('VALIDATION_ERROR');
  expect(reply.body.details.issues.map((issue: { path: string }) => issue.path)).toEqual(paths);
}

/** Prism's own answer to a request it did not forward: problem+json of `type`, no `x-request-id`. */
export function expectPrismAnswer(reply: Reply, status: number, type: RegExp): void {
  expect(reply.status, JSON.stringify(reply.body)).toBe(status);
  expect(reply.headers.get('content-type')).toMatch(/^application\/(problem\+)?json/);
  expect(JSON.stringify(reply.body)).toMatch(type);
  expect(reply.headers.get('x-request-id')).toBeNull();
}

/**
 * Prism 5.15 and newer (5.16.0 here) never answer a JSON body they cannot parse: once the parse
 * fails, Prism's server waits for the request's `end` event, which has already fired, until the
 * client hangs up; nothing is forwarded. A client gives up after `ms`; resolves to the name of the
 * error that ended the wait (`TimeoutError` while Prism holds the request, nothing if it answers).
 */
export async function prismHoldsBody(baseURL: string, raw: string, key: string, ms = 2_000): Promise<string | undefined> {
  try {
    const response = await fetch(`${baseURL}/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: raw,
      signal: AbortSignal.timeout(ms),
    });
    await response.body?.cancel();
    return undefined;
  } catch (error) {
    return (error as Error).name;
  }
}
