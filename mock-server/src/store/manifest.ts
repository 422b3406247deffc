import { checksum } from './journal-writer.js';

/** A document's size and checksum, as the compaction that wrote it left it. */
export interface FileSummary {
  size: number;
  crc32: string;
}

/**
 * `manifest.json`, beside the session documents, written by every compaction once the documents
 * it wrote are synced:
 * `{"format": 1, "journal": 7, "root": {size, crc32}, "documents": {"sess_….json": {size, crc32}, "replays.json": …}}`.
 * `journal`: the journal files of a lower generation are held by the documents (and are removed
 * next). Start-up checks every document against it, except those a later journal file changes
 * (a compaction may have rewritten them before its manifest was written).
 */
export interface Manifest {
  format: 1;
  journal: number;
  root: FileSummary | null;
  documents: Record<string, FileSummary>;
  /**
   * While a compaction writes documents: what each will be once written (`null`: removed). Start-up
   * accepts either version of these.
   */
  next?: Record<string, FileSummary | null>;
}

/** The key of the root document (it lives beside the folder, not in it) in a map of documents. */
export const rootKey = '/root';

export const describeFile = (bytes: Uint8Array): FileSummary => ({ size: bytes.length, crc32: checksum(bytes) });

export function manifestText(journal: number, documents: Map<string, FileSummary>, next?: Map<string, FileSummary | null>): string {
  const named = [...documents].filter(([name]) => name !== rootKey).sort(([a], [b]) => (a < b ? -1 : 1));
  const manifest: Manifest = { format: 1, journal, root: documents.get(rootKey) ?? null, documents: Object.fromEntries(named), ...(next && { next: Object.fromEntries(next) }) };
  return JSON.stringify(manifest);
}

const isSummary = (value: unknown): value is FileSummary =>
  typeof value === 'object' && value !== null && Number.isSafeInteger((value as FileSummary).size) && typeof (value as FileSummary).crc32 === 'string';

/** Reads a manifest; a string says what is wrong with it. */
export function parseManifest(text: string): Manifest | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `it is not valid JSON (${(error as Error).message})`;
  }
  const manifest = value as Partial<Manifest> | null;
  if (typeof manifest !== 'object' || manifest === null || manifest.format !== 1 || !Number.isSafeInteger(manifest.journal)) {
    return 'it is not a manifest (expected {"format": 1, "journal": n, "root": …, "documents": {…}})';
  }
  if (manifest.root !== null && !isSummary(manifest.root)) return 'its root entry is malformed';
  if (typeof manifest.documents !== 'object' || manifest.documents === null) return 'it has no documents';
  const bad = Object.entries(manifest.documents).find(([, summary]) => !isSummary(summary));
  if (bad) return `its entry for ${bad[0]} is malformed`;
  if (manifest.next !== undefined && (typeof manifest.next !== 'object' || manifest.next === null || Object.values(manifest.next).some((summary) => summary !== null && !isSummary(summary)))) {
    return 'its list of documents being written is malformed';
  }
  return manifest as Manifest;
}

/** Whether `bytes` are the document a manifest entry describes. */
export const matches = (summary: FileSummary, bytes: Uint8Array) => summary.size === bytes.length && summary.crc32 === checksum(bytes);
