import { type Core, callBase } from './core.js';
import { describeRequest, makeAPIError } from './errors.js';
import { createClient, createConfig } from './generated/client/index.js';
import { type ClientOptions, resolveClientOptions } from './options.js';
import { Memory } from './resources/memory.js';
import { Sessions } from './resources/sessions.js';

/**
 * The Sessions API client: safe retries, per-attempt timeouts, typed errors, pagination and
 * logging over the generated client.
 *
 * @example
 * const fold = new FoldSessions({ apiKey: process.env.FOLD_API_KEY });
 * const session = await fold.sessions.create({ name: 'support chat' });
 * await fold.sessions.messages.add(session.id, { role: 'user', content: 'hi' });
 */
export class FoldSessions {
  /** Sessions, and their messages under `sessions.messages`. */
  declare readonly sessions: Sessions;
  /** Queries over the summaries of closed sessions. */
  declare readonly memory: Memory;
  readonly #options: ClientOptions;

  /** @throws {FoldSessionsError} when the API key is missing or an option is out of range. */
  constructor(options: ClientOptions = {}) {
    const resolved = resolveClientOptions(options);
    this.#options = { ...options, ...(options.defaultHeaders && { defaultHeaders: { ...options.defaultHeaders } }) };
    // Every call throws on an error status and hands the body over unread: set once, here.
    const client = createClient(
      createConfig({
        baseUrl: resolved.baseURL,
        throwOnError: true,
        parseAs: 'stream',
        // Headers, `Authorization` among them, travel with each call (see resolveClientOptions): the
        // config holds none, not even the default Content-Type, which the generated functions of
        // bodies set themselves.
        headers: {},
      }),
    );
    // Error statuses reach the caller as one class per status, built in one place.
    client.interceptors.error.use((body, response, request) =>
      response && request ? makeAPIError(describeRequest(request), response.status, response.headers, body) : body,
    );
    const core: Core = { client, options: resolved, base: callBase(client) };
    this.sessions = new Sessions(core);
    this.memory = new Memory(core);
  }

  /**
   * A new client with these options on top of this one's, sharing nothing mutable with it: for
   * one tenant, one task or one test.
   * @example
   * const patient = fold.withOptions({ timeout: 120_000, maxRetries: 5 });
   */
  withOptions(overrides: ClientOptions): FoldSessions {
    return new FoldSessions({ ...this.#options, ...overrides });
  }
}
