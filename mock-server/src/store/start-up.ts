import { basename, join } from 'node:path';
import { memoryEntryIssues, sessionDocumentIssues } from '../core/documents.js';
import type { RootDocument } from './lowdb-store.js';
import type { SessionDocument } from '../core/types.js';
import type { Disk } from './disk.js';
import type { ReplaysDocument, StoreLayout } from './journal-log.js';
import { readJournalFile, type JournalFile } from './journal-reader.js';
import type { Durability } from './journal-writer.js';
import { describeFile, matches, parseManifest, rootKey, type FileSummary, type Manifest } from './manifest.js';
import { describeError, StoreOpenError } from './open-error.js';
import { legacySessionFile, segmentName, segmentOf, segmentOfName, segmentProblem, type SegmentDocument } from './segments.js';
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
  /** Segments to write again although no session in them changed: dropped, or all of them when migrating. */
  dirtySegments: Set<number>;
  /** Files of an older layout the next compaction makes redundant (removed once it is done). */
  leftovers: string[];
}

const journalFile = /^journal-(\d+)\.ndjson$/;

function checkRoot(data: unknown): string | undefined {
  const root = data as Partial<RootDocument> | null;
  if (typeof root !== 'object' || root === null || root.format !== 1 || !Array.isArray(root.memory)) {
    return 'it is not a fold-sessions-mock database (expected {"format": 1, "memory": [...]})';
  }
  const issue = root.memory.flatMap((entry, i) => memoryEntryIssues(entry, `memory.${i}`))[0];
  return issue && `${issue.path} is malformed (${issue.message})`;
}

function checkSession(data: unknown, at: string): string | undefined {
  const issue = sessionDocumentIssues(data, at)[0];
  return issue && `${issue.path} is not a valid session document: ${issue.message}`;
}

function checkLegacySession(id: string, data: unknown): string | undefined {
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
  const segments = new Set([...ids].map(segmentOf));
  return { session: (id: string) => all || ids.has(id), segment: (segment: number) => all || segments.has(segment), root: () => root, replays: () => replays };
}

/**
 * Reads the database at `layout`, checks it against its manifest and the checksums of its
 * journal, and replays the journal onto the documents. Throws a `StoreOpenError` naming the file
 * (and the byte offset, in a journal) for damage `policy` does not recover; writes nothing.
 */
export async function readDatabase(disk: Disk, layout: StoreLayout, policy: DamagePolicy): Promise<StoredDatabase> {
  const { directory } = layout;
  const dropped: string[] = [];
  const readNow = async (path: string) => {
    try {
      return await disk.read(path);
    } catch (error) {
      throw new StoreOpenError(path, describeError(error), { cause: error });
    }
  };
  // Reads started ahead of their turn, so that the disk reads one file while the next is parsed.
  const ahead = new Map<string, Promise<Buffer | undefined>>();
  const readAhead = (path: string) => {
    const reading = readNow(path);
    reading.catch(() => undefined);
    ahead.set(path, reading);
  };
  const read = (path: string) => {
    const reading = ahead.get(path);
    ahead.delete(path);
    return reading ?? readNow(path);
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
  const load = async (path: string, name: string, expected: FileSummary | undefined, journaled: boolean, check: (data: unknown, described: boolean) => string | undefined, lost: string): Promise<unknown> => {
    const bytes = await read(path);
    const summary = bytes && describeFile(bytes);
    const same = (other: FileSummary | null | undefined) => other != null && summary !== undefined && other.size === summary.size && other.crc32 === summary.crc32;
    // Being written by a compaction the power cut: either version is good.
    const next = manifest?.next?.[name];
    const changed = journaled || (next !== undefined && (next === null ? bytes === undefined : same(next)));
    if (bytes === undefined || summary === undefined) {
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
    // Bytes a compaction wrote hold documents that were checked when they came in: no second check.
    const problem = check(data, same(expected) || same(next));
    if (problem) {
      damaged(path, problem, lost);
      return undefined;
    }
    if (manifest && !changed && !same(expected)) {
      const problem = expected
        ? `it is not what the last compaction wrote (${bytes.length} bytes, checksum ${summary.crc32}; the manifest says ${expected.size} bytes, ${expected.crc32}): it was changed since`
        : 'the manifest does not list it and no journal file writes it';
      if (policy !== 'repair') throw new StoreOpenError(path, problem);
      dropped.push(`nothing of ${path}, kept as it is although ${problem}`);
    }
    documents.set(name, summary);
    return data;
  };

  const rootExists = (await disk.kind(layout.root).catch(() => undefined)) === 'file';
  const rootData = (await load(layout.root, rootKey, manifest?.root ?? undefined, touched.root(), checkRoot, 'its memory entries are lost')) as RootDocument | undefined;
  for (const entry of rootData?.memory ?? []) state.memory.set(entry.id, entry);
  if (!rootData && (rootExists || manifest?.root)) state.memoryDirty = true;

  // A database written before segments keeps one document per session; its manifest lists them.
  // Once a compaction has moved them into segments, its manifest lists none: any left are
  // leftovers whose removal did not finish (removed again, never read).
  const legacyNames = names.filter((name) => legacySessionFile.test(name));
  const listedLegacy = Object.keys({ ...manifest?.documents, ...manifest?.next }).filter((name) => legacySessionFile.test(name));
  const legacy = !manifest || listedLegacy.length > 0;
  const leftovers = legacy ? [] : legacyNames.map((name) => join(directory, name));
  const legacySegments = new Set<number>();
  if (legacy) {
    for (const name of [...new Set([...legacyNames, ...listedLegacy])].sort()) {
      const id = legacySessionFile.exec(name)![1]!;
      const doc = (await load(join(directory, name), name, manifest?.documents[name], touched.session(id), (data) => checkLegacySession(id, data), `session ${id} is lost`)) as
        | SessionDocument
        | undefined;
      if (doc) state.sessions.set(id, doc);
      else state.dirty.add(id);
      // It moves into its segment with the first compaction.
      legacySegments.add(segmentOf(id));
      leftovers.push(join(directory, name));
    }
  }
  const segments = new Set(names.flatMap((name) => segmentOfName(name) ?? []));
  for (const name of Object.keys({ ...manifest?.documents, ...manifest?.next })) {
    const segment = segmentOfName(name);
    if (segment !== undefined) segments.add(segment);
  }
  const dirtySegments = new Set<number>();
  const inOrder = [...segments].sort((a, b) => a - b);
  for (const [at, segment] of inOrder.entries()) {
    const name = segmentName(segment);
    const following = inOrder[at + 1];
    if (following !== undefined) readAhead(join(directory, segmentName(following)));
    const check = (data: unknown, described: boolean) => segmentProblem(segment, data, described ? undefined : checkSession);
    const data = (await load(join(directory, name), name, manifest?.documents[name], touched.segment(segment), check, `the sessions in it are lost`)) as SegmentDocument | undefined;
    if (!data) {
      dirtySegments.add(segment);
      continue;
    }
    for (const doc of data.sessions) state.sessions.set(doc.session.id, doc);
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
    dirtySegments: new Set([...dirtySegments, ...legacySegments]),
    leftovers,
  };
}
