import { copyData } from './copy.js';
import { SessionNotActiveError } from './errors.js';
import type { Session, SessionDocument, SessionRecord, SessionStatus } from './types.js';

/** The status a session has at `now`: an active session past `expires_at` is expired. */
export function effectiveStatus(session: SessionRecord, now: number): SessionStatus {
  return session.status === 'active' && now >= session.expires_at ? 'expired' : session.status;
}

/**
 * Makes a lapsed TTL permanent on the stored record, so that no later clock (a test clock moved
 * back, say) can make it active again. Returns whether the record changed.
 */
export function settleExpiry(session: SessionRecord, now: number): boolean {
  if (effectiveStatus(session, now) !== 'expired' || session.status === 'expired') return false;
  session.status = 'expired';
  session.updated_at = Math.max(session.updated_at, session.expires_at);
  return true;
}

/** Throws the 409 of a write to a session that is not active at `now`. */
export function assertActive(session: SessionRecord, now: number): void {
  const status = effectiveStatus(session, now);
  if (status !== 'active') throw new SessionNotActiveError(session.id, status);
}

/** The public view of a stored session at `now`: a fresh object, safe to hand out. */
export function presentSession(doc: SessionDocument, now: number): Session {
  const { session } = doc;
  const status = effectiveStatus(session, now);
  const updatedAt = status === 'expired' ? Math.max(session.updated_at, session.expires_at) : session.updated_at;
  return {
    id: session.id,
    name: session.name,
    status,
    ttl_seconds: session.ttl_seconds,
    expires_at: session.expires_at,
    message_count: doc.messages.length,
    context: copyData(session.context),
    created_at: session.created_at,
    updated_at: updatedAt,
    closed_at: session.closed_at,
    completed_at: session.completed_at,
    summary_status: session.summary_status,
  };
}
