import type { AddMessageInput, CreateSessionInput, MemoryMatch, MemoryQueryInput, SessionWithMessages } from '../schemas.js';
import { systemClock, type Clock } from './clock.js';
import { vectorSimilarity, type Embedder, type MemoryRanking } from './embedder.js';
import { comesAfter, decodeCursor, encodeCursor, newestFirst, type ListPosition } from './cursor.js';
import { DomainError, InvalidFieldError, SessionNotFoundError, StoreUnavailableError, UsageLimitError } from './errors.js';
import { randomId, type IdGenerator } from './ids.js';
import { defaultLimits, type Limits } from './limits.js';
import { assertActive, effectiveStatus, presentSession, settleExpiry } from './lifecycle.js';
import { cosineSimilarity, tokenize } from './similarity.js';
import type { ChangeTag, SessionStore } from './store.js';
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

// How often an answer is computed again after a write it rested on was refused.
const maxAttempts = 3;

/** What closing or completing a session changes, and undoes when the store refuses it. */
const endFields = ['status', 'updated_at', 'closed_at', 'completed_at', 'summary_status'] as const;

/** Largest `context`, as UTF-8 bytes of its JSON. */
export const maxContextBytes = 64 * 1024;

export interface SessionsServiceOptions {
  store: SessionStore;
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
 * organisation's session is indistinguishable from a missing one.
 */
export class SessionsService {
  readonly store: SessionStore;
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
    await this.store.insertSession(doc, tag).catch((error: unknown) => {
      throw new StoreUnavailableError(error);
    });
    return answer;
  }

  async listSessions(orgId: string, input: ListSessionsInput): Promise<SessionPage> {
    return this.#durable(undefined, () => this.#listNow(orgId, input));
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
    return this.#durable(id, () => {
      const doc = this.#find(orgId, id);
      return { ...presentSession(doc, this.clock.now()), messages: doc.messages.map((message) => ({ ...message })) };
    });
  }

  async addMessage(orgId: string, id: string, input: AddMessageInput, tag?: ChangeTag): Promise<Message> {
    let found;
    for (let attempt = 1; (found = this.#findForWrite(orgId, id, attempt)) instanceof Promise; attempt++) await found;
    const doc = found;
    const added = this.#checkRoomFor(doc, input);
    const now = this.clock.now();
    const message: Message = {
      id: this.#ids('msg_'),
      role: input.role,
      content: input.content,
      tool_call_id: input.tool_call_id ?? null,
      tool_name: input.tool_name ?? null,
      created_at: now,
    };
    const updatedAt = doc.session.updated_at;
    doc.messages.push(message);
    doc.session.updated_at = now;
    const answer = { ...message };
    this.#messageBytes.set(doc, { length: doc.messages.length, bytes: added });
    await this.#save(id, tag, () => {
      doc.messages.splice(doc.messages.indexOf(message), 1);
      if (doc.session.updated_at === now) doc.session.updated_at = updatedAt;
    });
    return answer;
  }

  async updateContext(orgId: string, id: string, context: Context): Promise<Session> {
    assertContextSize(context);
    let found;
    for (let attempt = 1; (found = this.#findForWrite(orgId, id, attempt)) instanceof Promise; attempt++) await found;
    const doc = found;
    const now = this.clock.now();
    const before = { context: doc.session.context, updated_at: doc.session.updated_at };
    const replaced = structuredClone(context);
    doc.session.context = replaced;
    doc.session.updated_at = now;
    const answer = presentSession(doc, now);
    // Undone field by field, and only where no later change has written since.
    await this.#save(id, undefined, () => {
      if (doc.session.context === replaced) doc.session.context = before.context;
      if (doc.session.updated_at === now) doc.session.updated_at = before.updated_at;
    });
    return answer;
  }

  async closeSession(orgId: string, id: string, tag?: ChangeTag): Promise<Session> {
    return this.#finish(orgId, id, 'closed', tag);
  }

  async completeSession(orgId: string, id: string, tag?: ChangeTag): Promise<Session> {
    return this.#finish(orgId, id, 'completed', tag);
  }

  /**
   * Closes or completes a session. Repeating it is answered with the session as it is, but only
   * once the first one's write is durable: a crash must not undo a state already answered 200.
   */
  async #finish(orgId: string, id: string, status: 'closed' | 'completed', tag: ChangeTag | undefined, attempt = 1): Promise<Session> {
    // The session ends in the state its durable writes made: a message or context still on its
    // way to disk may yet be refused, and must not be counted, answered or summarised.
    for (let waits = 1; waits < maxAttempts; waits++) {
      const inFlight = this.store.settled?.(id);
      if (!inFlight) break;
      await inFlight;
    }
    let found;
    const repeats = (session: SessionRecord) => session.status === status;
    for (let tries = 1; (found = this.#findForWrite(orgId, id, tries, repeats)) instanceof Promise; tries++) await found;
    const doc = found;
    const now = this.clock.now();
    if (doc.session.status === status) {
      const answer = presentSession(doc, now);
      const pending = this.store.settled?.(id);
      if (!pending || (await pending)) return answer;
      // The first one was refused and undone: this one is a first one now.
      if (attempt < maxAttempts) return this.#finish(orgId, id, status, tag, attempt + 1);
      throw new StoreUnavailableError(new Error(`The ${status === 'closed' ? 'close' : 'completion'} of ${id} was refused by the store`));
    }
    const session = doc.session;
    const before = endFields.map((key) => session[key]);
    session.status = status;
    session.updated_at = now;
    if (status === 'closed') {
      session.closed_at = now;
      session.summary_status = doc.messages.length > 0 ? 'pending' : 'none';
    } else {
      session.completed_at = now;
    }
    const after = endFields.map((key) => session[key]);
    const answer = presentSession(doc, now);
    // Undone field by field, and only where no later change has written since.
    await this.#save(id, tag, () => {
      endFields.forEach((key, at) => {
        if (session[key] === after[at]) (session as Record<(typeof endFields)[number], unknown>)[key] = before[at];
      });
    });
    // Read once the close is durable: every write queued before it has been stored or refused
    // and undone by now, and none can follow it, so the summary sees exactly the stored messages.
    if (session.summary_status === 'pending') this.#summarizeLater(orgId, answer, doc.messages.map((message) => ({ ...message })));
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
    await this.#durable(id, () => this.#find(orgId, id));
    await this.store.deleteSession(id).catch((error: unknown) => {
      throw new StoreUnavailableError(error);
    });
    return { id, deleted: true };
  }

  /**
   * Best matches first. Lexically (the default, and the fallback when the embedder fails),
   * entries that share no word with the query are left out; with an embedder, entries with a
   * vector are scored by cosine similarity of the vectors, and those without one by their words.
   */
  async queryMemory(orgId: string, input: MemoryQueryInput): Promise<MemoryQueryResult> {
    // An entry whose write is still in flight must not be shown yet.
    return this.#durable(undefined, () => this.#queryNow(orgId, input));
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

  /**
   * Makes a change made in place durable; when the store cannot, `undo` takes it back and the
   * caller gets a `StoreUnavailableError` (a 503): a refused change is never left applied.
   */
  async #save(id: string, tag: ChangeTag | undefined, undo: () => void): Promise<void> {
    try {
      await this.store.saveSession(id, tag);
    } catch (error) {
      undo();
      throw new StoreUnavailableError(error);
    }
  }

  #newestFirst(orgId: string, after: ListPosition | undefined): Iterable<SessionDocument> {
    if (this.store.sessionsNewestFirst) return this.store.sessionsNewestFirst(orgId, after);
    const docs = [...this.store.sessionsOf(orgId)].filter((doc) => !after || comesAfter(doc.session, after));
    return docs.sort((a, b) => newestFirst(a.session, b.session));
  }

  #find(orgId: string, id: string): SessionDocument {
    const doc = this.store.getSession(id);
    if (!doc || doc.org_id !== orgId) throw new SessionNotFoundError(id);
    return doc;
  }

  /**
   * Finds a session about to be written and makes a lapsed TTL permanent. Synchronous on
   * purpose: the caller checks the status and changes the document in the same tick, so no
   * concurrent request can slip in between. The expiry itself is derived data (reads compute it
   * too), so its write is not awaited here.
   */
  #findForWriteNow(orgId: string, id: string): SessionDocument {
    const doc = this.#find(orgId, id);
    if (settleExpiry(doc.session, this.clock.now())) {
      this.store.saveSession(id).catch((error: unknown) => this.#onStoreError?.(error, id));
    }
    return doc;
  }

  /**
   * `#findForWriteNow` with the status check: the document, or, when the refusal (a 404 after a
   * delete, a 409 after a close) or `repeats` (an already reached state) may rest on a write
   * still on its way to disk, that write's promise, to wait on before trying again. Synchronous,
   * so that the caller changes the document in the same tick as the check:
   * `while ((found = this.#findForWrite(...)) instanceof Promise) await found;`
   */
  #findForWrite(orgId: string, id: string, attempt: number, repeats?: (session: SessionRecord) => boolean): SessionDocument | Promise<unknown> {
    try {
      const doc = this.#findForWriteNow(orgId, id);
      if (!repeats?.(doc.session)) assertActive(doc.session, this.clock.now());
      return doc;
    } catch (error) {
      const pending = error instanceof DomainError && attempt < maxAttempts ? this.store.settled?.(id) : undefined;
      if (!pending) throw error;
      return pending;
    }
  }

  /**
   * Computes an answer from the state in memory and returns it once every write it could rest
   * on is durable; computes again if one of them was refused (and undone) meanwhile. Costs
   * nothing when the store has no writes in flight.
   */
  async #durable<T>(id: string | undefined, compute: () => T | Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let outcome: { answer: T } | { error: unknown };
      try {
        const answer = compute();
        // Reads of the working set answer synchronously: no extra turn for them.
        outcome = { answer: answer instanceof Promise ? await answer : answer };
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        outcome = { error };
      }
      const pending = this.store.settled?.(id);
      const durable = pending ? await pending : true;
      if (durable && 'answer' in outcome) return outcome.answer;
      if (!pending) throw (outcome as { error: unknown }).error;
      // A change it rested on was refused and undone: answer from what is left, without waiting again.
      if (attempt === maxAttempts) return compute();
    }
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
      const doc = this.store.getSession(session.id);
      if (!doc) return;
      doc.session.summary_status = status;
      try {
        await this.store.saveSession(session.id);
      } catch (error) {
        this.#onSummaryError?.(error, session.id);
      }
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
