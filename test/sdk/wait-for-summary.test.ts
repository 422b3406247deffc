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

/**
 * A summarizer whose answer for a session waits until the test opens that session's gate (by
 * name), so "still pending" and "stored after N polls" do not depend on the machine's speed.
 */
function gatedSummarizer() {
  const gates = new Map<string, { open: () => void; opened: Promise<void> }>();
  const gate = (name: string) => {
    let found = gates.get(name);
    if (!found) {
      let open!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      gates.set(name, (found = { open, opened }));
    }
    return found;
  };
  const summarizer: Summarizer = {
    summarize: async ({ session }) => {
      await gate(session.name).opened;
      return `summary of ${session.name}`;
    },
  };
  return { summarizer, open: (name: string) => gate(name).open(), openAll: () => gates.forEach(({ open }) => open()) };
}

async function conversation(fold: FoldSessions, name: string) {
  const session = await fold.sessions.create({ name });
  await fold.sessions.messages.add(session.id, { role: 'user', content: 'hello' });
  return session;
}

describe('waitForSummary against the MSW handlers', () => {
  const gates = gatedSummarizer();
  const slow = createSessionsHandlers({ baseUrl: 'https://slow.test', summarizer: gates.summarizer });
  const failing = createSessionsHandlers({ baseUrl: 'https://failing.test', summarizer: slowSummarizer(100, true) });
  const server = setupServer(...slow.handlers, ...failing.handlers);
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterAll(async () => {
    server.close();
    gates.openAll();
    await slow.controller.summaries.flush();
    await failing.controller.summaries.flush();
  });

  it('close({ waitForSummary: true }) resolves with the stored summary of a slow summarizer, polling with backoff', async () => {
    // When each poll of the session started; the summary is stored right after the 4th poll's answer.
    const polls: number[] = [];
    const fold = new FoldSessions({
      apiKey: 'k',
      baseURL: 'https://slow.test',
      // The SDK hands a custom fetch one Request that carries everything.
      fetch: async (input) => {
        const request = input as Request;
        const poll = request.method === 'GET';
        if (poll) polls.push(performance.now());
        const response = await fetch(request);
        if (poll && polls.length === 4) gates.open('slow');
        return response;
      },
    });
    const session = await conversation(fold, 'slow');
    const before = (await slow.controller.requests({ operationId: 'getSession' })).length;
    try {
      const closed = await fold.sessions.close(session.id, { waitForSummary: { intervalMs: 20 } });
      expect(closed.summary_status).toBe('stored');
      expect(closed.messages).toHaveLength(1);
    } finally {
      gates.open('slow');
    }
    // Four polls saw `pending`, the fifth `stored`; between them, waits of at least 20, 30, 45 and
    // 67.5 ms (1 ms less for timer rounding): backoff, not a fixed interval.
    expect(polls).toHaveLength(5);
    expect((await slow.controller.requests({ operationId: 'getSession' })).length - before).toBe(5);
    const waits = polls.slice(1).map((at, i) => at - polls[i]!);
    waits.forEach((wait, i) => expect(wait).toBeGreaterThanOrEqual(20 * 1.5 ** i - 1));
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
