import { mkdir, mkdtemp, readFile, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSessionsApi, openDurableStore, sessionFile, sessionFixture, sessionsDirectory, StoreOpenError, type ApiRequest, type Durability } from 'fold-sessions-mock';
import { hashFiles } from '../../reliability/support.js';

// Start-up tells a crash from damage: a torn last batch is ignored; damage anywhere else, an
// edited record and a missing document are refused, naming the file (and the byte offset in a
// journal), the files untouched; `repair` keeps what is intact and says what it dropped; in
// `process` mode what a power cut leaves is recovered.

let dir: string;
let db: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fold-damage-'));
  db = join(dir, 'data', 'sessions.json');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const auth = { authorization: 'Bearer fold_dev_key', 'content-type': 'application/json' };

/** 20 sessions of one message each; `compacted`: closed cleanly (documents and manifest), else left in the journal as a kill leaves it. */
async function database(compacted: boolean, durability: Durability = 'fsync'): Promise<string[]> {
  const { store } = await openDurableStore(db, { durability });
  const api = createSessionsApi({ store });
  const call = (method: string, path: string, body: unknown) => api.handle({ method, path, headers: auth, rawBody: JSON.stringify(body) } as ApiRequest) as Promise<{ status: number; body: { id: string } }>;
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) {
    const { body } = await call('POST', '/sessions', { name: `session ${i}` });
    expect((await call('POST', `/sessions/${body.id}/messages`, { role: 'user', content: `message ${i}` })).status).toBe(201);
    ids.push(body.id);
  }
  if (compacted) await store.close();
  else await store.flush();
  return ids;
}

async function journalFile(): Promise<string> {
  const names = (await readdir(sessionsDirectory(db))).filter((name) => name.endsWith('.ndjson')).sort();
  return join(sessionsDirectory(db), names.at(-1)!);
}

/** Where each batch of a journal starts. */
const batchStarts = (text: string) => [...text.matchAll(/(?:^|\n\n)#/g)].map((match) => match.index + (match[0].length - 1));

async function refusal(options: Parameters<typeof openDurableStore>[1] = {}): Promise<StoreOpenError> {
  const before = await hashFiles(dir);
  const error = await openDurableStore(db, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoreOpenError);
  expect(await hashFiles(dir), 'the files are left untouched').toEqual(before);
  return error as StoreOpenError;
}

/** Opens with `repair`, checks it said what it dropped, and that the next plain start succeeds with the same sessions. */
async function repair(expectDropped: RegExp): Promise<string[]> {
  const { store, report } = await openDurableStore(db, { repair: true });
  expect(report.dropped.join('\n')).toMatch(expectDropped);
  const kept = [...store.sessionsOf('org_dev')].map((doc) => doc.session.id).sort();
  await store.close();
  const again = await openDurableStore(db);
  expect(again.report.dropped).toEqual([]);
  expect([...again.store.sessionsOf('org_dev')].map((doc) => doc.session.id).sort()).toEqual(kept);
  await again.store.close();
  return kept;
}

describe('start-up: damage is refused, naming the file and the offset', () => {
  it('a journal with bytes cut out before its end is refused at the batch where they went; repair keeps every intact batch', async () => {
    const ids = await database(false);
    const file = await journalFile();
    const text = await readFile(file, 'utf8');
    const from = Math.floor(text.length / 3);
    const to = Math.floor((text.length * 2) / 3);
    await writeFile(file, text.slice(0, from) + text.slice(to));
    const damagedAt = batchStarts(text).filter((start) => start <= from).at(-1)!;
    const error = await refusal();
    expect(error.message).toContain(file);
    expect(error.message).toContain(`the batch at byte ${damagedAt} is damaged`);

    const kept = await repair(new RegExp(`${file}: the batch at byte ${damagedAt}`));
    // The sessions whose batches were cut out are gone; those before and after the cut are kept.
    expect(kept.length).toBeGreaterThan(10);
    expect(kept.length).toBeLessThan(20);
    expect(kept).toContain(ids[0]);
    expect(kept).toContain(ids[19]);
  });

  it('a journal cut short at its end is a crash: the last batch is ignored and the report names the file and the byte it starts at', async () => {
    await database(false);
    const file = await journalFile();
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.slice(0, text.length - 5));
    const { store, report } = await openDurableStore(db);
    expect(report.torn).toEqual({ file, offset: batchStarts(text).at(-1) });
    expect(report.dropped).toEqual([]);
    await store.close();
  });

  it('an edited journal record is refused at its batch, though it is still valid JSON; repair drops that batch only', async () => {
    const ids = await database(false);
    const file = await journalFile();
    const text = await readFile(file, 'utf8');
    const at = text.indexOf('message 7');
    await writeFile(file, `${text.slice(0, at)}message 8${text.slice(at + 'message 7'.length)}`);
    const batch = batchStarts(text).filter((start) => start <= at).at(-1)!;
    const error = await refusal();
    expect(error.message).toContain(file);
    expect(error.message).toMatch(new RegExp(`the batch at byte ${batch} is damaged: its checksum does not match its records`));
    const kept = await repair(/checksum does not match/);
    // The batch held one append of session 7: the session stays, without that message.
    expect(kept).toEqual([...ids].sort());
  });

  it('a segment deleted after compaction is refused, naming it; repair drops its sessions and says so', async () => {
    const ids = await database(true);
    const victim = sessionFile(db, ids[3]!);
    await unlink(victim);
    const error = await refusal();
    expect(error.message).toContain(victim);
    expect(error.message).toMatch(/it is missing, but the manifest lists it/);
    const kept = await repair(new RegExp(`${basename(victim)} .*the sessions in it are lost`));
    expect(kept).toEqual(ids.filter((id) => sessionFile(db, id) !== victim).sort());
    expect(kept).not.toContain(ids[3]);
  });

  it('an edited session document is refused, naming it; repair keeps it as it is and says so', async () => {
    const ids = await database(true);
    const file = sessionFile(db, ids[5]!);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('message 5', 'message X'));
    const error = await refusal();
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/it is not what the last compaction wrote .*: it was changed since/);
    const kept = await repair(new RegExp(`${file}, kept as it is`));
    expect(kept).toEqual([...ids].sort());
    const { store } = await openDurableStore(db);
    expect(store.getSession(ids[5]!)!.messages[0]!.content).toBe('message X');
    await store.close();
  });

  it('a document start-up cannot read (not JSON) is refused in fsync mode', async () => {
    const ids = await database(true);
    const file = sessionFile(db, ids[2]!);
    await writeFile(file, '');
    expect((await refusal()).message).toMatch(new RegExp(`${file}: it is not valid JSON`));
  });
});

describe('start-up in process mode: what a power cut leaves is recovered, and said', () => {
  // The sessions kept when the segment of session 1 is lost.
  const besideSession1 = (ids: string[]) => ids.filter((id) => sessionFile(db, id) !== sessionFile(db, ids[1]!));
  it.each([
    ['an empty root file', async () => writeFile(db, ''), /sessions\.json \(it is not valid JSON.*\): its memory entries are lost/, (ids: string[]) => ids],
    ['a root file cut short', async () => writeFile(db, '{"format":1,"mem'), /sessions\.json \(it is not valid JSON.*\): its memory entries are lost/, (ids: string[]) => ids],
    ['an empty segment', async (ids: string[]) => writeFile(sessionFile(db, ids[1]!), ''), /segment-\d\d\.json \(it is not valid JSON.*\): the sessions in it are lost/, besideSession1],
    ['a missing segment', async (ids: string[]) => unlink(sessionFile(db, ids[1]!)), /it is missing, but the manifest lists it.*the sessions in it are lost/, besideSession1],
    ['an empty manifest', async () => writeFile(join(sessionsDirectory(db), 'manifest.json'), ''), /manifest\.json \(it is not valid JSON.*\): the documents were read without it/, (ids: string[]) => ids],
  ])('%s: the restart keeps the rest and says what it lost; fsync mode refuses it', async (_, damage, said, kept) => {
    const ids = await database(true, 'process');
    await damage(ids);
    await refusal({ durability: 'fsync' });
    const { store, report } = await openDurableStore(db, { durability: 'process' });
    expect(report.dropped).toHaveLength(1);
    expect(report.dropped[0]).toMatch(said);
    expect([...store.sessionsOf('org_dev')].map((doc) => doc.session.id).sort()).toEqual(kept(ids).sort());
    await store.close();
    // What was recovered is written back: the next start finds nothing to recover.
    const again = await openDurableStore(db, { durability: 'fsync' });
    expect(again.report.dropped).toEqual([]);
    await again.store.close();
  });

  it('an empty journal file opens in either mode, with nothing lost', async () => {
    await database(true, 'process');
    await writeFile(join(sessionsDirectory(db), 'journal-000099.ndjson'), '');
    for (const durability of ['process', 'fsync'] as Durability[]) {
      const { store, report } = await openDurableStore(db, { durability });
      expect(report.dropped).toEqual([]);
      expect([...store.sessionsOf('org_dev')]).toHaveLength(20);
      await store.close();
    }
  });

  it('an edited record is not what a power cut leaves: process mode refuses it too', async () => {
    const ids = await database(true, 'process');
    const file = sessionFile(db, ids[5]!);
    await writeFile(file, (await readFile(file, 'utf8')).replace('message 5', 'message X'));
    expect((await refusal({ durability: 'process' })).message).toContain(file);
  });
});

describe('start-up: a database written before checksums and manifests', () => {
  it('opens without loss, documents and a journal without checksums alike, and gets a manifest', async () => {
    const now = Date.now();
    const kept = sessionFixture({ orgId: 'org_dev', messages: 3, now });
    const journaled = sessionFixture({ orgId: 'org_dev', messages: 2, now });
    const [keptDoc] = kept.sessions;
    const [journaledDoc] = journaled.sessions;
    const sessions = sessionsDirectory(db);
    await mkdir(sessions, { recursive: true });
    // The format as it was: the root, one file per session, a journal of batches ending in an
    // empty line, no checksum header and no manifest.
    await writeFile(db, JSON.stringify({ format: 1, memory: [] }));
    await writeFile(join(sessions, `${keptDoc!.session.id}.json`), JSON.stringify(keptDoc));
    const extra = { id: 'msg_AAAAAAAAAAAAAAAAAAAA', role: 'user', content: 'journaled later', tool_call_id: null, tool_name: null, created_at: now };
    const record = Object.fromEntries(Object.entries(keptDoc!.session).filter(([key]) => key !== 'context'));
    await writeFile(
      join(sessions, 'journal-000001.ndjson'),
      `${JSON.stringify({ t: 'doc', doc: journaledDoc })}\n\n${JSON.stringify({ t: 'update', id: keptDoc!.session.id, session: { ...record, message_count: 4 }, messages: [extra] })}\n\n`,
    );
    const { store, report } = await openDurableStore(db);
    expect(report).toMatchObject({ replayed: 2, tornRecord: false, dropped: [] });
    expect(store.getSession(keptDoc!.session.id)!.messages.map((message) => message.content)).toEqual([...keptDoc!.messages.map((message) => message.content), 'journaled later']);
    expect(store.getSession(journaledDoc!.session.id)!.messages).toEqual(journaledDoc!.messages);
    await store.close();
    // Moved into segments: the manifest lists them, the files of one session each are gone.
    const manifest = JSON.parse(await readFile(join(sessions, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.documents).sort()).toEqual([...new Set([keptDoc, journaledDoc].map((doc) => basename(sessionFile(db, doc!.session.id))))].sort());
    expect((await readdir(sessions)).filter((name) => name.startsWith('sess_'))).toEqual([]);

    // From now on it is checked: an edit is refused.
    const again = await openDurableStore(db);
    expect(again.store.getSession(keptDoc!.session.id)!.messages).toHaveLength(4);
    await again.store.close();
    const file = sessionFile(db, journaledDoc!.session.id);
    await writeFile(file, (await readFile(file, 'utf8')).replace('"name":"', '"name":"X'));
    expect((await refusal()).message).toContain(file);
  });

  it('a database of documents only gets its manifest at start-up', async () => {
    const { sessions: [doc] } = sessionFixture({ orgId: 'org_dev', messages: 1 });
    await mkdir(sessionsDirectory(db), { recursive: true });
    await writeFile(db, JSON.stringify({ format: 1, memory: [] }));
    await writeFile(join(sessionsDirectory(db), `${doc!.session.id}.json`), JSON.stringify(doc));
    const { store } = await openDurableStore(db);
    expect(store.getSession(doc!.session.id)).toEqual(doc);
    expect(JSON.parse(await readFile(join(sessionsDirectory(db), 'manifest.json'), 'utf8')).documents).toHaveProperty(`${doc!.session.id}.json`);
    await store.close();
  });
});
