import type { SessionStore } from '../../core/store.js';
import type { MemoryEntry, SessionDocument } from '../../core/types.js';
import type { SessionsData } from '../contract.js';
import { invalidControlInput } from '../../http/control-error.js';
import { memoryEntryIssues, sessionDocumentIssues } from '../../core/documents.js';
import type { ValidationIssue } from '../../http/errors.js';

export type { SessionsData };


/**
 * Checks seed data against the spec's schemas and against what `store` holds, so that a typo
 * fails at `seed()`, not in a later test. Throws a `ControlError` listing every issue.
 */
export function checkSeed(data: unknown, store?: SessionStore, call = 'controller.seed()'): SessionsData {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw invalidControlInput(call, [{ path: 'data', message: 'Expected { sessions?: [...], memory?: [...] }' }]);
  }
  const { sessions = [], memory = [], ...rest } = data as Partial<SessionsData>;
  const issues: ValidationIssue[] = Object.keys(rest).map((key) => ({ path: key, message: 'Unknown field; seed data has sessions and memory' }));
  if (!Array.isArray(sessions)) issues.push({ path: 'sessions', message: 'Expected an array' });
  if (!Array.isArray(memory)) issues.push({ path: 'memory', message: 'Expected an array' });
  if (issues.length > 0) throw invalidControlInput(call, issues);
  const seen = new Set<string>();
  sessions.forEach((doc, i) => {
    const found = sessionDocumentIssues(doc, `sessions.${i}`);
    issues.push(...found);
    const id = (doc as Partial<SessionDocument>)?.session?.id;
    if (found.length > 0 || typeof id !== 'string') return;
    if (seen.has(id)) issues.push({ path: `sessions.${i}.session.id`, message: `Duplicate session id ${id}` });
    else if (store?.getSession(id)) issues.push({ path: `sessions.${i}.session.id`, message: `Session ${id} is already stored` });
    seen.add(id);
  });
  memory.forEach((entry, i) => issues.push(...memoryEntryIssues(entry, `memory.${i}`)));
  if (issues.length > 0) throw invalidControlInput(call, issues);
  return { sessions, memory };
}

/** Copies checked seed data into a store; the caller's objects are never shared with it. */
export async function loadSeed(store: SessionStore, data: SessionsData): Promise<void> {
  for (const doc of structuredClone(data.sessions)) {
    // `message_count` is derived from the messages; a stored copy would only go stale.
    const { message_count: _derived, ...session } = doc.session;
    await store.insertSession({ org_id: doc.org_id, session, messages: doc.messages });
  }
  for (const entry of structuredClone(data.memory)) await store.upsertMemory(entry);
}

/** A session document with the `message_count` of its messages, as seed data carries it. */
export function withMessageCount(doc: SessionDocument): SessionsData['sessions'][number] {
  return { ...doc, session: { ...doc.session, message_count: doc.messages.length } };
}

/** A deep copy of everything the store holds, sessions oldest first. */
export function takeSnapshot(store: SessionStore): SessionsData {
  const sessions: SessionDocument[] = [];
  const memory: MemoryEntry[] = [];
  for (const orgId of store.organisations()) {
    sessions.push(...store.sessionsOf(orgId));
    memory.push(...store.memoryOf(orgId));
  }
  sessions.sort((a, b) => a.session.created_at - b.session.created_at || (a.session.id < b.session.id ? -1 : 1));
  memory.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return structuredClone({ sessions: sessions.map(withMessageCount), memory });
}
