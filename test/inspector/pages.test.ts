// The inspector's pages as plain HTTP: where they are served, and where they are not.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp, createSessionsApi, type CreateAppOptions } from 'fold-sessions-mock';
import { pointAtServer } from '../../mock-server/ui/src/servers.js';
import { buildInspector } from './support.js';

const token = 'pages-test-token';
const servers: Server[] = [];

async function serve(options: CreateAppOptions): Promise<string> {
  const server = createApp({ logger: false, ...options }).listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

describe('the inspector pages', () => {
  beforeAll(() => buildInspector(), 60_000);

  it('serves the inspector, the reference, their files and an index page while the control API is on', async () => {
    const base = await serve({ control: { token } });
    const expected: Array<[string, string]> = [
      ['/', 'text/html'],
      ['/__fold/ui', 'text/html'],
      ['/__fold/ui/', 'text/html'],
      ['/__fold/ui/inspector.js', 'text/javascript'],
      ['/__fold/ui/inspector.css', 'text/css'],
      ['/__fold/docs', 'text/html'],
      ['/__fold/docs/docs.js', 'text/javascript'],
      ['/__fold/docs/docs.css', 'text/css'],
      ['/__fold/docs/swagger-ui-bundle.js', 'text/javascript'],
      ['/__fold/docs/swagger-ui.css', 'text/css'],
      ['/__fold/docs/sessions.yaml', 'application/yaml'],
    ];
    for (const [path, type] of expected) {
      const response = await fetch(base + path);
      expect([path, response.status, response.headers.get('content-type')?.split(';')[0]]).toEqual([path, 200, type]);
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
  });

  it('links both pages from GET /, and the pages load only files of this server', async () => {
    const base = await serve({ control: { token } });
    const index = await (await fetch(`${base}/`)).text();
    expect(index).toContain('href="/__fold/ui"');
    expect(index).toContain('href="/__fold/docs"');
    for (const path of ['/', '/__fold/ui', '/__fold/docs']) {
      const html = await (await fetch(base + path)).text();
      const references = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
      expect(references.filter((reference) => !reference.startsWith('/') && reference !== 'data:,')).toEqual([]);
    }
  });

  it('answers HEAD without a body', async () => {
    const base = await serve({ control: { token } });
    const response = await fetch(`${base}/__fold/ui/inspector.js`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('leaves other methods and the control API to the API', async () => {
    const base = await serve({ control: { token } });
    const posted = await fetch(`${base}/__fold/ui`, { method: 'POST' });
    expect([posted.status, ((await posted.json()) as { code: string }).code]).toEqual([404, 'NOT_FOUND']);
    const clock = await fetch(`${base}/__fold/clock`);
    expect(clock.status).toBe(401);
  });

  it('serves nothing while the control API is off: / and /__fold/ui are the API 404s', async () => {
    const base = await serve({});
    for (const path of ['/', '/__fold/ui', '/__fold/docs', '/__fold/ui/inspector.js']) {
      const response = await fetch(base + path);
      expect([path, response.status, response.headers.get('content-type')]).toEqual([path, 404, 'application/json; charset=utf-8']);
    }
  });

  it('is off for an app given a built API unless asked, since the app cannot tell whether control is on', async () => {
    const api = createSessionsApi({ control: { token } });
    expect((await fetch(`${await serve({ api })}/__fold/ui`)).status).toBe(404);
    expect((await fetch(`${await serve({ api, inspector: true })}/__fold/ui`)).status).toBe(200);
  });
});

describe('the inspector sources', () => {
  it('point the API reference at the serving origin first', () => {
    const yaml = 'openapi: 3.1.0\nservers:\n  - url: https://api.fold.run\n    description: Production\npaths: {}\n';
    expect(pointAtServer(yaml, 'http://127.0.0.1:4010')).toBe(
      'openapi: 3.1.0\nservers:\n  - url: http://127.0.0.1:4010\n    description: This server (fold-sessions-mock)\n  - url: https://api.fold.run\n    description: Production\npaths: {}\n',
    );
    expect(pointAtServer('openapi: 3.1.0\npaths: {}\n', 'http://[::1]:9')).toBe('openapi: 3.1.0\npaths: {}\nservers:\n  - url: http://[::1]:9\n    description: This server (fold-sessions-mock)\n');
  });
});
