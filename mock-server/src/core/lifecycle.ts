import { copyData } from './copy.js';
import { SessionNotActiveError } from './errors.js';
import { sessionFields } from '../spec/schemas.js';
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

/**
 * The public view of a stored session at `now`: every field of the spec's `Session`, in its
 * order, with the status, `updated_at` and `message_count` a read answers; a fresh object, safe
 * to hand out. A field the spec gains is stored and shown without a change here.
 */
export function presentSession(doc: SessionDocument, now: number): Session {
  const { session } = doc;
  const status = effectiveStatus(session, now);
  const derived: Partial<Record<keyof Session, unknown>> = {
    status,
    updated_at: status === 'expired' ? Math.max(session.updated_at, session.expires_at) : session.updated_at,
    message_count: doc.messages.length,
  };
  const view: Partial<Record<keyof Session, unknown>> = {};
  for (const field of sessionFields) {
    const value = field in derived ? derived[field] : session[field as keyof SessionRecord];
    if (value !== undefined) view[field] = copyData(value);
  }
  return view as Session;
}
