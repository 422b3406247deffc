import { withMessageCount, type SessionsData } from '../control/server/data.js';
import type { OperationId } from '../spec/spec.gen.js';
import type { Message, SessionDocument } from '../core/types.js';

type Session = SessionDocument['session'];

/** The organisation id a recording gives the n-th API key it sees. */
export const recordedOrgId = (n: number) => `org_recorded_${n}`;

/**
 * The sessions a proxy saw in the upstream's answers, each the latest it saw, with the messages
 * it saw, as seed data for `controller.seed()` or `--fixtures`. API keys stay out of it: each key
 * becomes an organisation id (`org_recorded_1`, ...) and only this object, in memory, knows which.
 */
export class SessionRecording {
  readonly #orgs = new Map<string, string>();
  readonly #docs = new Map<string, SessionDocument>();

  /**
   * Takes a valid success answer of `operationId`. `sessionId` is the session of the path;
   * `apiKey` the bearer token of the request.
   */
  observe(apiKey: string, operationId: OperationId, sessionId: string | undefined, body: unknown): void {
    switch (operationId) {
      case 'createSession':
      case 'closeSession':
      case 'completeSession':
      case 'updateContext':
        this.#keepSession(apiKey, body as Session & { message_count?: number });
        return;
      case 'getSession': {
        const { messages, ...session } = body as Session & { messages: Message[] };
        this.#keepSession(apiKey, session).messages = structuredClone(messages);
        return;
      }
      case 'addMessage': {
        const doc = sessionId === undefined ? undefined : this.#docs.get(sessionId);
        const message = body as Message;
        if (doc && !doc.messages.some((kept) => kept.id === message.id)) doc.messages.push(structuredClone(message));
        return;
      }
      case 'deleteSession':
        if (sessionId !== undefined) this.#docs.delete(sessionId);
        return;
      default:
    }
  }

  /** The recording as seed data: sessions oldest first, no memory. */
  data(): SessionsData {
    const sessions = [...this.#docs.values()].sort((a, b) => a.session.created_at - b.session.created_at || (a.session.id < b.session.id ? -1 : 1));
    return { sessions: structuredClone(sessions.map(withMessageCount)), memory: [] };
  }

  #keepSession(apiKey: string, answered: Session & { message_count?: number }): SessionDocument {
    // `message_count` is derived from the messages when the recording is seeded.
    const { message_count: _derived, ...session } = answered;
    const existing = this.#docs.get(session.id);
    if (existing) {
      existing.session = structuredClone(session);
      return existing;
    }
    const doc: SessionDocument = { org_id: this.#orgOf(apiKey), session: structuredClone(session), messages: [] };
    this.#docs.set(session.id, doc);
    return doc;
  }

  #orgOf(apiKey: string): string {
    let org = this.#orgs.get(apiKey);
    if (org === undefined) {
      org = recordedOrgId(this.#orgs.size + 1);
      this.#orgs.set(apiKey, org);
    }
    return org;
  }
}
