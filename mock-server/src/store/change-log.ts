import type { ChangeTag, TaggedChange } from '../core/store.js';
import type { MemoryEntry, SessionDocument } from '../core/types.js';

/**
 * Where a store records its changes when it keeps them in a log rather than rewriting
 * documents: each call records one change (as it is at the moment of the call) and resolves
 * once it is durable, or rejects, and then the store undoes the change.
 */
export interface ChangeLog {
  insert(doc: SessionDocument, tag: ChangeTag | undefined): Promise<void>;
  /** The document changed in place: its record, its context if replaced, messages it gained. */
  update(doc: SessionDocument, tag: ChangeTag | undefined): Promise<void>;
  remove(id: string): Promise<void>;
  memory(entry: MemoryEntry): Promise<void>;
  /** Everything removed; `ids` are the sessions there were. */
  clear(ids: string[]): Promise<void>;
  settled(id?: string): Promise<boolean> | undefined;
  taggedChanges(): Iterable<TaggedChange>;
  /** Resolves when every change recorded so far is durable or refused. */
  flush(): Promise<void>;
  /** Writes the changed documents back and empties the log. */
  compact(): Promise<void>;
  /** Finishes the writes in flight, leaves the documents up to date where it can, releases its files. */
  close(): Promise<void>;
}
