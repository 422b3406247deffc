import type { SessionStore } from 'fold-sessions-mock';

/**
 * A `SessionStore` whose every method calls `inner`'s: spread it and override what a test
 * controls (a write held or refused, reads counted).
 */
export function delegatingStore(inner: SessionStore): SessionStore {
  return {
    getSession: (id) => inner.getSession(id),
    sessionsOf: (orgId) => inner.sessionsOf(orgId),
    sessionCount: (orgId) => inner.sessionCount(orgId),
    insertSession: (doc, tag) => inner.insertSession(doc, tag),
    saveSession: (id, tag) => inner.saveSession(id, tag),
    deleteSession: (id) => inner.deleteSession(id),
    memoryOf: (orgId) => inner.memoryOf(orgId),
    upsertMemory: (entry) => inner.upsertMemory(entry),
    organisations: () => inner.organisations(),
    clear: () => inner.clear(),
    flush: () => inner.flush(),
  };
}
