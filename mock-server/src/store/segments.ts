import type { SessionDocument } from '../core/types.js';

/**
 * How many segment files the session documents are spread over. Opening a store reads at most
 * this many files, however many sessions it holds; a compaction rewrites only the segments whose
 * sessions changed.
 */
export const segmentCount = 64;

/** Which segment a session's document lives in: FNV-1a of its id. */
export function segmentOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % segmentCount;
}

/** `segment-07.json`: a lowdb document holding the sessions of one segment. */
export const segmentName = (segment: number) => `segment-${String(segment).padStart(2, '0')}.json`;

const segmentFile = /^segment-(\d\d)\.json$/;

/** The segment a file name is, or undefined. */
export function segmentOfName(name: string): number | undefined {
  const found = segmentFile.exec(name);
  const segment = found ? Number(found[1]) : undefined;
  return segment !== undefined && segment < segmentCount ? segment : undefined;
}

/** The documents of sessions written one per file (`sess_….json`), before segments: read, then migrated. */
export const legacySessionFile = /^(sess_[A-Za-z0-9_-]+)\.json$/;

/** A segment file's content. */
export interface SegmentDocument {
  format: 1;
  sessions: SessionDocument[];
}

/** The text of a segment, sessions in id order (the same sessions always give the same bytes). */
export function segmentText(sessions: SessionDocument[]): string {
  sessions.sort((a, b) => (a.session.id < b.session.id ? -1 : 1));
  return JSON.stringify({ format: 1, sessions } satisfies SegmentDocument);
}

/**
 * What is wrong with a segment's content, or undefined: its shape, each session's place, and,
 * through `checkSession`, each document (skipped for bytes a compaction wrote and checked).
 */
export function segmentProblem(segment: number, data: unknown, checkSession?: (doc: unknown, at: string) => string | undefined): string | undefined {
  const value = data as Partial<SegmentDocument> | null;
  if (typeof value !== 'object' || value === null || value.format !== 1 || !Array.isArray(value.sessions)) {
    return 'it is not a segment of session documents (expected {"format": 1, "sessions": [...]})';
  }
  const seen = new Set<string>();
  for (const [at, doc] of value.sessions.entries()) {
    const problem = checkSession?.(doc, `sessions.${at}`);
    if (problem) return problem;
    const id = (doc as Partial<SessionDocument> | null)?.session?.id;
    if (typeof id !== 'string') return `sessions.${at} has no session id`;
    if (segmentOf(id) !== segment) return `sessions.${at} (${id}) belongs in ${segmentName(segmentOf(id))}`;
    if (seen.has(id)) return `sessions.${at} (${id}) is stored twice`;
    seen.add(id);
  }
  return undefined;
}
