import type { APIPromise } from '../api-promise.js';
import { type Core, perform } from '../core.js';
import { addMessage } from '../generated/sdk.gen.js';
import type { AddMessageRequest, Message } from '../generated/types.gen.js';
import type { RequestOptions } from '../options.js';

/** The messages of a session. */
export class Messages {
  readonly #core: Core;

  constructor(core: Core) {
    this.#core = core;
  }

  /**
   * Appends a message to an active session. A retried append is stored once: every attempt
   * carries the same idempotency key.
   * @example
   * await fold.sessions.messages.add(session.id, { role: 'user', content: 'hi' });
   */
  add(sessionId: string, body: AddMessageRequest, options?: RequestOptions): APIPromise<Message> {
    return perform(this.#core, 'AddMessage', options, addMessage, { path: { id: sessionId }, body });
  }
}
