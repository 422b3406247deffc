import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnServer, type ChildServer } from '../../support/child-server.js';
import { startReferenceServer, type ReferenceServer } from '../../support/reference-server.js';
import { renameOrgs } from './support.js';

const token = 'cli_proxy_control';
let upstream: ReferenceServer;
let folder: string;
const children: ChildServer[] = [];

beforeEach(async () => {
  upstream = await startReferenceServer();
  folder = await mkdtemp(join(tmpdir(), 'fold-proxy-'));
});
afterEach(async () => {
  await Promise.all(children.splice(0).map((child) => child.kill()));
  await upstream.close();
  await rm(folder, { recursive: true, force: true });
});

async function start(args: string[]): Promise<ChildServer> {
  const child = await spawnServer(['--port', '0', '--control-token', token, ...args]);
  children.push(child);
  return child;
}

async function send(url: string, method: string, path: string, key: string, body?: unknown): Promise<Response> {
  return fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}

describe('fold-sessions-mock --proxy --record, then --fixtures', () => {
  it('records through the CLI on SIGTERM, and a server started with the file holds the same sessions', async () => {
    const file = join(folder, 'recorded.json');
    const proxy = await start(['--proxy', upstream.url, '--record', file]);
    expect(proxy.output()).toContain(`Proxy: forwarding the Sessions API to ${upstream.url}`);
    const created = await send(proxy.url, 'POST', '/sessions', upstream.apiKey, { name: 'recorded over HTTP' });
    expect(created.status).toBe(201);
    expect(created.headers.get('fold-violations')).toBeNull();
    const { id } = (await created.json()) as { id: string };
    expect((await send(proxy.url, 'POST', `/sessions/${id}/messages`, upstream.apiKey, { role: 'user', content: 'hello' })).status).toBe(201);
    expect((await send(proxy.url, 'GET', `/sessions/${id}`, upstream.apiKey)).status).toBe(200);

    proxy.child.kill('SIGTERM');
    expect(await proxy.exited).toBe(0);
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain(upstream.apiKey);
    const recorded = JSON.parse(text);
    expect(recorded.sessions.map((doc: { org_id: string; messages: unknown[] }) => [doc.org_id, doc.messages.length])).toEqual([['org_recorded_1', 1]]);

    const replay = await start(['--fixtures', file]);
    expect(replay.output()).toContain(`Fixtures: 1 session from ${file}`);
    const snapshot = await (await send(replay.url, 'GET', '/__fold/snapshot', token)).json();
    expect(snapshot.sessions).toEqual(renameOrgs(await upstream.controller.snapshot(), { org_a: 'org_recorded_1' }));
  });

  it('refuses a missing or invalid fixtures file with a clear message and exit 1', async () => {
    const missing = join(folder, 'missing.json');
    await expect(start(['--fixtures', missing])).rejects.toThrow(`--fixtures: cannot read ${missing} (ENOENT)`);
    const notJson = join(folder, 'not.json');
    await writeFile(notJson, '{ sessions: ');
    await expect(start(['--fixtures', notJson])).rejects.toThrow(`--fixtures: ${notJson} is not JSON`);
    const invalid = join(folder, 'invalid.json');
    await writeFile(invalid, JSON.stringify({ sessions: [{ org_id: 'org_x', session: { id: 'nope' }, messages: [] }] }));
    await expect(start(['--fixtures', invalid])).rejects.toThrow(/--fixtures: .* is not valid seed data \{sessions, memory\}: sessions\.0\.session\.id/);
  });
});
