// The inspector and the API reference in headless Chromium, against the server CLI in its own
// process: an app drives the SDK, a person watches and steers from the browser.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page, type Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConflictError, FoldSessions } from 'fold-sessions';
import { connectControl, type SessionsController } from 'fold-sessions-mock/control';
import { pollMs } from '../../mock-server/ui/src/live.js';
import { spawnServer, type ChildServer } from '../support/child-server.js';
import { artifacts, buildInspector, CHROMIUM, chromiumArgs, sidewaysOverflow, seriousViolations } from './support.js';

const missing = !existsSync(CHROMIUM);
if (missing && !process.env.CI) {
  console.warn(`Skipping the inspector browser test: ${CHROMIUM} is missing (apt-get install chromium). CI fails instead.`);
}

const token = 'inspector-test-token';
const methods = ['get', 'put', 'post', 'delete', 'patch'];

/**
 * For waits on what the page ends up showing, not on how fast: generous, so that a slow or busy
 * machine does not fail them. How soon the page shows a change is proved by counting its
 * refreshes (`watchRefreshes`), not with a clock.
 */
const eventually = { timeout: 10_000 };

/** The read of each refresh that the sessions view is built from (live.ts reads the clock, this and the journal side by side). */
const isSnapshotRead = (url: URL) => url.pathname === '/__fold/snapshot';

/**
 * Counts the page's refreshes from `mark()` on, by their reads of GET /__fold/snapshot. The route
 * holds each read until the handler lets it go on, so a read counted after `mark()` reaches the
 * server after everything the test awaited before calling `mark()`: it sees those changes.
 * live.ts starts a read only once the previous one has been rendered, and `pollMs` after it by the
 * page's own timer; so when read n + 1 starts, the page shows what read n rendered, and
 * `at(n + 1, look)` looks at the page then, before read n + 1 goes on.
 */
async function watchRefreshes(target: Page) {
  let counting = false;
  let count = 0;
  const looks = new Map<number, { look: () => Promise<unknown>; resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  const running = new Set<Promise<void>>();
  const handler = (route: Route) => {
    const handled = (async () => {
      try {
        if (!counting) return;
        const waiting = looks.get(++count);
        if (!waiting) return;
        looks.delete(count);
        await waiting.look().then(waiting.resolve, waiting.reject);
      } finally {
        await route.continue();
      }
    })();
    running.add(handled);
    return handled.finally(() => running.delete(handled));
  };
  await target.route(isSnapshotRead, handler);
  return {
    /** Counts from here: read 1 is the first that reaches the server after this call. */
    mark() {
      counting = true;
      count = 0;
    },
    /** What `look` finds on the page when read `n` (counted from the mark) starts, i.e. once read n - 1 is on screen. */
    at<T>(n: number, look: () => Promise<T>): Promise<T> {
      expect(counting && n > count, `read ${n} has already started`).toBe(true);
      return new Promise<T>((resolve, reject) => looks.set(n, { look, resolve: resolve as (value: unknown) => void, reject }));
    },
    /** Lets the reads go on unwatched. Playwright lets go of the reads a removed route still holds, so first finish ours. */
    async stop() {
      counting = false;
      while (running.size > 0) await Promise.all(running);
      await target.unroute(isSnapshotRead, handler);
    },
  };
}

describe.skipIf(missing && !process.env.CI)('the inspector in a browser', () => {
  let server: ChildServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let fold: FoldSessions;
  let control: SessionsController;
  let inspectorUrl = '';
  const consoleErrors: string[] = [];
  const ids = { support: '', billing: '', retry: '' };

  /** The session's row in the sessions view. */
  const row = (id: string) => page.locator(`tr[data-session="${id}"]`);
  const view = (name: string) => page.locator(`button.tab[data-view="${name}"]`).click();

  beforeAll(async () => {
    expect(missing, `Chromium not found at ${CHROMIUM}: install the Debian package chromium`).toBe(false);
    buildInspector();
    server = await spawnServer(['--port', '0', '--in-memory', '--control-token', token, '--log', 'silent']);
    inspectorUrl = /Inspector: (\S+)/.exec(server.output())?.[1] ?? '';
    fold = new FoldSessions({ apiKey: 'fold_dev_key', baseURL: server.url });
    control = connectControl({ baseURL: server.url, token });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs });
    // axe-core is injected by the test; the pages' own policy allows only their own scripts.
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.kill();
  });

  it('prints the inspector URL with the token in the fragment, and the page takes it out of the address bar', async () => {
    expect(inspectorUrl).toBe(`${server.url}/__fold/ui#token=${token}`);
    await page.goto(inspectorUrl);
    await expect.poll(() => page.locator('button.tab[data-view="sessions"]').getAttribute('aria-current'), eventually).toBe('page');
    expect(page.url()).toBe(`${server.url}/__fold/ui`);
    await expect.poll(() => page.locator('.counts').first().textContent(), eventually).toBe('No sessions yet.');
  });

  it('shows sessions the SDK made within 1 s, the transcript in order, the context tree and, once flushed, the summary', async () => {
    // "Within 1 s" by the page's own polling, whatever the speed of this machine: the page reads
    // every pollMs (500 ms) after the previous read, and the first refresh whose read reaches the
    // server after the SDK calls returned -- the one then in flight, or else the next one -- shows
    // the sessions. So they show at most one poll period (plus the reads) after the calls return.
    expect(pollMs).toBeLessThanOrEqual(500);
    const refreshes = await watchRefreshes(page);
    const support = await fold.sessions.create({ name: 'Support chat', ttl_seconds: 3600 });
    const billing = await fold.sessions.create({ name: 'Billing question', ttl_seconds: 60 });
    ids.support = support.id;
    ids.billing = billing.id;
    await fold.sessions.messages.add(support.id, { role: 'user', content: 'Where is my order A-17?' });
    await fold.sessions.messages.add(support.id, { role: 'assistant', content: 'Looking it up.', tool_name: 'lookup_order', tool_call_id: 'call_42' });
    await fold.sessions.messages.add(support.id, { role: 'assistant', content: 'It ships tomorrow.' });
    await fold.sessions.messages.add(billing.id, { role: 'user', content: 'Why was I charged twice?' });
    await fold.sessions.updateContext(support.id, { order: { id: 'A-17', items: ['kettle', 'mug'] }, vip: true });
    await fold.sessions.close(support.id);
    refreshes.mark();

    // When read 2 after the calls starts, read 1 is on screen.
    const afterOneRefresh = await refreshes.at(2, () =>
      page.evaluate(() => ({
        rows: [...document.querySelectorAll('tr[data-session]')].map((tr) => [tr.getAttribute('data-session'), tr.querySelector('.badge')?.textContent]),
        counts: document.querySelector('.counts')?.textContent,
      })),
    );
    await refreshes.stop();
    expect(afterOneRefresh).toEqual({
      rows: [
        [billing.id, 'active'],
        [support.id, 'closed'],
      ],
      counts: '2 sessions: 1 active · 1 closed · 0 completed · 0 expired',
    });
    // Newest first, with the message counts.
    expect(await page.locator('tr[data-session]').evaluateAll((rows) => rows.map((tr) => tr.getAttribute('data-session')))).toEqual([billing.id, support.id]);
    expect(await row(support.id).locator('td.number').textContent()).toBe('3');
    expect(await row(billing.id).locator('.badge').first().textContent()).toBe('active');
    await expect.poll(() => page.locator('.counts').first().textContent(), eventually).toBe('2 sessions: 1 active · 1 closed · 0 completed · 0 expired');

    await row(support.id).getByRole('button').click();
    const turns = page.locator('.transcript .turn');
    await expect.poll(() => turns.count(), eventually).toBe(3);
    expect(await turns.locator('.content').allTextContents()).toEqual(['Where is my order A-17?', 'Looking it up.', 'It ships tomorrow.']);
    expect(await turns.evaluateAll((items) => items.map((item) => item.className))).toEqual(['turn role-user', 'turn role-assistant tool-call', 'turn role-assistant']);
    expect(await turns.nth(1).locator('.tool').textContent()).toBe('tool lookup_order · call call_42');
    const tree = page.locator('.json-tree:not(.session-fields)');
    expect(await tree.locator('summary').allTextContents()).toEqual(['context {2}', 'order {2}', 'items [2]']);
    expect(await tree.textContent()).toContain('id: "A-17"');
    expect(await tree.textContent()).toContain('vip: true');
    // The session's other fields, as the snapshot gives them.
    const fields = page.locator('.session-fields');
    expect(await fields.locator('summary').allTextContents()).toEqual(['session {2}']);
    expect(await fields.textContent()).toContain('message_count: 3');
    // A closed session never expires: no `→ expires_at`.
    expect(await page.locator('.lifecycle').textContent()).toMatch(/^closed created [^→]+ → closed [^→]+$/);

    await control.summaries.flush();
    const { memory } = await control.snapshot();
    const entry = memory.find((item) => item.metadata.session_id === support.id);
    expect(entry?.text).toBeTruthy();
    await expect.poll(() => page.locator('.summary-text').textContent(), eventually).toBe(entry!.text);
    expect(await page.locator('.summary .badge').textContent()).toBe('stored');
    await page.screenshot({ path: resolve(artifacts, 'sessions-1280x800.png'), fullPage: true });
  });

  it('advances the clock from the UI: the other session shows expired and the SDK gets 409 appending to it', async () => {
    await view('controls');
    await page.getByLabel('Advance by (seconds)', { exact: true }).fill('61');
    await page.getByRole('button', { name: 'Advance clock' }).click();
    await expect.poll(() => page.getByRole('status').textContent(), eventually).toBe('Clock advanced by 61 s.');
    await page.screenshot({ path: resolve(artifacts, 'controls-1280x800.png'), fullPage: true });

    await view('sessions');
    await expect.poll(() => row(ids.billing).locator('.badge').first().textContent(), eventually).toBe('expired');
    await page.getByLabel('Status', { exact: true }).selectOption('expired');
    expect(await page.locator('tr[data-session]').evaluateAll((rows) => rows.map((tr) => tr.getAttribute('data-session')))).toEqual([ids.billing]);
    await page.getByLabel('Status', { exact: true }).selectOption('all');
    const refused = await fold.sessions.messages.add(ids.billing, { role: 'user', content: 'Hello?' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConflictError);
    expect((refused as ConflictError).status).toBe(409);
  });

  it('injects a 503 for addMessage from the UI: the SDK retries with the same idempotency key, and the requests view shows both', async () => {
    const session = await fold.sessions.create({ name: 'Retry demo' });
    ids.retry = session.id;
    await view('controls');
    await page.getByLabel('Operation', { exact: true }).selectOption('addMessage');
    await page.getByLabel('Failure', { exact: true }).selectOption('503');
    await page.getByLabel('Calls to fail', { exact: true }).fill('1');
    await page.getByRole('button', { name: 'Inject failure' }).click();
    await expect.poll(() => page.getByRole('status').textContent(), eventually).toBe('The next call of addMessage will fail (503).');

    const message = await fold.sessions.messages.add(session.id, { role: 'user', content: 'Try again, please.' });
    expect(message.content).toBe('Try again, please.');

    await view('requests');
    await page.getByLabel('Operation', { exact: true }).selectOption('addMessage');
    await page.getByLabel('Session', { exact: true }).fill(session.id);
    await page.getByLabel('Session', { exact: true }).press('Enter');
    const rows = page.locator('tr[data-request]');
    await expect.poll(() => rows.count(), eventually).toBe(2);
    // Newest first: the retry that succeeded, then the fault.
    expect(await rows.locator('td.status-cell').allTextContents()).toEqual(['201', '503']);
    expect(await rows.nth(1).locator('.flag-fault').textContent()).toBe('fault');

    const keys: string[] = [];
    const attempts: string[] = [];
    for (const index of [1, 0]) {
      await rows.nth(index).getByRole('button').click();
      const detail = page.locator('article.exchange');
      await expect.poll(() => detail.getAttribute('data-request'), eventually).toBe(await rows.nth(index).getAttribute('data-request'));
      keys.push((await detail.locator('.idempotency-key').textContent()) ?? '');
      expect(await detail.locator('pre').first().textContent()).toContain('authorization: [redacted]');
      // Which client sent it, and which attempt of the call it was (the SDK's identity headers).
      expect(await detail.locator('.user-agent').textContent()).toMatch(/^fold-sessions\/\d+\.\d+\.\d+ \(node\/\d+\.\d+\.\d+; \w+\)$/);
      const facts = await detail.locator('dt, dd').allTextContents();
      attempts.push(facts[facts.indexOf('Attempt') + 1] ?? '');
    }
    expect(keys[0]).toMatch(/\S{8,}/);
    expect(keys[1]).toBe(keys[0]);
    expect(attempts).toEqual(['1 (first), timeout 60 s', '2 (retry 1), timeout 60 s']);
    const fault = page.locator('article.exchange');
    await rows.nth(1).getByRole('button').click();
    expect(await fault.locator('dd').allTextContents()).toEqual(expect.arrayContaining(['503', 'yes, injected']));
    await page.screenshot({ path: resolve(artifacts, 'requests-1280x800.png'), fullPage: true });
    // The exchange links to its session.
    await fault.getByRole('button', { name: session.id }).click();
    await expect.poll(() => page.locator('article.session h2').textContent(), eventually).toBe('Retry demo');
    await view('requests');
  });

  it('marks idempotent replays and overrides, and filters by status', async () => {
    await fold.sessions.messages.add(ids.retry, { role: 'user', content: 'Once.' }, { idempotencyKey: 'inspector-replay-key' });
    await fold.sessions.messages.add(ids.retry, { role: 'user', content: 'Once.' }, { idempotencyKey: 'inspector-replay-key' });
    await control.override('getSession', { status: 404, body: { error: `Session ${ids.retry} not found`, code: 'NOT_FOUND', details: { id: ids.retry } } }, { times: 1, name: 'retry gone', match: { sessionId: ids.retry } });
    await control.delay('queryMemory', 1, { name: 'slow memory', match: { body: { query_text: { contains: 'slow' } } }, priority: 3 });
    await fold.sessions.get(ids.retry).catch(() => undefined);

    await page.getByLabel('Operation', { exact: true }).selectOption('');
    const rows = page.locator('tr[data-request]');
    await expect.poll(() => rows.first().locator('td.operation-cell').textContent(), eventually).toBe('getSession');
    expect(await rows.first().locator('.flag-override').textContent()).toBe('override');
    // Which stub answered, in the list and in the exchange; the stubs in force listed below.
    expect(await rows.first().locator('td.stub-cell').textContent()).toBe('retry gone');
    expect(await rows.nth(1).locator('td.stub-cell').textContent()).toBe('');
    const stubRows = page.locator('tr[data-stub]');
    await expect.poll(() => stubRows.count(), eventually).toBe(1);
    expect(await stubRows.first().locator('td').allTextContents()).toEqual(['slow memory', 'delay', 'queryMemory', '1 ms', '{"body":{"query_text":{"contains":"slow"}}}', '3', '∞']);
    await rows.first().getByRole('button').click();
    expect(await page.locator('article.exchange dd').allTextContents()).toEqual(expect.arrayContaining(['retry gone']));
    await control.stubs.remove((await control.stubs())[0]!.id);
    await expect.poll(() => page.locator('.stubs, .listing .hint').last().textContent(), eventually).toBe('No stubs: every request reaches the API.');
    // A path wraps only at a `/`: a session id is never cut, however narrow the column.
    const unbroken = await rows.first().locator('td.path button').evaluate((button, id) => {
      const text = [...button.childNodes].find((node) => node.nodeType === Node.TEXT_NODE && node.textContent === id)!;
      const range = document.createRange();
      range.selectNodeContents(text);
      (button.closest('td') as HTMLElement).style.width = '1px';
      const lines = range.getClientRects().length;
      (button.closest('td') as HTMLElement).style.width = '';
      return { lines, breaks: button.querySelectorAll('wbr').length };
    }, ids.retry);
    expect(unbroken).toEqual({ lines: 1, breaks: 2 });
    expect(await rows.nth(1).locator('.flag-replay').textContent()).toBe('replay');
    await rows.nth(1).getByRole('button').click();
    const facts = await page.locator('article.exchange dd').allTextContents();
    expect(facts).toEqual(expect.arrayContaining(['yes', 'inspector-replay-key']));

    await page.getByLabel('Status', { exact: true }).fill('404');
    await page.getByLabel('Status', { exact: true }).press('Enter');
    await expect.poll(() => rows.count(), eventually).toBe(1);
    expect(await rows.first().locator('td.operation-cell').textContent()).toBe('getSession');
    await page.getByLabel('Status', { exact: true }).fill('7');
    await page.getByLabel('Status', { exact: true }).press('Enter');
    expect(await page.getByRole('alert').textContent()).toBe('Status must be a number from 100 to 599.');
  });

  it('asks for the token when the link had none or a wrong one', async () => {
    const other = await context.newPage();
    await other.goto(`${server.url}/__fold/ui#token=not-the-token`);
    await expect.poll(() => other.getByRole('alert').textContent(), eventually).toBe('The server refused this control token.');
    await other.getByLabel('Control token').fill(token);
    await other.getByRole('button', { name: 'Open' }).click();
    await other.locator('tr[data-session]').first().waitFor();
    await other.close();
  });

  it('can be used with the keyboard alone', async () => {
    await page.goto(`${server.url}/__fold/ui`);
    await page.locator('tr[data-session]').first().waitFor();
    let reached = '';
    for (let i = 0; i < 40 && reached !== 'Support chat'; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.textContent ?? '');
    }
    expect(reached).toBe('Support chat');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('article.session h2').textContent(), eventually).toBe('Support chat');
    // The focus survives the refreshes of the list. A refresh with nothing new leaves the list as it
    // is, so a message more in another session makes the first refresh after it rebuild the list:
    // the focus moves to the new button, and stays there through the next refresh.
    await page.evaluate(() => Object.assign(document.activeElement!, { beforeRefresh: true }));
    const refreshes = await watchRefreshes(page);
    await fold.sessions.messages.add(ids.retry, { role: 'user', content: 'Still there?' });
    refreshes.mark();
    const focus = () =>
      page.evaluate((retry) => {
        const active = document.activeElement as (Element & { beforeRefresh?: boolean }) | null;
        return { focused: active?.textContent, rebuilt: active?.beforeRefresh !== true, retryMessages: document.querySelector(`tr[data-session="${retry}"] td.number`)?.textContent };
      }, ids.retry);
    const afterRefreshes = await Promise.all([refreshes.at(2, focus), refreshes.at(3, focus)]);
    await refreshes.stop();
    expect(afterRefreshes).toEqual([
      { focused: 'Support chat', rebuilt: true, retryMessages: '3' },
      { focused: 'Support chat', rebuilt: true, retryMessages: '3' },
    ]);
  });

  it('has no serious or critical axe violations, and reads at 1280x800 and 390x844', async () => {
    const found: Record<string, unknown> = {};
    for (const [width, height] of [
      [1280, 800],
      [390, 844],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.goto(`${server.url}/__fold/ui`);
      await row(ids.support).getByRole('button').click();
      await page.locator('.transcript').waitFor();
      found[`sessions ${width}`] = await seriousViolations(page);
      expect(await sidewaysOverflow(page), `sessions view at ${width}x${height}`).toEqual([]);
      await page.screenshot({ path: resolve(artifacts, `sessions-${width}x${height}.png`), fullPage: true });

      await view('requests');
      await page.locator('tr[data-request]').first().getByRole('button').click();
      await page.locator('article.exchange').waitFor();
      found[`requests ${width}`] = await seriousViolations(page);
      expect(await sidewaysOverflow(page), `requests view at ${width}x${height}`).toEqual([]);
      await page.screenshot({ path: resolve(artifacts, `requests-${width}x${height}.png`), fullPage: true });

      await view('controls');
      found[`controls ${width}`] = await seriousViolations(page);
      expect(await sidewaysOverflow(page), `controls view at ${width}x${height}`).toEqual([]);
      await page.screenshot({ path: resolve(artifacts, `controls-${width}x${height}.png`), fullPage: true });
    }
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((name) => [name, []])));
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('asks once before a reset, and resets through the control API', async () => {
    await page.goto(`${server.url}/__fold/ui`);
    await view('controls');
    await page.getByRole('button', { name: 'Reset server…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await page.getByRole('dialog').count()).toBe(0);
    // From the keyboard: Enter opens it with the focus on Cancel, Escape closes it.
    await page.getByRole('button', { name: 'Reset server…' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent), eventually).toBe('Cancel');
    await page.keyboard.press('Escape');
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect((await control.snapshot()).sessions).toHaveLength(3);

    await page.getByRole('button', { name: 'Reset server…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Reset' }).click();
    await expect.poll(() => page.getByRole('status').textContent(), eventually).toBe('The server was reset.');
    expect((await control.snapshot()).sessions).toEqual([]);

    await page.getByRole('button', { name: 'Seed example session' }).click();
    await expect.poll(() => page.getByRole('status').textContent(), eventually).toMatch(/^Seeded an example session in org_dev\.$/);
    const seeded = (await control.snapshot()).sessions;
    expect(seeded.map((doc) => [doc.org_id, doc.session.name, doc.messages.length])).toEqual([['org_dev', 'Example support chat', 4]]);
    // The SDK reads what the UI seeded.
    expect((await fold.sessions.get(seeded[0]!.session.id)).messages).toHaveLength(4);
  });

  it('renders every operation of openapi/sessions.yaml in the API reference, with this server first', async () => {
    const spec = parse(readFileSync(resolve(import.meta.dirname, '../../openapi/sessions.yaml'), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(spec.paths).flatMap(([path, item]) => Object.keys(item).filter((key) => methods.includes(key)).map((method) => `${method.toUpperCase()} ${path}`));
    expect(operations.length).toBeGreaterThanOrEqual(9);

    await page.goto(`${server.url}/__fold/docs`);
    const blocks = page.locator('.opblock');
    await expect.poll(() => blocks.count(), { timeout: 15_000 }).toBe(operations.length);
    const shown = await blocks.evaluateAll((items) =>
      items.map((item) => `${item.querySelector('.opblock-summary-method')?.textContent} ${item.querySelector('.opblock-summary-path')?.getAttribute('data-path')}`),
    );
    expect(shown.sort()).toEqual(operations.sort());
    expect(await page.locator('.servers select option').first().textContent()).toBe(`${server.url} - This server (fold-sessions-mock)`);
    await expect.poll(() => page.locator('.servers select').getAttribute('aria-label'), eventually).toBe('Server');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: resolve(artifacts, 'docs-1280x800.png') });

    // "Try it out" calls this server.
    await page.locator('.btn.authorize').click();
    await page.locator('.auth-container input').fill('fold_dev_key');
    await page.locator('.auth-btn-wrapper .authorize').click();
    await page.locator('.auth-btn-wrapper .btn-done').click();
    const list = page.locator('#operations-sessions-listSessions');
    await list.locator('.opblock-summary-control').click();
    await list.locator('.try-out__btn').click();
    await list.locator('.execute').click();
    await expect.poll(() => list.locator('.live-responses-table tbody .response-col_status').first().textContent(), eventually).toBe('200');
    expect((await list.locator('.request-url pre').textContent())?.split('?')[0]).toBe(`${server.url}/sessions`);
    const fromBrowser = await control.requests({ operationId: 'listSessions', status: 200 });
    expect(fromBrowser.some((exchange) => /Chrome/.test(exchange.request_headers['user-agent'] ?? ''))).toBe(true);
  });

  it('links both pages from GET /, which passes the axe check too', async () => {
    await page.goto(`${server.url}/`);
    expect(await page.getByRole('link').evaluateAll((links) => links.map((link) => link.getAttribute('href')))).toEqual(['/__fold/ui', '/__fold/docs']);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Inspector' }).click();
    // The token of this tab is kept: the inspector opens without asking again.
    await page.locator('button.tab[data-view="sessions"]').waitFor();
  });

  it('logged no errors in the browser console', () => {
    expect(consoleErrors).toEqual([]);
  });
});
