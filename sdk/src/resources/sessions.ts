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
  SessionWithMessages,
} from '../generated/types.gen.js';
import type { RequestOptions } from '../options.js';
import { CursorPage, PagePromise } from '../pagination.js';
import { Messages } from './messages.js';

/** Filters and page size of `sessions.list()`. */
export type SessionListParams = NonNullable<ListSessionsData['query']>;

/** Conversation sessions: create, read, list, replace the context, end and delete. */
export class Sessions {
  /** The messages of a session. */
  readonly messages: Messages;
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
  create(body: CreateSessionRequest, options?: RequestOptions): Promise<Session> {
    return perform(this.#core, 'CreateSession', options, (hooks) => createSession({ ...hooks, body }));
  }

  /** The session and every message, oldest first. */
  get(id: string, options?: RequestOptions): Promise<SessionWithMessages> {
    return perform(this.#core, 'GetSession', options, (hooks) => getSession({ ...hooks, path: { id } }));
  }

  /**
   * Sessions newest first. Await it for one page, or iterate every session across pages.
   * @example
   * for await (const session of fold.sessions.list({ status: 'active' })) console.log(session.name);
   */
  list(params: SessionListParams = {}, options?: RequestOptions): PagePromise<Session> {
    const load = async (cursor?: string): Promise<CursorPage<Session>> => {
      const query = cursor === undefined ? params : { ...params, cursor };
      const page = await perform(this.#core, 'ListSessions', options, (hooks) =>
        listSessions({ ...hooks, query }),
      );
      return new CursorPage(page.sessions, page.next_cursor, load);
    };
    return new PagePromise(load(params.cursor));
  }

  /** Replaces the session's whole context (no merge). Only active sessions accept it. */
  updateContext(id: string, context: Context, options?: RequestOptions): Promise<Session> {
    return perform(this.#core, 'UpdateContext', options, (hooks) =>
      updateContext({ ...hooks, path: { id }, body: context }),
    );
  }

  /** Ends the session as `closed`; one with messages gets its summary written to memory. */
  close(id: string, options?: RequestOptions): Promise<Session> {
    return perform(this.#core, 'CloseSession', options, (hooks) => closeSession({ ...hooks, path: { id } }));
  }

  /** Ends the session as `completed`, without a summary. */
  complete(id: string, options?: RequestOptions): Promise<Session> {
    return perform(this.#core, 'CompleteSession', options, (hooks) =>
      completeSession({ ...hooks, path: { id } }),
    );
  }

  /** Deletes the session and its messages, in any status. A second delete is a `NotFoundError`. */
  delete(id: string, options?: RequestOptions): Promise<DeletedSession> {
    return perform(this.#core, 'DeleteSession', options, (hooks) => deleteSession({ ...hooks, path: { id } }));
  }
}
