// The built SDK in headless Chromium: a page on one origin talks to the reference server on
// another, over CORS, with the browser's own fetch, AbortController and crypto.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Sdk from 'fold-sessions';
import type * as Validation from 'fold-sessions/validation';
import { operationSpecs } from '../../mock-server/src/spec/spec.gen.js';
import { type ReferenceServer, startReferenceServer } from '../support/reference-server.js';

const CHROMIUM = '/usr/bin/chromium';
const root = resolve(import.meta.dirname, '../..');
const missing = !existsSync(CHROMIUM);
if (missing && !process.env.CI) {
  console.warn(`Skipping the browser test: ${CHROMIUM} is missing (apt-get install chromium). CI fails instead.`);
}

describe.skipIf(missing && !process.env.CI)('fold-sessions in a browser', () => {
  let api: ReferenceServer;
  let site: Server;
  let siteUrl = '';
  let browser: Browser | undefined;
  const origins: Array<Promise<string | undefined>> = [];

  beforeAll(async () => {
    if (missing) return; // the test itself fails, below
    // The package as published: tsc output, then bundled for the browser as an app would.
    execFileSync(process.execPath, [resolve(root, 'node_modules/typescript/bin/tsc'), '-p', resolve(root, 'sdk/tsconfig.build.json')]);
    const bundle = await build({
      // The SDK and, as an app that wants response validation imports it, its validator.
      stdin: { contents: "export * from './dist/index.js'; export { responseValidator } from './dist/validation.js';", resolveDir: resolve(root, 'sdk') },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    });
    const script = bundle.outputFiles[0]?.text ?? '';

    api = await startReferenceServer();
    site = createServer((req, res) => {
      if (req.url === '/fold-sessions.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end(script);
      } else {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(
          '<!doctype html><title>fold-sessions</title>' +
            '<script type="module">import * as sdk from "/fold-sessions.js"; window.sdk = sdk;</script>',
        );
      }
    });
    await new Promise<void>((done) => site.listen(0, '127.0.0.1', done));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((done) => (site ? site.close(() => done()) : done()));
    await api?.close();
  });

  it('creates a session, adds a message and reads it back over CORS', async () => {
    expect(missing, `Chromium not found at ${CHROMIUM}: install the Debian package chromium`).toBe(false);
    const page = await browser!.newPage();
    page.on('request', (request) => {
      if (request.url().startsWith(api.url)) origins.push(request.allHeaders().then((headers) => headers.origin));
    });
    await page.goto(siteUrl);
    await page.waitForFunction(() => 'sdk' in window);

    const result = await page.evaluate(
      async ({ apiUrl, apiKey }) => {
        const { FoldSessions, NotFoundError, isFoldSessionsError, responseValidator } = (window as unknown as { sdk: typeof Sdk & typeof Validation }).sdk;
        const fold = new FoldSessions({ apiKey, baseURL: apiUrl, validateResponses: responseValidator });
        const session = await fold.sessions.create({ name: 'from the browser' });
        await fold.sessions.messages.add(session.id, { role: 'user', content: 'hello from Chromium' });
        const read = await fold.sessions.get(session.id);
        const missing = await fold.sessions.get('sess_doesnotexist000000').catch((error: unknown) => error);
        return {
          pageOrigin: location.origin,
          status: session.status,
          messages: read.messages.map((m) => [m.role, m.content]),
          notFound: missing instanceof NotFoundError && isFoldSessionsError(missing, NotFoundError),
          requestId: (missing as { requestId?: string }).requestId,
        };
      },
      { apiUrl: api.url, apiKey: api.apiKey },
    );

    expect(result.pageOrigin).not.toBe(new URL(api.url).origin);
    expect(result.status).toBe('active');
    expect(result.messages).toEqual([['user', 'hello from Chromium']]);
    expect(result.notFound).toBe(true);
    // x-request-id is readable only because the server exposes it to other origins.
    expect(result.requestId).toMatch(/\S/);
    const sent = await Promise.all(origins);
    expect(sent.length).toBeGreaterThanOrEqual(4);
    expect(sent).toEqual(sent.map(() => siteUrl));
  });

  it('sends no header the API does not document, unless identity headers are asked for', async () => {
    expect(missing, `Chromium not found at ${CHROMIUM}: install the Debian package chromium`).toBe(false);
    await api.controller.requests.clear();
    const page = await browser!.newPage();
    await page.goto(siteUrl);
    await page.waitForFunction(() => 'sdk' in window);
    const run = (identityHeaders: boolean | undefined) =>
      page.evaluate(
        async ({ apiUrl, apiKey, identityHeaders }) => {
          const { FoldSessions } = (window as unknown as { sdk: typeof Sdk }).sdk;
          const fold = new FoldSessions({ apiKey, baseURL: apiUrl, ...(identityHeaders !== undefined && { identityHeaders }) });
          const session = await fold.sessions.create({ name: `identity ${identityHeaders}` });
          await fold.sessions.get(session.id, { timeout: 5_000 });
          await fold.sessions.list();
        },
        { apiUrl: api.url, apiKey: api.apiKey, identityHeaders },
      );
    await run(undefined);
    const plain = await api.controller.requests();
    await api.controller.requests.clear();
    await run(true);
    const asked = await api.controller.requests();

    // What the page may add: the headers the spec documents, and the two every call needs.
    const documented = new Set(['authorization', 'content-type', ...Object.values(operationSpecs).flatMap((operation) => operation.headers)]);
    // What the browser adds on its own, whatever the page does.
    const browserOwn = /^(accept|accept-encoding|accept-language|connection|content-length|host|origin|referer|user-agent|sec-.*)$/;
    expect(plain.map((exchange) => exchange.method)).toEqual(['POST', 'GET', 'GET']);
    for (const exchange of plain) {
      const undocumented = Object.keys(exchange.request_headers).filter((name) => !browserOwn.test(name) && !documented.has(name));
      expect(undocumented, `${exchange.method} ${exchange.path}`).toEqual([]);
      expect(Object.keys(exchange.request_headers).filter((name) => name.startsWith('x-fold-'))).toEqual([]);
      expect(exchange.request_headers['user-agent']).not.toMatch(/fold-sessions/);
    }
    expect(asked.map((exchange) => [exchange.request_headers['x-fold-retry-count'], exchange.request_headers['x-fold-timeout']])).toEqual([
      ['0', '60'],
      ['0', '5'],
      ['0', '60'],
    ]);
  });
});
