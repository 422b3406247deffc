import { APIPromise } from '../api-promise.js';
import { type Core, perform } from '../core.js';
import {
  closeSession,
  completeSession,
  createSession,
  deleteSession,
  getSession,
  listSessions,
  updateContext,
} from '../generated/sdk.gen.js';
import type {
  Context,
  CreateSessionRequest,
  DeletedSession,
  ListSessionsData,
  Session,
  SessionList,
  SessionWithMessages,
} from '../generated/types.gen.js';
import type { RequestOptions } from '../options.js';
import { CursorPage, PagePromise } from '../pagination.js';
import { waitForSummary, type WaitForSummaryOptions } from '../wait.js';
import { Messages } from './messages.js';

/** Filters and page size of `sessions.list()`. */
export type SessionListParams = NonNullable<ListSessionsData['query']>;

/** Options of `sessions.close()`: per-call options, and whether to wait for the summary. */
export interface CloseOptions extends RequestOptions {
  /**
   * Resolve only once the summary is written (or has failed): `true`, or how to wait.
   * @default false
   */
  waitForSummary?: boolean | WaitForSummaryOptions | undefined;
}

/** Conversation sessions: create, read, list, replace the context, end and delete. */
export class Sessions {
  /** The messages of a session. */
  declare readonly messages: Messages;
  readonly #core: Core;

  constructor(core: Core) {
    this.#core = core;
    this.messages = new Messages(core);
  }

  /**
   * Creates an `active` session. Retried safely: every attempt carries the same idempotency key.
   * @example
   * const session = await fold.sessions.create({ name: 'support chat', ttl_seconds: 3600 });
   */
  create(body: CreateSessionRequest, options?: RequestOptions): APIPromise<Session> {
    return perform(this.#core, 'CreateSession', options, createSession, { body });
  }

  /**
   * The session and every message, oldest first.
   * @example
   * const { messages } = await fold.sessions.get(session.id);
   */
  get(id: string, options?: RequestOptions): APIPromise<SessionWithMessages> {
    return perform(this.#core, 'GetSession', options, getSession, { path: { id } });
  }

  /**
   * Sessions newest first. Await it for one page, or iterate every session across pages.
   * @example
   * for await (const session of fold.sessions.list({ status: 'active' })) console.log(session.name);
   */
  list(params: SessionListParams = {}, options?: RequestOptions): PagePromise<Session> {
    const load = (cursor?: string): PagePromise<Session> => {
      const query = cursor === undefined ? params : { ...params, cursor };
      const list: APIPromise<SessionList> = perform(this.#core, 'ListSessions', options, listSessions, { query });
      return APIPromise.derive(PagePromise<Session>, list, (data, response) => new CursorPage(data.sessions, data.next_cursor, load, response));
    };
    return load(params.cursor);
  }

  /**
   * Replaces the session's whole context (no merge). Only active sessions accept it.
   * @example
   * await fold.sessions.updateContext(session.id, { plan: 'pro', step: 2 });
   */
  updateContext(id: string, context: Context, options?: RequestOptions): APIPromise<Session> {
    return perform(this.#core, 'UpdateContext', options, updateContext, { path: { id }, body: context });
  }

  /**
   * Ends the session as `closed`; one with messages gets its summary written to memory in the
   * background. With `waitForSummary`, resolves once that is done.
   * @example
   * const closed = await fold.sessions.close(session.id, { waitForSummary: true });
   * console.log(closed.summary_status); // 'stored'
   */
  close(id: string, options?: CloseOptions & { waitForSummary?: false | undefined }): APIPromise<Session>;
  close(id: string, options: CloseOptions & { waitForSummary: true | WaitForSummaryOptions }): Promise<SessionWithMessages>;
  close(id: string, options: CloseOptions = {}): APIPromise<Session> | Promise<SessionWithMessages> {
    const { waitForSummary: wait, ...requestOptions } = options;
    const closing: APIPromise<Session> = perform(this.#core, 'CloseSession', requestOptions, closeSession, { path: { id } });
    if (!wait) return closing;
    const waitOptions: WaitForSummaryOptions = wait === true ? {} : wait;
    return closing.then<SessionWithMessages>(() => this.waitForSummary(id, { signal: requestOptions.signal, ...waitOptions }));
  }

  /**
   * Polls the session, with backoff, until its summary is settled: `summary_status` is `stored`,
   * `failed` or `none`. Rejects with `WaitTimeoutError` after `timeoutMs`, or `APIUserAbortError`.
   * @example
   * const session = await fold.sessions.waitForSummary(id, { timeoutMs: 10_000 });
   */
  waitForSummary(id: string, options?: WaitForSummaryOptions): Promise<SessionWithMessages> {
    return waitForSummary((signal) => this.get(id, { signal }), options);
  }

  /**
   * Ends the session as `completed`, without a summary.
   * @example
   * await fold.sessions.complete(session.id);
   */
  complete(id: string, options?: RequestOptions): APIPromise<Session> {
    return perform(this.#core, 'CompleteSession', options, completeSession, { path: { id } });
  }

  /**
   * Deletes the session and its messages, in any status. A second delete is a `NotFoundError`.
   * @example
   * await fold.sessions.delete(session.id);
   */
  delete(id: string, options?: RequestOptions): APIPromise<DeletedSession> {
    return perform(this.#core, 'DeleteSession', options, deleteSession, { path: { id } });
  }
}
