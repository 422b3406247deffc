// setupWorker with the handlers of the installed fold-sessions-mock/msw, in headless Chromium: the
// page's SDK calls to https://api.fold.run are answered by the Service Worker, statefully. The page
// is written for msw 3; for msw 2 its one renamed option is put back (msw-option.mjs).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { forMsw } from './msw-option.mjs';

const CHROMIUM = '/usr/bin/chromium';

const page = readFileSync(join(import.meta.dirname, 'browser-page.ts'), 'utf8');

export async function runSetupWorker({ dir, mswMajor }) {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  const { build } = await import('esbuild');
  const { chromium } = await import('playwright-core');
  writeFileSync(join(dir, 'browser-page.ts'), forMsw(page, mswMajor));
  console.log(`$ esbuild browser-page.ts --bundle --platform=browser   (in ${dir}, esbuild from the workspace)`);
  const bundle = await build({
    entryPoints: [join(dir, 'browser-page.ts')],
    absWorkingDir: dir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  const files = {
    '/': ['text/html', '<!doctype html><title>msw</title><script type="module" src="/app.js"></script>'],
    '/app.js': ['text/javascript', bundle.outputFiles[0].text],
    '/mockServiceWorker.js': ['text/javascript', readFileSync(join(dir, 'node_modules/msw/lib/mockServiceWorker.js'), 'utf8')],
  };
  const server = createServer((req, res) => {
    const file = files[new URL(req.url, 'http://x').pathname];
    res.writeHead(file ? 200 : 404, { 'content-type': file?.[0] ?? 'text/plain' });
    res.end(file?.[1] ?? 'not found');
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${server.address().port}/`;
  console.log(`$ chromium --headless ${url}`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const tab = await browser.newPage();
    const errors = [];
    tab.on('pageerror', (error) => errors.push(error.message));
    await tab.goto(url);
    await tab.waitForFunction(() => 'run' in window, undefined, { timeout: 15_000 });
    const result = await tab.evaluate(() => window.run());
    const expected = { status: 'active', messages: ['hello from a Service Worker'], expired: true, stored: 1, controlled: true };
    if (JSON.stringify(result) !== JSON.stringify(expected) || errors.length) {
      throw new Error(`got ${JSON.stringify(result)}, expected ${JSON.stringify(expected)}; page errors: ${errors.join('; ')}`);
    }
    return 'create, add, get and expiry answered by the Service Worker';
  } finally {
    await browser.close();
    server.close();
  }
}
