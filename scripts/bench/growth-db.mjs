// Writes a large reference-server database straight in the file store's format (a root file and
// one lowdb JSON document per session), far faster than appending 100,000 messages over HTTP.
// The server validates every document when it opens the database, so a wrong guess at the
// format fails the benchmark at start-up rather than measuring something else.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const ttlSeconds = 2_592_000;

// The store's own id shape: a prefix and URL-safe random characters.
const newId = (prefix) => `${prefix}${randomBytes(15).toString('base64url')}`;

// lowdb's JSONFile writes two-space indented JSON.
const serialize = (data) => JSON.stringify(data, null, 2);

/** `data/sessions.json` → `data/sessions/`, as the file store lays it out. */
export function sessionsDirectory(dbPath) {
  const name = basename(dbPath);
  return join(dirname(dbPath), name.endsWith('.json') ? name.slice(0, -'.json'.length) : `${name}.d`);
}

/**
 * Creates `sessions` active sessions of `orgId`, each with `messages` messages, at `dbPath`.
 * Returns the session ids.
 */
export async function writeGrowthDatabase(dbPath, { orgId, sessions, messages }) {
  const directory = sessionsDirectory(dbPath);
  await mkdir(directory, { recursive: true });
  await writeFile(dbPath, serialize({ format: 1, memory: [] }));
  const start = Date.now() - sessions * messages;
  const ids = [];
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
      messages: Array.from({ length: messages }, (_, m) => ({
        id: newId('msg_'),
        role: m % 2 ? 'assistant' : 'user',
        content: `Message ${m} of session ${s}: a typical turn of an agent conversation, long enough to look real.`,
        tool_call_id: null,
        tool_name: null,
        created_at: createdAt + m,
      })),
    };
    pending.push(writeFile(join(directory, `${id}.json`), serialize(doc)));
    if (pending.length >= 64) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  return ids;
}
