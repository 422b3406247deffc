import { basename, join } from 'node:path';
import { memoryEntryIssues, sessionDocumentIssues } from '../api/documents.js';
import type { RootDocument } from '../core/lowdb-store.js';
import type { SessionDocument } from '../core/types.js';
import type { Disk } from './disk.js';
import type { ReplaysDocument, StoreLayout } from './journal-log.js';
import { readJournalFile, type JournalFile } from './journal-reader.js';
import type { Durability } from './journal-writer.js';
import { describeFile, matches, parseManifest, rootKey, type FileSummary, type Manifest } from './manifest.js';
import { describeError, StoreOpenError } from './open-error.js';
import { applyRecord, tagId, type JournalRecord, type ReplayState } from './records.js';

/**
 * How start-up treats damage.
 * - `strict`: any damage but an unfinished last batch is refused (`fsync` mode: a power cut
 *   leaves nothing else).
 * - `power-cut`: damage a power cut explains (an empty or cut-off document, a missing one, bytes
 *   in the journal that are not records) is recovered: what reached the disk is kept, the rest
 *   is reported; anything else is refused (`process` mode).
 * - `repair`: whatever is damaged is dropped and reported; whatever is intact is kept.
 */
export type DamagePolicy = 'strict' | 'power-cut' | 'repair';

export const damagePolicy = (durability: Durability, repair: boolean): DamagePolicy => (repair ? 'repair' : durability === 'process' ? 'power-cut' : 'strict');

/** What start-up read. */
export interface StoredDatabase {
  state: ReplayState;
  /** Every journal file found, oldest first (all are compacted away). */
  files: string[];
  /** The generation the next journal file must have at least. */
  nextGeneration: number;
  manifest: Manifest | undefined;
  /** The documents on disk, by file name, as they were read. */
  documents: Map<string, FileSummary>;
  replayed: number;
  /** The unfinished last batch ignored, if any. */
  torn: { file: string; offset: number } | undefined;
  /** What could not be kept, one line each. */
  dropped: string[];
  /** Whether the root file exists. */
  rootExists: boolean;
}

const journalFile = /^journal-(\d+)\.ndjson$/;
const sessionFile = /^(sess_[A-Za-z0-9_-]+)\.json$/;

function checkRoot(data: unknown): string | undefined {
  const root = data as Partial<RootDocument> | null;
  if (typeof root !== 'object' || root === null || root.format !== 1 || !Array.isArray(root.memory)) {
    return 'it is not a fold-sessions-mock database (expected {"format": 1, "memory": [...]})';
  }
  const issue = root.memory.flatMap((entry, i) => memoryEntryIssues(entry, `memory.${i}`))[0];
  return issue && `${issue.path} is malformed (${issue.message})`;
}

function checkSession(id: string, data: unknown): string | undefined {
  const issue = sessionDocumentIssues(data, 'document')[0];
  if (issue) return `it is not a valid session document: ${issue.path}: ${issue.message}`;
  const stored = (data as SessionDocument).session.id;
  return stored === id ? undefined : `it holds session ${stored}, not ${id}`;
}

function checkReplays(data: unknown): string | undefined {
  const replays = data as Partial<ReplaysDocument> | null;
  if (typeof replays !== 'object' || replays === null || replays.format !== 1 || !Array.isArray(replays.changes)) {
    return 'it is not a replays document (expected {"format": 1, "changes": [...]})';
  }
  const bad = replays.changes.findIndex(
    (change: Partial<Record<'tag' | 'session' | 'message', { key?: unknown; orgId?: unknown; id?: unknown }>>) =>
      typeof change?.tag?.key !== 'string' || typeof change.tag.orgId !== 'string' || typeof (change.message ?? change.session)?.id !== 'string',
  );
  return bad === -1 ? undefined : `changes.${bad} is malformed`;
}

/** What the journal files after the manifest's may have changed: documents they may differ from it in. */
function touchedBy(files: JournalFile[]) {
  const ids = new Set<string>();
  let root = false;
  let replays = false;
  let all = false;
  for (const file of files) {
    for (const batch of [...file.batches, ...file.after]) {
      for (const record of batch.records) {
        if (record.t === 'doc') ids.add(record.doc.session?.id);
        else if (record.t === 'update' || record.t === 'delete') ids.add(record.id);
        else if (record.t === 'memory') root = true;
        else if (record.t === 'clear') all = root = replays = true;
        if ('tag' in record && record.tag) replays = true;
      }
    }
  }
  return { session: (id: string) => all || ids.has(id), root: () => root, replays: () => replays };
}

/**
 * Reads the database at `layout`, checks it against its manifest and the checksums of its
 * journal, and replays the journal onto the documents. Throws a `StoreOpenError` naming the file
 * (and the byte offset, in a journal) for damage `policy` does not recover; writes nothing.
 */
export async function readDatabase(disk: Disk, layout: StoreLayout, policy: DamagePolicy): Promise<StoredDatabase> {
  const { directory } = layout;
  const dropped: string[] = [];
  const read = async (path: string) => {
    try {
      return await disk.read(path);
    } catch (error) {
      throw new StoreOpenError(path, describeError(error), { cause: error });
    }
  };
  let names: string[];
  try {
    names = (await disk.readdir(directory)) ?? [];
  } catch (error) {
    throw new StoreOpenError(directory, describeError(error), { cause: error });
  }

  // A document that is empty or cut off (not JSON): a power cut explains it when the document
  // was renamed into place before its data reached the disk.
  const unreadable = (path: string, error: unknown, lost: string) => {
    if (policy === 'strict') throw new StoreOpenError(path, describeError(error), { cause: error });
    dropped.push(`${path} (${describeError(error)}): ${lost}`);
  };
  // Damage a power cut does not explain: only a repair drops it.
  const damaged = (path: string, problem: string, lost: string) => {
    if (policy !== 'repair') throw new StoreOpenError(path, problem);
    dropped.push(`${path} (${problem}): ${lost}`);
  };

  let manifest: Manifest | undefined;
  if (names.includes(basename(layout.manifest))) {
    const bytes = (await read(layout.manifest)) ?? Buffer.alloc(0);
    const parsed = parseManifest(bytes.toString('utf8'));
    if (typeof parsed !== 'string') manifest = parsed;
    else if (parsed.startsWith('it is not valid JSON')) unreadable(layout.manifest, new SyntaxError(parsed.slice('it is not valid JSON ('.length, -1)), 'the documents were read without it');
    else damaged(layout.manifest, parsed, 'the documents were read without it');
  }

  // The journal: files a compaction already folded into the documents (below the manifest's
  // generation; their removal did not reach the disk) are not replayed.
  const generations = names.flatMap((name) => journalFile.exec(name)?.[1] ?? []).map(Number).sort((a, b) => a - b);
  const journals: JournalFile[] = [];
  for (const generation of generations) {
    const path = layout.journal(generation);
    journals.push(readJournalFile(path, generation, (await read(path)) ?? Buffer.alloc(0)));
  }
  const live = journals.filter((file) => !manifest || file.generation >= manifest.journal);
  const records: JournalRecord[] = [];
  let torn: StoredDatabase['torn'];
  for (const file of live) {
    for (const batch of file.batches) records.push(...batch.records);
    const damage = file.damage;
    if (damage) {
      const where = `the batch at byte ${damage.offset}`;
      if (policy === 'repair') {
        for (const batch of file.after) records.push(...batch.records);
        dropped.push(`${file.file}: ${where} (${damage.reason})`);
        continue;
      }
      if (policy === 'power-cut' && damage.powerCut) {
        // Replay stops here: what follows may depend on what was lost.
        const later = live.slice(live.indexOf(file) + 1).map((next) => basename(next.file));
        dropped.push(`${file.file} from byte ${damage.offset} on (${damage.reason})${later.length ? `, and ${later.join(', ')}` : ''}`);
        break;
      }
      throw new StoreOpenError(file.file, `${where} is damaged: ${damage.reason}`);
    }
    if (file.torn !== undefined) torn = { file: file.file, offset: file.torn };
  }
  const touched = touchedBy(live);
  const documents = new Map<string, FileSummary>();
  const state: ReplayState = { sessions: new Map(), memory: new Map(), tags: new Map(), dirty: new Set(), memoryDirty: false, tagsDirty: false, orphans: new Set() };

  /** Reads one document: its data, or undefined when it was dropped (and will be rewritten or removed). */
  const load = async (path: string, name: string, expected: FileSummary | undefined, journaled: boolean, check: (data: unknown) => string | undefined, lost: string): Promise<unknown> => {
    const bytes = await read(path);
    // Being written by a compaction the power cut: either version is good.
    const next = manifest?.next?.[name];
    const changed = journaled || (next !== undefined && (next === null ? bytes === undefined : bytes !== undefined && matches(next, bytes)));
    if (bytes === undefined) {
      if (expected && !changed) {
        const problem = 'it is missing, but the manifest lists it and no journal file removes it';
        if (policy === 'strict') throw new StoreOpenError(path, problem);
        dropped.push(`${path} (${problem}): ${lost}`);
      }
      return undefined;
    }
    let data: unknown;
    try {
      data = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      unreadable(path, error, lost);
      return undefined;
    }
    const problem = check(data);
    if (problem) {
      damaged(path, problem, lost);
      return undefined;
    }
    if (manifest && !changed && (expected === undefined || !matches(expected, bytes))) {
      const problem = expected
        ? `it is not what the last compaction wrote (${bytes.length} bytes, checksum ${describeFile(bytes).crc32}; the manifest says ${expected.size} bytes, ${expected.crc32}): it was changed since`
        : 'the manifest does not list it and no journal file writes it';
      if (policy !== 'repair') throw new StoreOpenError(path, problem);
      dropped.push(`nothing of ${path}, kept as it is although ${problem}`);
    }
    documents.set(name, describeFile(bytes));
    return data;
  };

  const rootExists = (await disk.kind(layout.root).catch(() => undefined)) === 'file';
  const rootData = (await load(layout.root, rootKey, manifest?.root ?? undefined, touched.root(), checkRoot, 'its memory entries are lost')) as RootDocument | undefined;
  for (const entry of rootData?.memory ?? []) state.memory.set(entry.id, entry);
  if (!rootData && (rootExists || manifest?.root)) state.memoryDirty = true;

  const listed = new Set(names.flatMap((name) => sessionFile.exec(name)?.[1] ?? []));
  for (const name of Object.keys(manifest?.documents ?? {})) {
    const id = sessionFile.exec(name)?.[1];
    if (id) listed.add(id);
  }
  for (const id of [...listed].sort()) {
    const name = `${id}.json`;
    const doc = (await load(join(directory, name), name, manifest?.documents[name], touched.session(id), (data) => checkSession(id, data), `session ${id} is lost`)) as SessionDocument | undefined;
    if (doc) state.sessions.set(id, doc);
    else state.dirty.add(id);
  }
  const replaysName = basename(layout.replays);
  const replays = (await load(layout.replays, replaysName, manifest?.documents[replaysName], touched.replays(), checkReplays, 'the answers kept for idempotent retries are lost')) as ReplaysDocument | undefined;
  for (const change of replays?.changes ?? []) state.tags.set(tagId(change.tag), change);
  if (!replays && manifest?.documents[replaysName]) state.tagsDirty = true;

  for (const [at, record] of records.entries()) {
    const problem = applyRecord(state, record);
    if (problem) throw new StoreOpenError(live.at(-1)!.file, `record ${at + 1} cannot apply: ${problem}`);
  }
  if (state.orphans.size > 0) {
    const orphans = [...state.orphans];
    // Updates of a session whose document was lost go with it.
    if (policy === 'repair' || (policy === 'power-cut' && dropped.length > 0)) {
      dropped.push(`the journal's updates of ${orphans.join(', ')}, whose document${orphans.length === 1 ? ' is' : 's are'} lost`);
      for (const id of orphans) state.dirty.add(id);
      state.orphans.clear();
    } else {
      throw new StoreOpenError(live.at(-1)?.file ?? directory, `it updates session ${orphans[0]} but never stores it: the journal does not belong to these documents`);
    }
  }
  const lastGeneration = generations.at(-1) ?? 0;
  return {
    state,
    files: journals.map((file) => file.file),
    nextGeneration: Math.max(lastGeneration + 1, manifest?.journal ?? 1),
    manifest,
    documents,
    replayed: records.length,
    torn,
    dropped,
    rootExists,
  };
}
