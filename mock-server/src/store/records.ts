import type { ChangeTag, TaggedChange } from '../core/store.js';
import type { Context, MemoryEntry, Message, SessionDocument, SessionRecord } from '../core/types.js';

/**
 * One line of the journal. Each record is a whole change, replayable more than once with the
 * same result (start-up may replay records a snapshot already holds):
 * - `doc`: a session document as a whole (a new session, or one rewritten after a refused write);
 * - `update`: a session's record, its context when it changed, and messages it gained;
 * - `delete`: a session removed; `memory`: a memory entry added or replaced; `clear`: everything removed.
 * `tag` marks the change an idempotent request made, so its answer can be replayed after a restart.
 */
export type JournalRecord =
  | { t: 'doc'; doc: SessionDocument; tag?: ChangeTag }
  | { t: 'update'; id: string; session: Omit<SessionRecord, 'context'>; context?: Context; messages?: Message[]; tag?: ChangeTag }
  | { t: 'delete'; id: string }
  | { t: 'memory'; entry: MemoryEntry }
  | { t: 'clear' };

/** The state journal records are applied to: what the documents on disk hold, plus the tags kept. */
export interface ReplayState {
  sessions: Map<string, SessionDocument>;
  memory: Map<string, MemoryEntry>;
  tags: Map<string, TaggedChange>;
  /** Ids whose documents changed or went: the next snapshot rewrites (or removes) their files. */
  dirty: Set<string>;
  memoryDirty: boolean;
  tagsDirty: boolean;
  /**
   * Sessions updated by a record but not stored: a snapshot written just before a crash may
   * already have removed a session that the journal deletes later on. Each must be deleted by a
   * later record, or the journal does not belong to these documents.
   */
  orphans: Set<string>;
}

// The ids of each document's messages, built on the first update replayed onto it.
const messageIds = new WeakMap<SessionDocument, Set<string>>();

const tagId = (tag: ChangeTag) => `${tag.orgId}\u0000${tag.key}`;

/** Where a tag is kept: by organisation and key. */
export { tagId };

/** What a tagged change keeps for replay: the message it added, or else the session as it left it. */
export function taggedChange(tag: ChangeTag, doc: SessionDocument, added: Message | undefined): TaggedChange {
  // An append written as a whole document (after a refused write) added the document's last message.
  const message = tag.operation === 'addMessage' ? (added ?? doc.messages.at(-1)) : undefined;
  return message ? { tag, message } : { tag, session: { ...doc.session }, messageCount: doc.messages.length };
}

function remember(state: ReplayState, tag: ChangeTag | undefined, doc: SessionDocument, message: Message | undefined): void {
  if (!tag) return;
  state.tags.set(tagId(tag), taggedChange(tag, doc, message));
  state.tagsDirty = true;
}

/** Applies one record. Returns a reason when the record cannot apply (the journal is not ours). */
export function applyRecord(state: ReplayState, record: JournalRecord): string | undefined {
  switch (record.t) {
    case 'doc': {
      state.sessions.set(record.doc.session.id, record.doc);
      state.dirty.add(record.doc.session.id);
      remember(state, record.tag, record.doc, undefined);
      return undefined;
    }
    case 'update': {
      const doc = state.sessions.get(record.id);
      if (!doc) {
        state.orphans.add(record.id);
        return undefined;
      }
      doc.session = { ...record.session, context: record.context ?? doc.session.context };
      if (record.messages) {
        let present = messageIds.get(doc);
        if (!present) messageIds.set(doc, (present = new Set(doc.messages.map((message) => message.id))));
        for (const message of record.messages) {
          if (present.has(message.id)) continue;
          present.add(message.id);
          doc.messages.push(message);
        }
      }
      state.dirty.add(record.id);
      remember(state, record.tag, doc, record.messages?.at(-1));
      return undefined;
    }
    case 'delete':
      state.orphans.delete(record.id);
      state.sessions.delete(record.id);
      state.dirty.add(record.id);
      return undefined;
    case 'memory':
      state.memory.set(record.entry.id, record.entry);
      state.memoryDirty = true;
      return undefined;
    case 'clear':
      for (const id of state.sessions.keys()) state.dirty.add(id);
      state.sessions.clear();
      state.orphans.clear();
      state.memory.clear();
      state.tags.clear();
      state.memoryDirty = true;
      state.tagsDirty = true;
      return undefined;
    default:
      return `its type ${JSON.stringify((record as { t?: unknown }).t)} is unknown`;
  }
}

/** A record's shape, checked before it is applied: a journal from elsewhere must not half-load. */
export function recordProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'it is not a JSON object';
  const record = value as Record<string, unknown>;
  switch (record.t) {
    case 'doc':
      return typeof record.doc === 'object' && record.doc !== null ? undefined : 'it has no document';
    case 'update':
      return typeof record.id === 'string' && typeof record.session === 'object' && record.session !== null ? undefined : 'it has no session id or record';
    case 'delete':
      return typeof record.id === 'string' ? undefined : 'it has no session id';
    case 'memory':
      return typeof record.entry === 'object' && record.entry !== null ? undefined : 'it has no memory entry';
    case 'clear':
      return undefined;
    default:
      return `its type ${JSON.stringify(record.t)} is unknown`;
  }
}
