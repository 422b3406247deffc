import { checksum } from './journal-writer.js';
import { recordProblem, type JournalRecord } from './records.js';

/** A batch that cannot be trusted, where it starts and why. */
export interface JournalDamage {
  file: string;
  offset: number;
  reason: string;
  /**
   * Whether a power cut explains it: bytes that are not records (zeros, a cut-off line). A batch
   * of well-formed records whose checksum fails was edited: nothing but a hand does that.
   */
  powerCut: boolean;
}

/** A journal file read batch by batch. */
export interface JournalFile {
  file: string;
  generation: number;
  /** The batches written to their end and intact, in order, up to the first damaged one. */
  batches: Array<{ offset: number; records: JournalRecord[] }>;
  /** The intact batches after the first damaged one (kept by a repair). */
  after: Array<{ offset: number; records: JournalRecord[] }>;
  /** The first damaged batch, if any. */
  damage: JournalDamage | undefined;
  /** Where an unfinished last batch starts (a crash while it was written; never answered). */
  torn: number | undefined;
}

const header = /^#([0-9a-f]{8}) (\d+)$/;

function parseRecords(lines: string[], lineOffset: number): { records: JournalRecord[] } | { problem: string } {
  const records: JournalRecord[] = [];
  for (const [at, line] of lines.entries()) {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      return { problem: `line ${lineOffset + at + 1} is not valid JSON (${(error as Error).message})` };
    }
    const problem = recordProblem(value);
    if (problem) return { problem: `line ${lineOffset + at + 1} is not a journal record: ${problem}` };
    records.push(value as JournalRecord);
  }
  return { records };
}

/**
 * Reads one journal file. Each batch ends with an empty line and starts with a header holding
 * the checksum of its records and its own byte offset (files written before checksums have no
 * headers: their batches are read as they are). Only the end of a file may hold a batch that
 * was not written to its end.
 */
export function readJournalFile(file: string, generation: number, bytes: Buffer): JournalFile {
  const result: JournalFile = { file, generation, batches: [], after: [], damage: undefined, torn: undefined };
  let checked: boolean | undefined;
  let position = 0;
  let line = 0;
  while (position < bytes.length) {
    const end = bytes.indexOf('\n\n', position);
    if (end === -1) {
      result.torn = position;
      break;
    }
    const text = bytes.subarray(position, end).toString('utf8');
    const lines = text.split('\n');
    const offset = position;
    const firstLine = line;
    position = end + 2;
    line += lines.length + 1;
    const found = header.exec(lines[0]!);
    checked ??= found !== null;
    let problem: string | undefined;
    let powerCut = false;
    let records: JournalRecord[] = [];
    if (checked && !found) {
      problem = 'the batch has no checksum header';
      powerCut = true;
    } else if (!checked && lines[0]!.startsWith('#')) {
      problem = 'a batch with a checksum header in a file written without them';
    } else {
      const body = found ? lines.slice(1) : lines;
      const parsed = parseRecords(body, firstLine + (found ? 1 : 0));
      if ('problem' in parsed) {
        problem = parsed.problem;
        powerCut = found !== null;
      } else {
        records = parsed.records;
        if (found && found[1] !== checksum(`${body.join('\n')}\n`)) problem = 'its checksum does not match its records (they were edited)';
        else if (found && Number(found[2]) !== offset) {
          // The batch is whole, but not where it was written: bytes before it went missing (or came in).
          if (!result.damage) result.damage = { file, offset, reason: `it was written at byte ${found[2]}: bytes before it were removed or added`, powerCut: false };
          result.after.push({ offset, records });
          continue;
        }
      }
    }
    if (problem === undefined) {
      (result.damage ? result.after : result.batches).push({ offset, records });
    } else if (!result.damage) {
      result.damage = { file, offset, reason: problem, powerCut };
    }
  }
  return result;
}
