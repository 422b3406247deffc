// Writes a large reference-server database straight in the file store's format (a root file, one
// lowdb JSON document per session, and optionally a journal of appends not yet compacted), far
// faster than appending 100,000 messages over HTTP.
// The server validates every document when it opens the database, so a wrong guess at the
// format fails the benchmark at start-up rather than measuring something else.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const ttlSeconds = 2_592_000;

// The store's own id shape: a prefix and URL-safe random characters.
const newId = (prefix) => `${prefix}${randomBytes(15).toString('base64url')}`;

// The store writes compact JSON.
const serialize = (data) => JSON.stringify(data);

/** `data/sessions.json` → `data/sessions/`, as the file store lays it out. */
export function sessionsDirectory(dbPath) {
  const name = basename(dbPath);
  return join(dirname(dbPath), name.endsWith('.json') ? name.slice(0, -'.json'.length) : `${name}.d`);
}

const message = (s, m, createdAt) => ({
  id: newId('msg_'),
  role: m % 2 ? 'assistant' : 'user',
  content: `Message ${m} of session ${s}: a typical turn of an agent conversation, long enough to look real.`,
  tool_call_id: null,
  tool_name: null,
  created_at: createdAt + m,
});

/**
 * Creates `sessions` active sessions of `orgId`, each with `messages` messages, at `dbPath`;
 * with `journalRecords`, also a journal of that many appends spread over the sessions, as a
 * crash before compaction leaves it. Returns the session ids.
 */
export async function writeGrowthDatabase(dbPath, { orgId, sessions, messages, journalRecords = 0 }) {
  const directory = sessionsDirectory(dbPath);
  await mkdir(directory, { recursive: true });
  await writeFile(dbPath, serialize({ format: 1, memory: [] }));
  const start = Date.now() - sessions * messages;
  const ids = [];
  const docs = [];
  const pending = [];
  for (let s = 0; s < sessions; s++) {
    const id = newId('sess_');
    ids.push(id);
    const createdAt = start + s * messages;
    const doc = {
      org_id: orgId,
      session: {
        id,
        name: `growth ${s}`,
        status: 'active',
        ttl_seconds: ttlSeconds,
        expires_at: createdAt + ttlSeconds * 1000,
        context: { customer: `c${s}`, plan: 'pro' },
        created_at: createdAt,
        updated_at: createdAt + messages,
        closed_at: null,
        completed_at: null,
        summary_status: 'none',
      },
      messages: Array.from({ length: messages }, (_, m) => message(s, m, createdAt)),
    };
    docs.push(doc);
    pending.push(writeFile(join(directory, `${id}.json`), serialize(doc)));
    if (pending.length >= 64) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  if (journalRecords > 0) {
    const lines = [];
    for (let r = 0; r < journalRecords; r++) {
      const doc = docs[r % sessions];
      const added = message(r % sessions, messages + Math.floor(r / sessions), doc.session.created_at);
      const { context, ...session } = { ...doc.session, updated_at: added.created_at };
      lines.push(JSON.stringify({ t: 'update', id: session.id, session, messages: [added] }));
    }
    // Batches of ten, each ended by an empty line, as group commit writes them under load.
    let text = '';
    for (let at = 0; at < lines.length; at += 10) text += `${lines.slice(at, at + 10).join('\n')}\n\n`;
    await writeFile(join(directory, 'journal-000001.ndjson'), text);
  }
  return ids;
}
