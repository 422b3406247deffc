import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSessionsApi, openDurableStore, sessionsDirectory, type ApiRequest, type SessionDocument } from 'fold-sessions-mock';
import { nodeDisk, type Disk } from '../../../mock-server/src/store/disk.js';
import { segmentCount, segmentName, segmentOf, segmentOfName, segmentProblem, segmentText } from '../../../mock-server/src/store/segments.js';

let dir: string;
let db: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fold-segments-'));
  db = join(dir, 'data', 'sessions.json');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

// Only the id matters to a segment; the documents' own checks are `checkSession`'s.
const doc = (id: string) => ({ org_id: 'org_a', session: { id }, messages: [] }) as unknown as SessionDocument;

describe('segments', () => {
  it('spread ids over every segment, each id always in the same one, and name them both ways', () => {
    const used = new Set<number>();
    for (let i = 0; i < 5000; i++) {
      const id = `sess_${i.toString(36).padStart(20, '0')}`;
      const segment = segmentOf(id);
      expect(segment).toBe(segmentOf(id));
      expect(segment).toBeGreaterThanOrEqual(0);
      expect(segment).toBeLessThan(segmentCount);
      used.add(segment);
    }
    expect(used.size).toBe(segmentCount);
    expect(segmentName(7)).toBe('segment-07.json');
    expect(segmentOfName('segment-07.json')).toBe(7);
    for (const name of ['segment-7.json', `segment-${segmentCount}.json`, 'segment-07.json.tmp', 'sess_x.json']) expect(segmentOfName(name)).toBeUndefined();
  });

  it('write the same bytes for the same sessions in any order', () => {
    const ids = ['sess_b', 'sess_a', 'sess_c'];
    expect(segmentText(ids.map(doc))).toBe(segmentText([...ids].reverse().map(doc)));
  });

  it('say what is wrong with a segment: its shape, a session in the wrong segment, one stored twice, a bad document', () => {
    const id = 'sess_AAAAAAAAAAAAAAAAAAAA';
    const own = segmentOf(id);
    expect(segmentProblem(own, { format: 1, sessions: [doc(id)] })).toBeUndefined();
    expect(segmentProblem(own, [])).toMatch(/not a segment/);
    expect(segmentProblem(own, { format: 2, sessions: [] })).toMatch(/not a segment/);
    expect(segmentProblem((own + 1) % segmentCount, { format: 1, sessions: [doc(id)] })).toBe(`sessions.0 (${id}) belongs in ${segmentName(own)}`);
    expect(segmentProblem(own, { format: 1, sessions: [doc(id), doc(id)] })).toBe(`sessions.1 (${id}) is stored twice`);
    expect(segmentProblem(own, { format: 1, sessions: [{}] })).toBe('sessions.0 has no session id');
    expect(segmentProblem(own, { format: 1, sessions: [doc(id)] }, (_, at) => `${at} is bad`)).toBe('sessions.0 is bad');
  });

  it('opening a database reads at most one file per segment, however many sessions it holds', async () => {
    const { store } = await openDurableStore(db);
    const api = createSessionsApi({ store });
    const headers = { authorization: 'Bearer fold_dev_key', 'content-type': 'application/json' };
    for (let i = 0; i < 300; i++) {
      const reply = (await api.handle({ method: 'POST', path: '/sessions', headers, rawBody: JSON.stringify({ name: `s${i}` }) } as ApiRequest)) as { status: number };
      expect(reply.status).toBe(201);
    }
    await store.close();
    const names = await readdir(sessionsDirectory(db));
    expect(names.filter((name) => segmentOfName(name) !== undefined).length).toBeLessThanOrEqual(segmentCount);
    expect(names.filter((name) => name.startsWith('sess_'))).toEqual([]);
    const read: string[] = [];
    const counting: Disk = { ...nodeDisk, read: (path) => (read.push(path), nodeDisk.read(path)) };
    const reopened = await openDurableStore(db, { disk: counting });
    expect([...reopened.store.sessionsOf('org_dev')]).toHaveLength(300);
    await reopened.store.close();
    // The segments, the root, the manifest and the replays document.
    expect(read.length).toBeLessThanOrEqual(segmentCount + 3);
  });
});
