import fc from 'fast-check';
import { ConflictError, FoldSessions, NotFoundError, type Session, type SessionStatus } from 'fold-sessions';
import { createManualClock } from 'fold-sessions-mock';
import { expect } from 'vitest';
import { responseValidator } from 'fold-sessions/validation';
import type { ContractTarget } from './target.js';

/** What the lifecycle should be, kept by the test. Times are the manual clock's epoch ms. */
interface ModelSession {
  id: string;
  status: 'active' | 'closed' | 'completed';
  expiresAt: number;
  messages: number;
  context: Record<string, unknown>;
  deleted: boolean;
}

interface Model {
  now: number;
  sessions: ModelSession[];
}

interface Real {
  fold: FoldSessions;
  advance(ms: number): Promise<unknown>;
}

function effective(session: ModelSession, now: number): SessionStatus {
  return session.status === 'active' && now >= session.expiresAt ? 'expired' : session.status;
}

function pick(model: Model, index: number): ModelSession | undefined {
  return model.sessions.length === 0 ? undefined : model.sessions[index % model.sessions.length];
}

async function outcome<T>(call: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await call };
  } catch (error) {
    return { error };
  }
}

/** The session as the implementation reports it must match the model, field by field. */
function agree(real: Session, expected: ModelSession, now: number): void {
  expect({ id: real.id, status: real.status, message_count: real.message_count, context: real.context }).toEqual({
    id: expected.id,
    status: effective(expected, now),
    message_count: expected.messages,
    context: expected.context,
  });
}

/** For a write to `session`: the error the model expects, or undefined when it must succeed. */
function expectedRefusal(session: ModelSession, now: number): 'not-found' | 'conflict' | undefined {
  if (session.deleted) return 'not-found';
  return effective(session, now) === 'active' ? undefined : 'conflict';
}

function checkRefusal(result: { error?: unknown }, refusal: 'not-found' | 'conflict' | undefined): boolean {
  if (refusal === 'not-found') expect(result.error).toBeInstanceOf(NotFoundError);
  else if (refusal === 'conflict') expect(result.error).toBeInstanceOf(ConflictError);
  else expect(result.error).toBeUndefined();
  return refusal === undefined;
}

class Create implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ttlSeconds: number) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const session = await real.fold.sessions.create({ name: 'model', ttl_seconds: this.ttlSeconds });
    const expected: ModelSession = { id: session.id, status: 'active', expiresAt: model.now + this.ttlSeconds * 1000, messages: 0, context: {}, deleted: false };
    model.sessions.push(expected);
    agree(session, expected, model.now);
  }
  toString = () => `create(ttl=${this.ttlSeconds}s)`;
}

class AddMessage implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number) {}
  check = (model: Readonly<Model>) => model.sessions.length > 0;
  async run(model: Model, real: Real) {
    const session = pick(model, this.index)!;
    const result = await outcome(real.fold.sessions.messages.add(session.id, { role: 'user', content: `m${session.messages}` }));
    if (checkRefusal(result, expectedRefusal(session, model.now))) session.messages += 1;
  }
  toString = () => `addMessage(#${this.index})`;
}

class UpdateContext implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number, readonly context: Record<string, unknown>) {}
  check = (model: Readonly<Model>) => model.sessions.length > 0;
  async run(model: Model, real: Real) {
    const session = pick(model, this.index)!;
    const result = await outcome(real.fold.sessions.updateContext(session.id, this.context));
    if (checkRefusal(result, expectedRefusal(session, model.now))) {
      session.context = structuredClone(this.context);
      agree(result.value!, session, model.now);
    }
  }
  toString = () => `updateContext(#${this.index}, ${JSON.stringify(this.context)})`;
}

class End implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number, readonly to: 'closed' | 'completed') {}
  check = (model: Readonly<Model>) => model.sessions.length > 0;
  async run(model: Model, real: Real) {
    const session = pick(model, this.index)!;
    const call = this.to === 'closed' ? real.fold.sessions.close(session.id) : real.fold.sessions.complete(session.id);
    const result = await outcome(call);
    // Ending a session that already ended the same way is an idempotent success.
    const repeat = !session.deleted && session.status === this.to;
    if (checkRefusal(result, repeat ? undefined : expectedRefusal(session, model.now))) {
      session.status = this.to;
      agree(result.value!, session, model.now);
    }
  }
  toString = () => `${this.to === 'closed' ? 'close' : 'complete'}(#${this.index})`;
}

class Delete implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number) {}
  check = (model: Readonly<Model>) => model.sessions.length > 0;
  async run(model: Model, real: Real) {
    const session = pick(model, this.index)!;
    const result = await outcome(real.fold.sessions.delete(session.id));
    if (session.deleted) expect(result.error).toBeInstanceOf(NotFoundError);
    else expect(result.value).toEqual({ id: session.id, deleted: true });
    session.deleted = true;
  }
  toString = () => `delete(#${this.index})`;
}

class Get implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number) {}
  check = (model: Readonly<Model>) => model.sessions.length > 0;
  async run(model: Model, real: Real) {
    const session = pick(model, this.index)!;
    const result = await outcome(real.fold.sessions.get(session.id));
    if (session.deleted) expect(result.error).toBeInstanceOf(NotFoundError);
    else {
      agree(result.value!, session, model.now);
      expect(result.value!.messages).toHaveLength(session.messages);
    }
  }
  toString = () => `get(#${this.index})`;
}

class List implements fc.AsyncCommand<Model, Real> {
  constructor(readonly status: SessionStatus | undefined) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const ids: string[] = [];
    for await (const s of real.fold.sessions.list(this.status ? { status: this.status, limit: 7 } : { limit: 7 })) ids.push(s.id);
    const expected = model.sessions
      .filter((s) => !s.deleted && (this.status === undefined || effective(s, model.now) === this.status))
      .map((s) => s.id);
    expect([...ids].sort()).toEqual([...expected].sort());
  }
  toString = () => `list(${this.status ?? 'all'})`;
}

class AdvanceClock implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(model: Model, real: Real) {
    model.now += this.ms;
    await real.advance(this.ms);
  }
  toString = () => `advanceClock(${this.ms}ms)`;
}

const index = fc.nat({ max: 50 });
const contextValue = fc.dictionary(fc.constantFrom('a', 'b', 'plan', '__proto__', 'constructor'), fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.constant(null)), { maxKeys: 3 });

const commands = [
  fc.integer({ min: 1, max: 5 }).map((ttl) => new Create(ttl)),
  index.map((i) => new AddMessage(i)),
  fc.tuple(index, contextValue).map(([i, context]) => new UpdateContext(i, context)),
  fc.tuple(index, fc.constantFrom('closed' as const, 'completed' as const)).map(([i, to]) => new End(i, to)),
  index.map((i) => new Delete(i)),
  index.map((i) => new Get(i)),
  fc.constantFrom(undefined, 'active', 'closed', 'completed', 'expired' as const).map((s) => new List(s)),
  fc.integer({ min: 0, max: 6 }).map((halfSeconds) => new AdvanceClock(halfSeconds * 500)),
];

export interface ModelRunOptions {
  /** Builds a target whose clock is the given manual clock. */
  target: (clock: ReturnType<typeof createManualClock>) => ContractTarget;
  numRuns: number;
  maxCommands: number;
}

/**
 * Runs random command sequences against a fresh implementation per run and checks, after every
 * command, that implementation and model agree. Prints the seed; replay with FC_SEED=<seed>.
 */
export async function runModel({ target, numRuns, maxCommands }: ModelRunOptions): Promise<number> {
  const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
  let sequences = 0;
  console.log(`model-based test: seed ${seed} (replay with FC_SEED=${seed})`);
  await fc.assert(
    fc.asyncProperty(fc.commands(commands, { maxCommands }), async (sequence) => {
      sequences += 1;
      const start = 1_750_000_000_000;
      const clock = createManualClock(start);
      const running = await target(clock).start();
      try {
        const { apiKey } = running.organisation();
        const fold = new FoldSessions({ apiKey, baseURL: running.baseURL, maxRetries: 0, validateResponses: responseValidator });
        const advance = (ms: number) => running.controller.clock.advance(ms);
        await fc.asyncModelRun(() => ({ model: { now: start, sessions: [] }, real: { fold, advance } }), sequence);
      } finally {
        await running.stop();
      }
    }),
    { numRuns, seed, endOnFailure: true },
  );
  return sequences;
}
