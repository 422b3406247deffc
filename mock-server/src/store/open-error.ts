/** The database could not be opened; nothing was written. */
export class StoreOpenError extends Error {
  override readonly name = 'StoreOpenError';
  constructor(
    readonly path: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Cannot open the database at ${path}: ${reason}. The files were left untouched: start with --repair to keep ` +
        'what is intact and drop the rest, or move them, or start with --in-memory or another --db path.',
      options,
    );
  }
}

export function describeError(error: unknown): string {
  if (error instanceof SyntaxError) return `it is not valid JSON (${error.message})`;
  const code = (error as { code?: unknown }).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory, not a file';
  return error instanceof Error ? error.message : String(error);
}
