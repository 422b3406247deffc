import { systemClock, type Clock } from '../../core/clock.js';
import { randomId } from '../../core/ids.js';
import { presentSession } from '../../core/lifecycle.js';
import { defaultSummarizer } from '../../core/summarizer.js';
import { memoryNamespace, type Context, type MemoryEntry, type Message, type SessionDocument, type SessionStatus, type SummaryStatus } from '../../core/types.js';
import { checkSeed, withMessageCount, type SessionsData } from './data.js';

/** A message of a fixture: at least its content; the role alternates user, assistant when omitted. */
export interface FixtureMessage {
  role?: 'user' | 'assistant';
  content: string;
  tool_call_id?: string | null;
  tool_name?: string | null;
}

export interface SessionFixtureOptions {
  /** The organisation the session belongs to (the one your API key maps to). */
  orgId: string;
  /** @default 'active' */
  status?: SessionStatus;
  /**
   * A number of generated messages (user and assistant turns in turn; every fourth is an
   * assistant tool call), or the messages themselves. @default 0
   */
  messages?: number | FixtureMessage[];
  /**
   * For a closed session: `stored` (the default when it has messages) writes its summary to
   * memory; `pending` and `failed` write none. Ignored for other statuses.
   */
  summary?: Exclude<SummaryStatus, 'none'>;
  /** @default 'Fixture session' */
  name?: string;
  /** @default {} */
  context?: Context;
  /** @default 3600 */
  ttlSeconds?: number;
  /**
   * The clock the session is described against: give it the clock you gave `createSessionsApi`,
   * so that the state holds at the API's time and moving the API's clock moves the session on.
   * It is read once, when the fixture is built. @default the system clock
   */
  clock?: Clock;
  /** The time the session is described at, epoch ms, e.g. `await controller.clock.now()`; wins over `clock`. @default clock.now() */
  now?: number;
  /** @default a random `sess_` id */
  id?: string;
}

function generatedMessage(i: number): FixtureMessage {
  if (i % 2 === 0) return { role: 'user', content: `User message ${i + 1}` };
  if (i % 4 === 3) return { role: 'assistant', content: `Looked it up (message ${i + 1})`, tool_call_id: `call_${i + 1}`, tool_name: 'lookup' };
  return { role: 'assistant', content: `Assistant message ${i + 1}` };
}

/**
 * One session in a given state, with its messages and (when closed) its summary in memory, as
 * spec-valid seed data. Times are laid out so that the state holds at `now`.
 *
 * @example
 * const clock = createManualClock(Date.UTC(2025, 0, 1));
 * const { controller } = createSessionsApi({ clock });
 * await controller.seed(sessionFixture({ orgId: 'org_dev', status: 'expired', messages: 20, clock }));
 */
export function sessionFixture(options: SessionFixtureOptions): SessionsData {
  const status = options.status ?? 'active';
  const now = options.now ?? (options.clock ?? systemClock).now();
  const ttlSeconds = options.ttlSeconds ?? 3600;
  const given = options.messages ?? 0;
  const planned = typeof given === 'number' ? Array.from({ length: given }, (_, i) => generatedMessage(i)) : given;
  // An expired session was created a whole TTL (and a second) ago; the others a minute ago.
  const createdAt = Math.max(0, status === 'expired' ? now - ttlSeconds * 1000 - 1000 : now - 60_000);
  const step = planned.length === 0 ? 0 : Math.floor(Math.min(59_000, ttlSeconds * 1000 - 1) / (planned.length + 1));
  const messages: Message[] = planned.map((message, i) => ({
    id: randomId('msg_'),
    role: message.role ?? (i % 2 === 0 ? 'user' : 'assistant'),
    content: message.content,
    tool_call_id: message.tool_call_id ?? null,
    tool_name: message.tool_name ?? null,
    created_at: createdAt + step * (i + 1),
  }));
  const endedAt = status === 'closed' || status === 'completed' ? Math.min(now, createdAt + ttlSeconds * 1000 - 1) : null;
  const summary: SummaryStatus = status === 'closed' && messages.length > 0 ? (options.summary ?? 'stored') : 'none';
  const doc: SessionDocument = {
    org_id: options.orgId,
    session: {
      id: options.id ?? randomId('sess_'),
      name: options.name ?? 'Fixture session',
      status,
      ttl_seconds: ttlSeconds,
      expires_at: createdAt + ttlSeconds * 1000,
      context: structuredClone(options.context ?? {}),
      created_at: createdAt,
      updated_at: endedAt ?? (status === 'expired' ? createdAt + ttlSeconds * 1000 : (messages.at(-1)?.created_at ?? createdAt)),
      closed_at: status === 'closed' ? endedAt : null,
      completed_at: status === 'completed' ? endedAt : null,
      summary_status: summary,
    },
    messages,
  };
  const memory: MemoryEntry[] = [];
  if (summary === 'stored') {
    const text = defaultSummarizer.summarize({ session: presentSession(doc, now), messages }) as string;
    memory.push({
      id: `mem_${doc.session.id.slice('sess_'.length)}`,
      org_id: options.orgId,
      namespace: memoryNamespace,
      text,
      metadata: { session_id: doc.session.id, name: doc.session.name, message_count: messages.length, closed_at: endedAt! },
    });
  }
  return checkSeed({ sessions: [withMessageCount(doc)], memory }, undefined, 'sessionFixture()');
}

/** Several data sets as one, for a single `seed()`. */
export function mergeData(...parts: Array<Partial<SessionsData>>): SessionsData {
  return {
    sessions: parts.flatMap((part) => part.sessions ?? []),
    memory: parts.flatMap((part) => part.memory ?? []),
  };
}
