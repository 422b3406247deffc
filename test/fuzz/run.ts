import fc from 'fast-check';
import type { SessionsController } from 'fold-sessions-mock';
import { operationSpecs, type OperationId } from '../../mock-server/src/spec/spec.gen.js';
import { command, type FuzzCommand } from './requests.js';

/** An implementation of the API to fuzz: where it listens, a key, and its controller. */
export interface FuzzTarget {
  name: string;
  baseURL: string;
  apiKey: string;
  controller: SessionsController;
}

export interface FuzzResult {
  requests: number;
  runs: number;
  /** The shortest failing sequence, with the seed to replay it; undefined when every oracle held. */
  failure: string | undefined;
  /** Every answer in order, as `status code`: two targets given the same seed must agree on it. */
  trace: string[];
}

interface Known {
  id: string;
  status: 'active' | 'closed' | 'completed' | 'deleted';
  expiresAt: number;
}

interface Exchange {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

class OracleError extends Error {}

const check = (condition: boolean, message: () => string) => {
  if (!condition) throw new OracleError(message());
};

/**
 * Runs seeded random sequences of requests (valid ones following the links from created sessions,
 * invalid ones breaking one rule each, and clock moves) against a target, checking every exchange:
 * no 5xx; a documented status; a body its schema accepts; the documented headers; a 4xx changes
 * nothing; an idempotent replay is byte-identical; the lifecycle rules hold.
 */
export async function fuzz(target: FuzzTarget, options: { seed: number; requests: number }): Promise<FuzzResult> {
  let requests = 0;
  let runs = 0;
  let keys = 0;
  const trace: string[] = [];
  const send = async (cmd: FuzzCommand, path: string, key: string | undefined): Promise<Exchange> => {
    const headers: Record<string, string> = { authorization: `Bearer ${target.apiKey}` };
    if (cmd.body !== undefined || cmd.raw !== undefined) headers['content-type'] = 'application/json';
    Object.assign(headers, cmd.headers);
    if (key) headers['idempotency-key'] = key;
    const body = cmd.raw ?? (cmd.body === undefined ? undefined : JSON.stringify(cmd.body));
    const response = await fetch(`${target.baseURL}${path}${cmd.query ? `?${cmd.query}` : ''}`, { method: cmd.method, headers, ...(body !== undefined && { body }) });
    const text = await response.text();
    requests += 1;
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    trace.push(`${cmd.method} ${cmd.operationId} → ${response.status} ${(parsed as { code?: string } | undefined)?.code ?? ''}`.trim());
    return { status: response.status, headers: response.headers, text, body: parsed };
  };

  const property = fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 30 }), async (commands) => {
    runs += 1;
    await target.controller.reset();
    let now = await target.controller.clock.now();
    const known: Known[] = [];
    for (const cmd of commands) {
      if (cmd.kind === 'clock') {
        now = await target.controller.clock.advance(cmd.advanceMs!);
        continue;
      }
      const session = known.length > 0 ? known[cmd.session % known.length] : undefined;
      const id = session?.id ?? 'sess_doesnotexist000000';
      const path = cmd.path.replace('{id}', encodeURIComponent(id));
      const where = `${cmd.kind} ${cmd.method} ${path}${cmd.query ? `?${cmd.query}` : ''}`;
      const before = cmd.kind === 'invalid' ? await target.controller.snapshot() : undefined;
      const key = cmd.headers?.['idempotency-key'] !== undefined && cmd.kind === 'valid' ? `fuzz-${keys++}` : undefined;
      const answer = await send(cmd, path, key);
      const said = () => `${where} → ${answer.status} ${answer.text.slice(0, 300)}`;

      // Every exchange: no 5xx, a documented status, a body its schema takes, the documented headers.
      check(answer.status < 500, () => `a 5xx: ${said()}`);
      const spec = operationSpecs[cmd.operationId as OperationId].responses[answer.status];
      check(spec !== undefined, () => `${cmd.operationId} does not document ${answer.status}: ${said()}`);
      if (spec!.schema) {
        const parsed = spec!.schema.safeParse(answer.body);
        check(parsed.success, () => `the body breaks the schema of ${answer.status} (${parsed.error?.issues[0]?.message}): ${said()}`);
      }
      for (const header of spec!.headers.filter((h) => h.required)) {
        check(answer.headers.get(header.name) !== null, () => `no ${header.name} header: ${said()}`);
      }
      check(/^[A-Za-z0-9._:-]{1,128}$/.test(answer.headers.get('x-request-id') ?? ''), () => `no valid x-request-id: ${said()}`);

      if (cmd.kind === 'invalid') {
        check(answer.status >= 400 && answer.status < 500, () => `an invalid request was not refused: ${said()}`);
        const after = await target.controller.snapshot();
        check(JSON.stringify(after) === JSON.stringify(before), () => `a ${answer.status} changed the stored data: ${said()}`);
        continue;
      }

      if (cmd.repeat && key) {
        const again = await send(cmd, path, key);
        check(again.status === answer.status && again.text === answer.text, () => `the replay differs: ${said()} then ${again.status} ${again.text.slice(0, 200)}`);
        check(again.headers.get('idempotent-replayed') === 'true', () => `the replay is not marked Idempotent-Replayed: ${said()}`);
      }

      // The lifecycle rules (docs/decisions.md#lifecycle), from what this sequence did.
      const expired = session !== undefined && session.status === 'active' && now >= session.expiresAt;
      const state = session === undefined || session.status === 'deleted' ? 'missing' : expired ? 'expired' : session.status;
      const write = ['addMessage', 'updateContext', 'closeSession', 'completeSession'].includes(cmd.operationId);
      if (write || cmd.operationId === 'getSession' || cmd.operationId === 'deleteSession') {
        let expected: number;
        if (state === 'missing') expected = 404;
        else if (!write) expected = 200;
        else if (state === 'active') expected = cmd.operationId === 'addMessage' ? 201 : 200;
        else if ((state === 'closed' && cmd.operationId === 'closeSession') || (state === 'completed' && cmd.operationId === 'completeSession')) expected = 200;
        else expected = 409;
        check(answer.status === expected, () => `expected ${expected} for a ${state} session: ${said()}`);
        if (cmd.operationId === 'getSession' && expected === 200) {
          const status = (answer.body as { status: string }).status;
          check(status === state, () => `the session says ${status}, expected ${state}: ${said()}`);
        }
      }
      if (answer.status < 300) {
        const body = answer.body as { id: string; expires_at: number };
        if (cmd.operationId === 'createSession') known.push({ id: body.id, status: 'active', expiresAt: body.expires_at });
        if (session && cmd.operationId === 'closeSession') session.status = 'closed';
        if (session && cmd.operationId === 'completeSession') session.status = 'completed';
        if (session && cmd.operationId === 'deleteSession') session.status = 'deleted';
      }
    }
  });

  // About six requests a sequence on average (commands, replays, and the refused ones).
  const numRuns = Math.max(1, Math.ceil(options.requests / 5));
  const details = await fc.check(property, { seed: options.seed, numRuns, endOnFailure: false });
  if (!details.failed) return { requests, runs, failure: undefined, trace };
  const shortest = details.counterexample?.[0] as FuzzCommand[] | undefined;
  const lines = (shortest ?? []).map((cmd, i) => `  ${i + 1}. ${JSON.stringify(cmd)}`);
  return {
    requests,
    runs,
    trace,
    failure:
      `fuzz[${target.name}] failed (seed ${options.seed}, replay with FUZZ_SEED=${options.seed}): ${String((details.errorInstance as Error | undefined)?.message ?? 'no message')}\n` +
      `shortest failing sequence (${lines.length} commands):\n${lines.join('\n')}`,
  };
}
