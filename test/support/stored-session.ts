import { readFile } from 'node:fs/promises';
import { sessionFile } from 'fold-sessions-mock';
import type { SessionDocument } from 'fold-sessions-mock';

/** The document of session `id` as the database at `db` holds it on disk (in its segment file); undefined when it is not there. */
export async function readStoredSession(db: string, id: string): Promise<SessionDocument | undefined> {
  const segment = JSON.parse(await readFile(sessionFile(db, id), 'utf8')) as { sessions: SessionDocument[] };
  return segment.sessions.find((doc) => doc.session.id === id);
}
