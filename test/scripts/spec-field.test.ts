// The path from the spec to the server: a field added to `Session` in openapi/sessions.yaml and
// run through the generators reaches the store, the API's answers, the control API's seed and
// snapshot, and the inspector, with no other edit. The generators run on a copy of openapi/ into
// a scratch folder; the server is then loaded with that generated code in place of the committed.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as MockServer from 'fold-sessions-mock';
// @ts-expect-error: plain .mjs modules of the repository's scripts, without types
import { renderApiTable, renderOperationIds } from '../../scripts/api-table.mjs';
// @ts-expect-error: as above
import { controlGeneratorConfig, generateInto, generatorConfig } from '../../scripts/openapi-ts.config.mjs';
import { otherFields } from '../../mock-server/ui/src/format.js';

const root = resolve(import.meta.dirname, '../..');
// Inside the repository, so that the generated code finds `zod` in node_modules.
mkdirSync(join(root, '.tmp'), { recursive: true });
const scratch = mkdtempSync(join(root, '.tmp/spec-field-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const specDir = join(scratch, 'openapi');
const out = {
  sessions: join(scratch, 'sdk-generated'),
  control: join(scratch, 'control-generated'),
  apiTable: join(scratch, 'api/spec.gen.ts'),
  operationIds: join(scratch, 'api/operation-ids.gen.ts'),
};

let server: { url: string; close(): Promise<void> };
let controlZod: { zSessionDocument: { safeParse(value: unknown): { success: boolean } } };
const token = 'spec-field-token';
const key = 'spec_field_key';

beforeAll(async () => {
  // The edit: one optional field on Session, in a copy of the spec.
  cpSync(join(root, 'openapi'), specDir, { recursive: true });
  const sessionsFile = join(specDir, 'sessions.yaml');
  const spec = parse(readFileSync(sessionsFile, 'utf8'));
  spec.components.schemas.Session.properties.labels = { type: 'array', items: { type: 'string', maxLength: 40 }, description: 'Labels.' };
  writeFileSync(sessionsFile, stringify(spec));

  // `npm run generate`, on the copy.
  await generateInto(generatorConfig, out.sessions, specDir);
  await generateInto(controlGeneratorConfig, out.control, specDir);
  mkdirSync(join(scratch, 'api'));
  writeFileSync(out.apiTable, renderApiTable(sessionsFile));
  writeFileSync(out.operationIds, renderOperationIds(sessionsFile));

  // The server, built on what was generated.
  vi.resetModules();
  vi.doMock('fold-sessions/zod', () => import(join(out.sessions, 'zod.gen.ts')));
  vi.doMock('../../mock-server/src/spec/spec.gen.js', () => import(out.apiTable));
  vi.doMock('../../mock-server/src/spec/control/zod.gen.js', () => import(join(out.control, 'zod.gen.ts')));
  controlZod = await import(join(out.control, 'zod.gen.ts'));
  const { answerMalformedRequests, createApp, createSessionsApi } = (await import('fold-sessions-mock')) as typeof MockServer;
  const api = createSessionsApi({ keys: { [key]: 'org_a' }, control: { token } });
  const app = createApp({ api, logger: false });
  const listening = await new Promise<import('node:http').Server>((done) => {
    const started = app.listen(0, '127.0.0.1', () => done(started));
    answerMalformedRequests(started);
  });
  const { port } = listening.address() as import('node:net').AddressInfo;
  server = {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((done) => listening.close(() => done())),
  };
}, 120_000);
afterAll(async () => {
  await server?.close();
  vi.doUnmock('fold-sessions/zod');
  vi.doUnmock('../../mock-server/src/spec/spec.gen.js');
  vi.doUnmock('../../mock-server/src/spec/control/zod.gen.js');
});

const call = (path: string, init: { method?: string; body?: unknown; control?: boolean } = {}) =>
  fetch(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${init.control ? token : key}`, 'content-type': 'application/json' },
    ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
  });

function seedDocument(id: string, labels: unknown) {
  const now = Date.now();
  return {
    org_id: 'org_a',
    session: {
      id,
      name: 'Labelled',
      status: 'active',
      ttl_seconds: 3600,
      expires_at: now + 3_600_000,
      context: {},
      created_at: now,
      updated_at: now,
      closed_at: null,
      completed_at: null,
      summary_status: 'none',
      labels,
    },
    messages: [],
  };
}

describe('an optional field added to Session in the spec', () => {
  it('is part of the control API through its $ref, once generated', () => {
    const snapshotted = (labels: unknown) => {
      const doc = seedDocument('sess_labelled000000000', labels);
      return { ...doc, session: { ...doc.session, message_count: 0 } };
    };
    expect(controlZod.zSessionDocument.safeParse(snapshotted(['a'])).success).toBe(true);
    expect(controlZod.zSessionDocument.safeParse(snapshotted('a')).success).toBe(false);
  });

  it('is seeded, stored, returned by every read, kept across a write, snapshotted, and shown by the inspector', async () => {
    const id = 'sess_labelled000000001';
    expect((await call('/__fold/seed', { method: 'POST', control: true, body: { sessions: [seedDocument(id, ['billing', 'vip'])] } })).status).toBe(204);

    const read = await (await call(`/sessions/${id}`)).json();
    expect(read).toMatchObject({ id, labels: ['billing', 'vip'], message_count: 0 });
    const list = await (await call('/sessions')).json();
    expect(list.sessions.find((session: { id: string }) => session.id === id)).toMatchObject({ labels: ['billing', 'vip'] });

    const updated = await (await call(`/sessions/${id}/context`, { method: 'PUT', body: { step: 2 } })).json();
    expect(updated).toMatchObject({ context: { step: 2 }, labels: ['billing', 'vip'] });

    const snapshot = await (await call('/__fold/snapshot', { control: true })).json();
    const stored = snapshot.sessions.find((doc: { session: { id: string } }) => doc.session.id === id);
    expect(stored.session.labels).toEqual(['billing', 'vip']);
    expect(otherFields(stored.session)).toMatchObject({ labels: ['billing', 'vip'] });
  });

  it('is checked against its schema on seed', async () => {
    const answer = await call('/__fold/seed', { method: 'POST', control: true, body: { sessions: [seedDocument('sess_labelled000000002', 'billing')] } });
    expect(answer.status).toBe(400);
    expect((await answer.json()).details.issues).toEqual([expect.objectContaining({ path: 'body.sessions.0.session.labels' })]);
  });
});
