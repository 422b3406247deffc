// Large reference-server databases for the benchmark, written straight in the file store's format,
// far faster than appending over HTTP. Two halves:
// - `growthDocuments` makes the data: sessions with their messages, as plain documents, the same
//   documents for the same options (ids come from a seeded generator), so json-server can be given
//   exactly the data the reference server opens;
// - `fileStoreLayout` is the one place that knows the store's on-disk layout: how documents
//   become files, which files a database has, how a journal of appends looks. When the layout
//   changes, this object is what changes; `writeGrowthDatabase` and the start-up benches follow.
// The server validates every document when it opens the database, so a wrong guess at the
// format fails the benchmark at start-up rather than measuring something else.
import { closeSync, mkdirSync, openSync, readdirSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { sessionFile, sessionsDirectory } from 'fold-sessions-mock';

const ttlSeconds = 2_592_000;
const idCharacters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Ids of the store's shape (a prefix and 20 URL-safe characters), the n-th of stream `seed` made
 * by mixing (seed, n): cheap (a million ids for 100,000 × 10), repeatable, and distinct across
 * streams and within one.
 */
function idMaker(seed) {
  // murmur3's finalizer: a bijection of 32-bit integers that scatters neighbouring inputs.
  const mix = (x) => {
    x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
    x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
    return (x ^ (x >>> 16)) >>> 0;
  };
  let n = 0;
  return (prefix) => {
    const input = (seed * 0x1000000 + n++) >>> 0;
    let id = prefix;
    for (const salt of [0, 0x9e3779b9, 0x7f4a7c15, 0x3c6ef372]) {
      let bits = mix(input ^ salt);
      for (let j = 0; j < 5; j++, bits >>>= 6) id += idCharacters[bits & 63];
    }
    return id;
  };
}

const message = (newId, s, m, createdAt) => ({
  id: newId('msg_'),
  role: m % 2 ? 'assistant' : 'user',
  content: `Message ${m} of session ${s}: a typical turn of an agent conversation, long enough to look real.`,
  tool_call_id: null,
  tool_name: null,
  created_at: createdAt + m,
});

/**
 * The documents of `sessions` active sessions of `orgId`, each with `messages` messages, created
 * in the `sessions × messages` milliseconds before `now`; one `{ org_id, session, messages }` at a
 * time. The same options give the same documents.
 */
export function* growthDocuments({ orgId, sessions, messages, now = Date.now(), seed = 1 }) {
  // Stream `2 × seed`; a journal of appends takes `2 × seed + 1` (see `writeGrowthDatabase`).
  const newId = idMaker(seed * 2);
  const start = now - sessions * messages;
  for (let s = 0; s < sessions; s++) {
    const createdAt = start + s * messages;
    const id = newId('sess_');
    yield {
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
      messages: Array.from({ length: messages }, (_, m) => message(newId, s, m, createdAt)),
    };
  }
}

function writeText(path, text) {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

/**
 * The file store's layout: a root file `sessions.json` (format and memory), and beside it a
 * directory with one compact lowdb JSON document per session, `<session id>.json`, plus journal
 * files `journal-<generation>.ndjson` of appends not yet compacted into the documents.
 */
export const fileStoreLayout = {
  /**
   * Writes the root file and the documents, packed into the store's segment files (the store says
   * which file holds a session: `sessionFile`); no manifest (the store makes one when it opens).
   */
  write(dbPath, documents) {
    const directory = sessionsDirectory(dbPath);
    mkdirSync(directory, { recursive: true });
    writeText(dbPath, JSON.stringify({ format: 1, memory: [] }));
    const segments = new Map();
    for (const document of documents) {
      const file = sessionFile(dbPath, document.session.id);
      let texts = segments.get(file);
      if (!texts) segments.set(file, (texts = []));
      texts.push(JSON.stringify(document));
    }
    for (const [file, texts] of segments) writeText(file, `{"format":1,"sessions":[${texts.join(',')}]}`);
  },
  /** Writes journal records (one JSON line each) as one journal file. */
  writeJournal(dbPath, records) {
    // Batches of ten, each ended by an empty line, as group commit writes them under load.
    const lines = records.map((record) => JSON.stringify(record));
    let text = '';
    for (let at = 0; at < lines.length; at += 10) text += `${lines.slice(at, at + 10).join('\n')}\n\n`;
    writeText(join(sessionsDirectory(dbPath), 'journal-000001.ndjson'), text);
  },
  /** The journal record of one appended message. */
  appendRecord(session, added) {
    const { context: _context, ...rest } = { ...session, updated_at: added.created_at };
    return { t: 'update', id: session.id, session: rest, messages: [added] };
  },
  /** Every file of the database at `dbPath`, the root file first. */
  files(dbPath) {
    const directory = sessionsDirectory(dbPath);
    return [dbPath, ...readdirSync(directory).map((name) => join(directory, name))];
  },
  /** The JSON values a file holds (a journal holds one per line). */
  parse(path, text) {
    return path.endsWith('.ndjson') ? text.split('\n').filter(Boolean).map((line) => JSON.parse(line)) : [JSON.parse(text)];
  },
  /** Whether a file holds session documents (as opposed to the root, a manifest, a journal). */
  holdsSessions(path) {
    return basename(path).startsWith('segment-');
  },
};

/**
 * Writes `sessions` active sessions of `orgId`, each with `messages` messages, as a database at
 * `dbPath` (see `growthDocuments` for `now` and `seed`); with `journalRecords`, also a journal of
 * that many appends spread over the sessions, as a crash before compaction leaves it. Returns the
 * session ids.
 */
export async function writeGrowthDatabase(dbPath, { journalRecords = 0, ...options }) {
  const ids = [];
  const sessions = [];
  const documents = growthDocuments(options);
  fileStoreLayout.write(
    dbPath,
    (function* () {
      for (const document of documents) {
        ids.push(document.session.id);
        if (journalRecords > 0) sessions.push(document.session);
        yield document;
      }
    })(),
  );
  if (journalRecords > 0) {
    // A stream of its own, so the appended messages' ids differ from the documents'.
    const newId = idMaker((options.seed ?? 1) * 2 + 1);
    const records = [];
    for (let r = 0; r < journalRecords; r++) {
      const session = sessions[r % sessions.length];
      records.push(fileStoreLayout.appendRecord(session, message(newId, r % sessions.length, options.messages + Math.floor(r / sessions.length), session.created_at)));
    }
    fileStoreLayout.writeJournal(dbPath, records);
  }
  return ids;
}
