import type { ValidationIssue } from '../core/errors.js';
import type { SessionStore } from '../core/store.js';
import type { MemoryEntry, SessionDocument } from '../core/types.js';
import { zMessage, zSession } from '../schemas.js';

/**
 * Everything the handlers store, as plain JSON: what `controller.snapshot()` returns and
 * `controller.seed()` (or the `initialData` option) takes.
 */
export interface SessionsData {
  /** Each session with the organisation it belongs to and its messages, oldest first. */
  sessions: SessionDocument[];
  /** Summaries in memory. */
  memory: MemoryEntry[];
}

function issuesOf(where: string, error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

/** Checks seed data against the spec's schemas, so a typo fails at `seed()`, not in a later test. */
export function checkSeed(data: Partial<SessionsData>): SessionsData {
  const issues: ValidationIssue[] = [];
  const sessions = data.sessions ?? [];
  sessions.forEach((doc, i) => {
    if (typeof doc?.org_id !== 'string' || doc.org_id === '') {
      issues.push({ path: `sessions.${i}.org_id`, message: 'Expected a non-empty organisation id' });
    }
    const session = zSession.safeParse({ ...doc?.session, message_count: doc?.messages?.length ?? 0 });
    if (!session.success) issues.push(...issuesOf(`sessions.${i}.session`, session.error));
    (doc?.messages ?? []).forEach((message, j) => {
      const checked = zMessage.safeParse(message);
      if (!checked.success) issues.push(...issuesOf(`sessions.${i}.messages.${j}`, checked.error));
    });
  });
  const ids = sessions.map((doc) => doc?.session?.id);
  ids.forEach((id, i) => {
    if (ids.indexOf(id) !== i) issues.push({ path: `sessions.${i}.session.id`, message: `Duplicate session id ${id}` });
  });
  if (issues.length > 0) {
    const lines = issues.map((issue) => `  ${issue.path}: ${issue.message}`).join('\n');
    throw new TypeError(`Seed data does not match the Sessions API schemas:\n${lines}`);
  }
  return { sessions, memory: data.memory ?? [] };
}

/** Copies seed data into a store; the caller's objects are never shared with it. */
export async function loadSeed(store: SessionStore, data: SessionsData): Promise<void> {
  for (const doc of structuredClone(data.sessions)) {
    // `message_count` is derived from the messages; a stored copy would only go stale.
    const { message_count: _derived, ...session } = doc.session as SessionDocument['session'] & { message_count?: number };
    await store.insertSession({ org_id: doc.org_id, session, messages: doc.messages ?? [] });
  }
  for (const entry of structuredClone(data.memory)) await store.upsertMemory(entry);
}

/** A deep copy of what the store holds for the given organisations. */
export function takeSnapshot(store: SessionStore, orgIds: Iterable<string>): SessionsData {
  const sessions: SessionDocument[] = [];
  const memory: MemoryEntry[] = [];
  for (const orgId of orgIds) {
    sessions.push(...store.sessionsOf(orgId));
    memory.push(...store.memoryOf(orgId));
  }
  sessions.sort((a, b) => a.session.created_at - b.session.created_at || a.session.id.localeCompare(b.session.id));
  return structuredClone({ sessions, memory });
}
