import type { Context, MemoryMetadata, MemoryNamespace, Message, Session, SessionStatus, SummaryStatus } from '../spec/schemas.js';

export type { Context, Message, Session, SessionStatus, SummaryStatus };

/**
 * A session as stored: the spec's `Session` without `message_count`, which is derived from the
 * messages. `status` is the stored status: an `active` session whose TTL has elapsed still says
 * `active` here until a write makes its expiry permanent; reads go through `lifecycle.ts`, which
 * reports it as `expired`.
 */
export type SessionRecord = Omit<Session, 'message_count'>;

/** One stored session with its organisation and its messages, oldest first. */
export interface SessionDocument {
  org_id: string;
  session: SessionRecord;
  messages: Message[];
}

export const memoryNamespace: MemoryNamespace = 'session-memory';

/** A summary of a closed session, kept in its organisation's memory: the control API's `MemoryEntry`. */
export interface MemoryEntry {
  id: string;
  org_id: string;
  namespace: MemoryNamespace;
  text: string;
  metadata: MemoryMetadata;
  /** The text's embedding, when an embedder is configured; ranks memory queries by meaning. */
  vector?: number[];
}
