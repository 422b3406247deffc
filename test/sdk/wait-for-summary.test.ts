import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APIUserAbortError, FoldSessions, WaitTimeoutError } from 'fold-sessions';
import { createSessionsHandlers, type Summarizer } from 'fold-sessions-mock/msw';
import { startReferenceServer, type ReferenceServer } from '../support/reference-server.js';

/** A summarizer that takes `ms`, then answers or fails as its text says. */
function slowSummarizer(ms: number, fail = false): Summarizer {
  return {
    summarize: ({ session }) =>
      new Promise((resolve, reject) => setTimeout(() => (fail ? reject(new Error('model down')) : resolve(`summary of ${session.name}`)), ms)),
  };
}

async function conversation(fold: FoldSessions, name: string) {
  const session = await fold.sessions.create({ name });
  await fold.sessions.messages.add(session.id, { role: 'user', content: 'hello' });
  return session;
}

describe('waitForSummary against the MSW handlers', () => {
  const slow = createSessionsHandlers({ baseUrl: 'https://slow.test', summarizer: slowSummarizer(300) });
  const failing = createSessionsHandlers({ baseUrl: 'https://failing.test', summarizer: slowSummarizer(100, true) });
  const server = setupServer(...slow.handlers, ...failing.handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(async () => {
    server.close();
    await slow.controller.summaries.flush();
    await failing.controller.summaries.flush();
  });

  it('close({ waitForSummary: true }) resolves with the stored summary of a slow summarizer, polling with backoff', async () => {
    const fold = new FoldSessions({ apiKey: 'k', baseURL: 'https://slow.test' });
    const session = await conversation(fold, 'slow');
    const before = (await slow.controller.requests({ operationId: 'getSession' })).length;
    const closed = await fold.sessions.close(session.id, { waitForSummary: { intervalMs: 20 } });
    expect(closed.summary_status).toBe('stored');
    expect(closed.messages).toHaveLength(1);
    const polls = (await slow.controller.requests({ operationId: 'getSession' })).length - before;
    // 300 ms of summarizing, waits of 20, 30, 45, 67, 101, 151 ms: a handful of polls, not dozens.
    expect(polls).toBeGreaterThanOrEqual(3);
    expect(polls).toBeLessThanOrEqual(8);
  });

  it('resolves with failed when the summarizer fails', async () => {
    const fold = new FoldSessions({ apiKey: 'k', baseURL: 'https://failing.test' });
    const session = await conversation(fold, 'failing');
    await fold.sessions.close(session.id);
    expect((await fold.sessions.waitForSummary(session.id, { intervalMs: 10 })).summary_status).toBe('failed');
  });

  it('resolves at once with none for a session without messages, and times out or aborts clearly', async () => {
    const fold = new FoldSessions({ apiKey: 'k', baseURL: 'https://slow.test' });
    const empty = await fold.sessions.create({ name: 'empty' });
    expect((await fold.sessions.close(empty.id, { waitForSummary: true })).summary_status).toBe('none');

    const pending = await conversation(fold, 'still pending');
    await fold.sessions.close(pending.id);
    const timeout = await fold.sessions.waitForSummary(pending.id, { intervalMs: 10, timeoutMs: 50 }).catch((error: unknown) => error);
    expect(timeout).toBeInstanceOf(WaitTimeoutError);
    expect((timeout as Error).message).toMatch(/still pending after 50 ms/);

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    await expect(fold.sessions.waitForSummary(pending.id, { intervalMs: 500, signal: controller.signal })).rejects.toBeInstanceOf(APIUserAbortError);
    await expect(fold.sessions.waitForSummary(pending.id, { intervalMs: 0 })).rejects.toThrow(/intervalMs must be a whole number ≥ 1/);
  });
});

describe('waitForSummary against the reference server', () => {
  let server: ReferenceServer;
  beforeAll(async () => {
    server = await startReferenceServer({ summarizer: slowSummarizer(150) });
  });
  afterAll(() => server.close());

  it('close({ waitForSummary: true }) resolves once the summary is stored and in memory', async () => {
    const fold = new FoldSessions({ apiKey: server.apiKey, baseURL: server.url });
    const session = await conversation(fold, 'over http');
    const closed = await fold.sessions.close(session.id, { waitForSummary: true });
    expect(closed.summary_status).toBe('stored');
    const memory = await fold.memory.query({ query_text: 'summary of over http' });
    expect(memory.matches[0]?.metadata.session_id).toBe(session.id);
  });
});
