const damaged =
  'The files were left untouched: start with --repair to keep what is intact and drop the rest, or move them, or start with --in-memory or another --db path.';

/** What to do about a file the system would not let start-up read or write: the files themselves are fine. */
const remedies: Record<string, string> = {
  EMFILE: 'The files are fine: this process may open no more files (raise its limit, `ulimit -n`), then start again.',
  ENFILE: 'The files are fine: the system may open no more files (close other programs or raise fs.file-max), then start again.',
  EACCES: 'Give the user running the server read and write access to the database file and its folder, or start with another --db path.',
  EPERM: 'Give the user running the server read and write access to the database file and its folder, or start with another --db path.',
  EROFS: 'The disk is read-only: remount it read-write, or start with another --db path or --in-memory.',
  ENOSPC: 'The disk is full: free some space, then start again.',
  EIO: 'The disk reported an I/O error: check it, then start again (with --repair if a file is damaged).',
};

const codeOf = (error: unknown) => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/**
 * The database could not be opened; nothing was written. The message names the file, the cause,
 * and what to do: a damaged file calls for --repair, a refusal of the system (no descriptors left,
 * no permission, a full or read-only disk) for something else.
 */
export class StoreOpenError extends Error {
  override readonly name = 'StoreOpenError';
  constructor(
    readonly path: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot open the database at ${path}: ${reason}. ${remedies[codeOf(options?.cause) ?? ''] ?? damaged}`, options);
  }
}

export function describeError(error: unknown): string {
  if (error instanceof SyntaxError) return `it is not valid JSON (${error.message})`;
  const code = codeOf(error);
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory, not a file';
  if (code === 'EMFILE' || code === 'ENFILE') return `too many open files (${code})`;
  if (code === 'ENOSPC') return 'no space left on the disk (ENOSPC)';
  if (code === 'EROFS') return 'the disk is read-only (EROFS)';
  return error instanceof Error ? error.message : String(error);
}
