import type { AddMessageInput, CreateSessionInput, MemoryMatch, MemoryQueryInput, SessionWithMessages } from '../spec/schemas.js';
import { systemClock, type Clock } from './clock.js';
import { vectorSimilarity, type Embedder, type MemoryRanking } from './embedder.js';
import { comesAfter, decodeCursor, encodeCursor, newestFirst, type ListPosition } from './cursor.js';
import { InvalidFieldError, SessionNotFoundError, UsageLimitError } from './errors.js';
import { randomId, type IdGenerator } from './ids.js';
import { defaultLimits, type Limits } from './limits.js';
import { assertActive, effectiveStatus, presentSession, settleExpiry } from './lifecycle.js';
import { cosineSimilarity, tokenize } from './similarity.js';
import type { ChangeTag, TransactionalStore } from './store.js';
import { defaultSummarizer, type Summarizer } from './summarizer.js';
import { SummaryJobs } from './summary-jobs.js';
import { TopMatches } from './top-matches.js';
import {
  memoryNamespace,
  type Context,
  type MemoryEntry,
  type Message,
  type Session,
  type SessionDocument,
  type SessionRecord,
  type SessionStatus,
} from './types.js';

/** Largest `context`, as UTF-8 bytes of its JSON. */
export const maxContextBytes = 64 * 1024;

export interface SessionsServiceOptions {
  /** The store and its transactions (`LowdbSessionStore`, or any `SessionStore` given `withTransactions`). */
  store: TransactionalStore;
  /** @default the system clock */
  clock?: Clock;
  /** @default random ids from Web Crypto */
  ids?: IdGenerator;
  /** @default `defaultSummarizer` (deterministic, no network) */
  summarizer?: Summarizer;
  /** Told about every summary that failed; the session's `summary_status` says `failed` either way. */
  onSummaryError?: (error: unknown, sessionId: string) => void;
  /** Told about a background write that failed (one no request is waiting on). */
  onStoreError?: (error: unknown, sessionId: string) => void;
  /** Embeds summaries and queries to rank memory by meaning. @default none: lexical ranking */
  embedder?: Embedder;
  /** Told about every failed embedding: the entry is stored without a vector, or the query ranked by words. */
  onEmbeddingError?: (error: unknown, during: 'summary' | 'query') => void;
  /** What one session and one organisation may hold. @default `defaultLimits` */
  limits?: Pick<Limits, 'messagesPerSession' | 'sessionBytes' | 'sessionsPerOrganisation'>;
}

export interface ListSessionsInput {
  status?: SessionStatus | undefined;
  /** 1..100 */
  limit: number;
  cursor?: string | undefined;
}

export interface SessionPage {
  sessions: Session[];
  count: number;
  has_more: boolean;
  next_cursor: string | null;
}

export interface MemoryQueryResult {
  matches: MemoryMatch[];
  count: number;
  /** How the matches were ranked (sent as the `Memory-Ranking` header, not in the body). */
  ranking: MemoryRanking;
}

/**
 * The Sessions API without HTTP: plain inputs (already validated against the spec's schemas),
 * plain outputs, typed errors from `errors.ts`. Every call is scoped to one organisation; another
 * organisation's session is indistinguishable from a missing one. Durability (waiting for the
 * disk, undoing what it refuses) is the store's business (its `SessionTransactions`): these are the rules.
 */
export class SessionsService {
  readonly store: TransactionalStore;
  readonly clock: Clock;
  /** Background summaries. `await service.summaries.flush()` waits for all of them. */
  readonly summaries = new SummaryJobs();
  readonly #ids: IdGenerator;
  readonly #summarizer: Summarizer;
  readonly #onSummaryError: ((error: unknown, sessionId: string) => void) | undefined;
  readonly #onStoreError: ((error: unknown, sessionId: string) => void) | undefined;
  readonly #embedder: Embedder | undefined;
  readonly #onEmbeddingError: SessionsServiceOptions['onEmbeddingError'];
  readonly #limits: NonNullable<SessionsServiceOptions['limits']>;
  // Memory entries never change once written (an upsert replaces the object), so their words can be cached.
  readonly #entryWords = new WeakMap<MemoryEntry, Map<string, number>>();
  // The bytes of a session's messages, counted once and then kept up to date while its length matches.
  readonly #messageBytes = new WeakMap<SessionDocument, { length: number; bytes: number }>();

  constructor(options: SessionsServiceOptions) {
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.#ids = options.ids ?? randomId;
    this.#summarizer = options.summarizer ?? defaultSummarizer;
    this.#onSummaryError = options.onSummaryError;
    this.#onStoreError = options.onStoreError;
    this.#embedder = options.embedder;
    this.#onEmbeddingError = options.onEmbeddingError;
    this.#limits = options.limits ?? defaultLimits;
  }

  /** `tag` marks the change for a store that keeps idempotent requests' changes (all writes take one). */
  async createSession(orgId: string, input: CreateSessionInput, tag?: ChangeTag): Promise<Session> {
    const context = input.context ?? {};
    assertContextSize(context);
    const held = this.store.sessionCount(orgId);
    const { sessionsPerOrganisation } = this.#limits;
    if (held >= sessionsPerOrganisation) {
      throw new UsageLimitError('sessionsPerOrganisation', sessionsPerOrganisation, `This organisation already holds ${sessionsPerOrganisation} sessions, its limit`);
    }
    const now = this.clock.now();
    const doc: SessionDocument = {
      org_id: orgId,
      session: {
        id: this.#ids('sess_'),
        name: input.name,
        status: 'active',
        ttl_seconds: input.ttl_seconds,
        expires_at: now + input.ttl_seconds * 1000,
        context: structuredClone(context),
        created_at: now,
        updated_at: now,
        closed_at: null,
        completed_at: null,
        summary_status: 'none',
      },
      messages: [],
    };
    const answer = presentSession(doc, now);
    await this.store.create(doc, tag);
    return answer;
  }

  async listSessions(orgId: string, input: ListSessionsInput): Promise<SessionPage> {
    return this.store.read(undefined, () => this.#listNow(orgId, input));
  }

  #listNow(orgId: string, input: ListSessionsInput): SessionPage {
    const after = input.cursor === undefined ? undefined : decodeCursor(input.cursor);
    const now = this.clock.now();
    const page: SessionDocument[] = [];
    let hasMore = false;
    // Stops at the first match past a full page: with no status filter that is limit + 1
    // documents, however many the organisation holds. Expiry depends on `now`, so the status
    // filter is applied here, on the way.
    for (const doc of this.#newestFirst(orgId, after)) {
      if (input.status && effectiveStatus(doc.session, now) !== input.status) continue;
      if (page.length === input.limit) {
        hasMore = true;
        break;
      }
      page.push(doc);
    }
    const last = page.at(-1);
    return {
      sessions: page.map((doc) => presentSession(doc, now)),
      count: page.length,
      has_more: hasMore,
      next_cursor: hasMore && last ? encodeCursor(last.session) : null,
    };
  }

  async getSession(orgId: string, id: string): Promise<SessionWithMessages> {
    return this.store.read(id, () => {
      const doc = this.#own(orgId, id, this.store.getSession(id));
      return { ...presentSession(doc, this.clock.now()), messages: doc.messages.map((message) => ({ ...message })) };
    });
  }

  async addMessage(orgId: string, id: string, input: AddMessageInput, tag?: ChangeTag): Promise<Message> {
    const change = (stored: SessionDocument | undefined): Message => {
      const doc = this.#writable(orgId, id, stored);
      const bytes = this.#checkRoomFor(doc, input);
      const now = this.clock.now();
      const message: Message = {
        id: this.#ids('msg_'),
        role: input.role,
        content: input.content,
        tool_call_id: input.tool_call_id ?? null,
        tool_name: input.tool_name ?? null,
        created_at: now,
      };
      doc.messages.push(message);
      doc.session.updated_at = now;
      this.#messageBytes.set(doc, { length: doc.messages.length, bytes });
      return { ...message };
    };
    return this.store.change(id, change, { tag });
  }

  async updateContext(orgId: string, id: string, context: Context): Promise<Session> {
    assertContextSize(context);
    const change = (stored: SessionDocument | undefined): Session => {
      const doc = this.#writable(orgId, id, stored);
      const now = this.clock.now();
      doc.session.context = structuredClone(context);
      doc.session.updated_at = now;
      return presentSession(doc, now);
    };
    return this.store.change(id, change);
  }

  async closeSession(orgId: string, id: string, tag?: ChangeTag): Promise<Session> {
    return this.#finish(orgId, id, 'closed', tag);
  }

  async completeSession(orgId: string, id: string, tag?: ChangeTag): Promise<Session> {
    return this.#finish(orgId, id, 'completed', tag);
  }

  /**
   * Closes or completes a session. It ends in the state its durable writes made: a message or
   * context still on its way to disk may yet be refused, and must not be counted, answered or
   * summarised. Repeating it is answered with the session as it is, once the first one is
   * durable: a crash must not undo a state already answered 200.
   */
  async #finish(orgId: string, id: string, status: 'closed' | 'completed', tag: ChangeTag | undefined): Promise<Session> {
    const change = (stored: SessionDocument | undefined): { answer: Session; ended?: SessionDocument } => {
      const doc = this.#writable(orgId, id, stored, status);
      const now = this.clock.now();
      if (doc.session.status === status) return { answer: presentSession(doc, now) };
      const session = doc.session;
      session.status = status;
      session.updated_at = now;
      if (status === 'closed') {
        session.closed_at = now;
        session.summary_status = doc.messages.length > 0 ? 'pending' : 'none';
      } else {
        session.completed_at = now;
      }
      return { answer: presentSession(doc, now), ended: doc };
    };
    const { answer, ended } = await this.store.change(id, change, { tag, afterInFlight: true });
    // Read once the close is durable: every write queued before it has been stored or refused
    // and undone by now, and none can follow it, so the summary sees exactly the stored messages.
    if (ended?.session.summary_status === 'pending') this.#summarizeLater(orgId, answer, ended.messages.map((message) => ({ ...message })));
    return answer;
  }

  /**
   * Refuses a message the session has no room for (`messagesPerSession`, `sessionBytes`);
   * returns the session's message bytes with it.
   */
  #checkRoomFor(doc: SessionDocument, input: AddMessageInput): number {
    const { messagesPerSession, sessionBytes } = this.#limits;
    const id = doc.session.id;
    if (doc.messages.length >= messagesPerSession) {
      throw new UsageLimitError('messagesPerSession', messagesPerSession, `Session ${id} already holds ${messagesPerSession} messages, its limit`);
    }
    const total = this.#bytesOf(doc) + messageBytes(input);
    if (total > sessionBytes) {
      throw new UsageLimitError('sessionBytes', sessionBytes, `This message would take session ${id} past ${sessionBytes} bytes of messages, its limit`);
    }
    return total;
  }

  #bytesOf(doc: SessionDocument): number {
    const known = this.#messageBytes.get(doc);
    if (known && known.length === doc.messages.length) return known.bytes;
    const bytes = doc.messages.reduce((sum, message) => sum + messageBytes(message), 0);
    this.#messageBytes.set(doc, { length: doc.messages.length, bytes });
    return bytes;
  }

  async deleteSession(orgId: string, id: string): Promise<{ id: string; deleted: true }> {
    await this.store.remove(id, (doc) => this.#own(orgId, id, doc));
    return { id, deleted: true };
  }

  /**
   * Best matches first. Lexically (the default, and the fallback when the embedder fails),
   * entries that share no word with the query are left out; with an embedder, entries with a
   * vector are scored by cosine similarity of the vectors, and those without one by their words.
   */
  async queryMemory(orgId: string, input: MemoryQueryInput): Promise<MemoryQueryResult> {
    // An entry whose write is still in flight must not be shown yet.
    return this.store.read(undefined, () => this.#queryNow(orgId, input));
  }

  async #queryNow(orgId: string, input: MemoryQueryInput): Promise<MemoryQueryResult> {
    const query = tokenize(input.query_text);
    let queryVector: number[] | undefined;
    let ranking: MemoryRanking = 'lexical';
    if (this.#embedder) {
      try {
        queryVector = (await this.#embedder.embed([input.query_text]))[0];
        ranking = 'embeddings';
      } catch (error) {
        this.#onEmbeddingError?.(error, 'query');
        ranking = 'lexical-fallback';
      }
    }
    const best = new TopMatches(input.top_k);
    if (!queryVector && this.store.searchMemory) {
      for (const found of this.store.searchMemory(orgId, query)) if (found.entry.namespace === input.namespace) best.offer(found.entry, found.score);
    } else {
      for (const entry of this.store.memoryOf(orgId)) {
        if (entry.namespace !== input.namespace) continue;
        const score = queryVector && entry.vector ? vectorSimilarity(queryVector, entry.vector) : cosineSimilarity(query, this.#wordsOf(entry));
        if (score > 0) best.offer(entry, score);
      }
    }
    const matches: MemoryMatch[] = best.list().map(({ entry, score }) => ({ id: entry.id, score, text: entry.text, metadata: { ...entry.metadata } }));
    return { matches, count: matches.length, ranking };
  }

  /** The summary's vector, or undefined without an embedder or when it fails (then it is found by its words). */
  async #embedSummary(text: string): Promise<number[] | undefined> {
    if (!this.#embedder) return undefined;
    try {
      return (await this.#embedder.embed([text]))[0];
    } catch (error) {
      this.#onEmbeddingError?.(error, 'summary');
      return undefined;
    }
  }

  #wordsOf(entry: MemoryEntry): Map<string, number> {
    let words = this.#entryWords.get(entry);
    if (!words) this.#entryWords.set(entry, (words = tokenize(entry.text)));
    return words;
  }

  /**
   * Summarises again every closed session whose summary was still `pending` when the server
   * stopped (start-up). The memory entry's id follows the session's, so each session still ends
   * with exactly one. Returns how many it started.
   */
  resumePendingSummaries(): number {
    const now = this.clock.now();
    let started = 0;
    for (const orgId of this.store.organisations()) {
      for (const doc of this.store.sessionsOf(orgId)) {
        if (doc.session.summary_status !== 'pending' || doc.messages.length === 0) continue;
        this.#summarizeLater(orgId, presentSession(doc, now), doc.messages.map((message) => ({ ...message })));
        started += 1;
      }
    }
    return started;
  }

  #newestFirst(orgId: string, after: ListPosition | undefined): Iterable<SessionDocument> {
    if (this.store.sessionsNewestFirst) return this.store.sessionsNewestFirst(orgId, after);
    const docs = [...this.store.sessionsOf(orgId)].filter((doc) => !after || comesAfter(doc.session, after));
    return docs.sort((a, b) => newestFirst(a.session, b.session));
  }

  /** The session, if it is this organisation's; otherwise it is not found. */
  #own(orgId: string, id: string, doc: SessionDocument | undefined): SessionDocument {
    if (!doc || doc.org_id !== orgId) throw new SessionNotFoundError(id);
    return doc;
  }

  /**
   * The session a write may change: this organisation's, and active, or already in the state
   * `reached` the write would leave it in (then the write is a repeat). A lapsed TTL found here
   * is made permanent, so that no later clock can make the session active again.
   */
  #writable(orgId: string, id: string, stored: SessionDocument | undefined, reached?: SessionStatus): SessionDocument {
    const doc = this.#own(orgId, id, stored);
    const now = this.clock.now();
    this.store.record(id, (same) => settleExpiry(same.session, now)).catch((error: unknown) => this.#onStoreError?.(error, id));
    if (doc.session.status !== reached) assertActive(doc.session, now);
    return doc;
  }

  #summarizeLater(orgId: string, session: Session, messages: Message[]): void {
    this.summaries.start(async () => {
      let status: 'stored' | 'failed';
      try {
        const text = await this.#summarizer.summarize({ session, messages });
        if (typeof text !== 'string') throw new TypeError(`Summarizer returned ${typeof text}, expected a string`);
        const vector = await this.#embedSummary(text);
        // Deleted while being summarised: the user asked for it to be gone, so nothing is written.
        if (!this.store.getSession(session.id)) return;
        const entry: MemoryEntry = {
          id: `mem_${session.id.slice('sess_'.length)}`,
          org_id: orgId,
          namespace: memoryNamespace,
          text,
          metadata: {
            session_id: session.id,
            name: session.name,
            message_count: messages.length,
            closed_at: session.closed_at ?? this.clock.now(),
          },
          ...(vector && { vector }),
        };
        await this.store.upsertMemory(entry);
        status = 'stored';
      } catch (error) {
        this.#onSummaryError?.(error, session.id);
        status = 'failed';
      }
      const recorded = (doc: SessionDocument) => {
        doc.session.summary_status = status;
        return true;
      };
      await this.store.record(session.id, recorded).catch((error: unknown) => this.#onSummaryError?.(error, session.id));
    });
  }
}

const utf8 = new TextEncoder();

function assertContextSize(context: Context): void {
  const json = JSON.stringify(context);
  // A UTF-16 code unit takes at most 3 bytes in UTF-8: most contexts need no encoding to pass.
  if (json.length * 3 <= maxContextBytes) return;
  const bytes = utf8.encode(json).length;
  if (bytes > maxContextBytes) {
    throw new InvalidFieldError('context', `Context is ${bytes} bytes serialized; the limit is ${maxContextBytes}`);
  }
}

/** UTF-8 bytes of a string, without encoding it. */
function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0x800 && (unit < 0xd800 || unit > 0xdfff)) bytes += 2;
    else if (unit >= 0x80 && unit < 0x800) bytes += 1;
    else if (unit >= 0xd800 && unit <= 0xdfff) bytes += 1; // each half of a pair: 4 bytes for 2 units
  }
  return bytes;
}

/** What a message counts against `sessionBytes`: its content, tool name and tool call id. */
function messageBytes(message: Pick<Message, 'content'> & { tool_name?: string | null | undefined; tool_call_id?: string | null | undefined }): number {
  return utf8Length(message.content) + utf8Length(message.tool_name ?? '') + utf8Length(message.tool_call_id ?? '');
}
