import type { Context, Message, Session, SessionStatus, SummaryStatus } from '../schemas.js';

export type { Context, Message, Session, SessionStatus, SummaryStatus };

/**
 * A session as stored. `status` is the stored status: an `active` session whose TTL has elapsed
 * still says `active` here until a write makes its expiry permanent; reads go through
 * `lifecycle.ts`, which reports it as `expired`. `message_count` is derived from the messages.
 */
export interface SessionRecord {
  id: string;
  name: string;
  status: SessionStatus;
  ttl_seconds: number;
  expires_at: number;
  context: Context;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
  completed_at: number | null;
  summary_status: SummaryStatus;
}

/** One stored session with its organisation and its messages, oldest first. */
export interface SessionDocument {
  org_id: string;
  session: SessionRecord;
  messages: Message[];
}

export const memoryNamespace = 'session-memory';

/** A summary of a closed session, kept in its organisation's memory. */
export interface MemoryEntry {
  id: string;
  org_id: string;
  namespace: typeof memoryNamespace;
  text: string;
  metadata: {
    session_id: string;
    name: string;
    message_count: number;
    closed_at: number;
  };
  /** The text's embedding, when an embedder is configured; ranks memory queries by meaning. */
  vector?: number[];
}
