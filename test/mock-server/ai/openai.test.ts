import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createManualClock,
  createSessionsApi,
  ModelServerError,
  openAIEmbedder,
  openAISummarizer,
  openFileStore,
  type ApiRequest,
  type SessionsApiOptions,
} from 'fold-sessions-mock';
import { trimTranscript } from '../../../mock-server/src/ai/summarizer.js';
import { chatAnswer, startModelStub, type StubReply, type StubRequest } from './model-stub.js';

const stubs: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const stub of stubs.splice(0)) await stub.close();
});

async function stub(reply: (request: StubRequest, seen: StubRequest[]) => StubReply) {
  const held = new Set<StubRequest>();
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const started = await startModelStub((request, seen) => {
    const answer = reply(request, seen);
    if (answer.hold) held.add(request);
    for (const waiter of waiters.filter(({ count }) => count <= seen.length)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    return answer;
  });
  stubs.push(started);
  return {
    ...started,
    /** The requests it received whose reply has a `hold`: unanswered until the test releases it. */
    held,
    /** Resolves once the stub has received `count` requests. */
    whenSeen: (count: number) => (started.seen.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve }))),
  };
}

/**
 * A `fetch` for the summarizer in which an attempt's timeout only takes effect once the stub has
 * received that attempt and is holding it: on a loaded machine the timer could otherwise fire
 * before the request reaches the stub, or while an immediate answer is on its way. The
 * summarizer's own `timeoutMs` still decides that, and when, an attempt is given up.
 */
function timeoutsCutOnlyHeldAttempts(model: Awaited<ReturnType<typeof stub>>): typeof fetch {
  let attempts = 0;
  return (input, init) => {
    const attempt = ++attempts;
    const forwarded = new AbortController();
    const signal = init?.signal;
    signal?.addEventListener(
      'abort',
      () => void model.whenSeen(attempt).then(() => model.held.has(model.seen[attempt - 1]!) && forwarded.abort(signal.reason)),
      { once: true },
    );
    return fetch(input, { ...init, signal: forwarded.signal });
  };
}

const never = new Promise<never>(() => {});

const noWait = async () => {};

function api(options: SessionsApiOptions) {
  const built = createSessionsApi({ keys: { k: 'org_a' }, clock: createManualClock(), ...options });
  const call = async (method: string, path: string, body?: unknown) => {
    const request: ApiRequest = { method, path, headers: { authorization: 'Bearer k', 'content-type': 'application/json' }, ...(body !== undefined && { rawBody: JSON.stringify(body) }) };
    const response = await built.handle(request);
    return response as { status: number; body: any; headers: Record<string, string> };
  };
  async function conversation(name: string, contents: string[]) {
    const { body: session } = await call('POST', '/sessions', { name });
    for (const [i, content] of contents.entries()) await call('POST', `/sessions/${session.id}/messages`, { role: i % 2 ? 'assistant' : 'user', content });
    await call('POST', `/sessions/${session.id}/close`);
    await built.controller.summaries.flush();
    return (await call('GET', `/sessions/${session.id}`)).body;
  }
  return { ...built, call, conversation };
}

describe('openAISummarizer', () => {
  it('stores the model’s summary, sending the model, the instructions and the transcript with the key', async () => {
    const model = await stub(() => chatAnswer('  The user asked where their parcel is; it ships Monday.  '));
    const { conversation, call } = api({ summarizer: openAISummarizer({ baseURL: model.url, model: 'llama3.2', apiKey: 'sk-local' }) });
    const session = await conversation('Parcel', ['Where is my parcel?', 'It ships Monday.']);
    expect(session.summary_status).toBe('stored');
    const memory = await call('POST', '/vectors/query', { query_text: 'parcel ships' });
    expect(memory.body.matches[0].text).toBe('The user asked where their parcel is; it ships Monday.');
    expect(memory.headers['memory-ranking']).toBe('lexical');

    expect(model.seen).toHaveLength(1);
    const [request] = model.seen;
    expect(request!.path).toBe('/v1/chat/completions');
    expect(request!.headers.authorization).toBe('Bearer sk-local');
    expect(request!.body.model).toBe('llama3.2');
    expect(request!.body.messages[0]).toMatchObject({ role: 'system', content: expect.stringContaining('factual summary') });
    expect(request!.body.messages[1].content).toContain('user: Where is my parcel?\nassistant: It ships Monday.');
  });

  it('trims the transcript to its budget: the first message, a note, and the latest messages that fit', async () => {
    const model = await stub(() => chatAnswer('summary'));
    const contents = Array.from({ length: 40 }, (_, i) => `message number ${i} ${'x'.repeat(60)}`);
    const { conversation } = api({ summarizer: openAISummarizer({ baseURL: model.url, model: 'm', maxTranscriptChars: 500 }) });
    await conversation('Long', contents);
    const sent: string = model.seen[0]!.body.messages[1].content;
    const transcript = sent.slice(sent.indexOf('\n\n') + 2);
    expect(transcript.length).toBeLessThanOrEqual(500);
    expect(transcript).toContain('message number 0 ');
    expect(transcript).toContain('message number 39 ');
    expect(transcript).toMatch(/\[\d+ messages left out\]/);
    expect(transcript).not.toContain('message number 20 ');
    expect(trimTranscript([], 500)).toBe('');
  });

  it('retries a 429 (honouring Retry-After) and then succeeds', async () => {
    const model = await stub((_request, seen) => (seen.length === 1 ? { status: 429, headers: { 'retry-after': '0' }, body: { error: 'slow down' } } : chatAnswer('after a retry')));
    const { conversation, call } = api({ summarizer: openAISummarizer({ baseURL: model.url, model: 'm' }) });
    expect((await conversation('Retry', ['hi'])).summary_status).toBe('stored');
    expect(model.seen).toHaveLength(2);
    expect((await call('POST', '/vectors/query', { query_text: 'retry' })).body.matches[0].text).toBe('after a retry');
  });

  it.each([
    ['a 500 every time, after its retries', () => ({ status: 500, body: { error: 'down' } }), 3, /500/],
    ['a malformed answer', () => ({ body: { choices: [] } }), 1, /no text in choices\[0\]\.message\.content/],
    ['an answer that is not JSON', () => ({ text: '<html>' }), 1, /not JSON/],
    ['no answer within the timeout', () => ({ hold: never, ...chatAnswer('late') }), 1, /no answer within 100 ms/],
  ])('marks the summary failed on %s, with the cause', async (_name, reply, calls, cause) => {
    const model = await stub(reply as () => StubReply);
    const onSummaryError = vi.fn();
    const gated = timeoutsCutOnlyHeldAttempts(model);
    const summarizer = openAISummarizer({ baseURL: model.url, model: 'm', timeoutMs: 100, maxRetries: calls === 3 ? 2 : 0, sleep: noWait, fetch: gated });
    const { conversation, call } = api({ summarizer, onSummaryError });
    const session = await conversation('Failing', ['hello']);
    expect(session.summary_status).toBe('failed');
    expect(model.seen).toHaveLength(calls);
    expect(onSummaryError).toHaveBeenCalledWith(expect.any(ModelServerError), session.id);
    expect(String(onSummaryError.mock.calls[0]![0].message)).toMatch(cause);
    expect((await call('POST', '/vectors/query', { query_text: 'hello' })).body.count).toBe(0);
  });

  it('a close is never slowed by the model', async () => {
    let release!: () => void;
    const answer = new Promise<void>((resolve) => (release = resolve));
    const model = await stub(() => ({ hold: answer, ...chatAnswer('slow') }));
    const { call, controller } = api({ summarizer: openAISummarizer({ baseURL: model.url, model: 'm' }) });
    const { body: session } = await call('POST', '/sessions', { name: 'Slow' });
    await call('POST', `/sessions/${session.id}/messages`, { role: 'user', content: 'hi' });
    try {
      // The model answers only when released below, after the close: a close that waited for it would never resolve.
      const closed = await call('POST', `/sessions/${session.id}/close`);
      expect(closed.body.summary_status).toBe('pending');
      await model.whenSeen(1);
      expect(model.seen).toHaveLength(1);
      expect(model.held.size).toBe(1);
    } finally {
      release();
    }
    await controller.summaries.flush();
    expect((await call('GET', `/sessions/${session.id}`)).body.summary_status).toBe('stored');
  });

  it('refuses bad options at once', () => {
    expect(() => openAISummarizer({ baseURL: 'localhost:11434', model: 'm' })).toThrow(/baseURL must be an http\(s\) URL/);
    expect(() => openAISummarizer({ baseURL: 'http://x/v1', model: '' })).toThrow(/model must be a non-empty string/);
    expect(() => openAISummarizer({ baseURL: 'http://x/v1', model: 'm', maxTranscriptChars: 10 })).toThrow(/maxTranscriptChars/);
  });
});

/** A tiny "semantic" embedding: one dimension per topic, found by related words. */
const topics = [/parcel|shipping|shipment|delivery|courier/i, /invoice|billing|payment|refund/i];
const embedding = (text: string) => [...topics.map((topic) => (topic.test(text) ? 1 : 0)), 0.05];

describe('openAIEmbedder', () => {
  const embeddingsStub = (down = false) =>
    stub((request) => {
      if (down) return { status: 503, body: { error: 'down' } };
      if (request.path !== '/v1/embeddings') return chatAnswer('unused');
      return { body: { data: (request.body.input as string[]).map((text, index) => ({ index, embedding: embedding(text) })) } };
    });

  it('ranks a summary close in meaning first where words alone find nothing, and stores its vector', async () => {
    const model = await embeddingsStub();
    const { conversation, call, controller } = api({ embedder: openAIEmbedder({ baseURL: model.url, model: 'nomic-embed-text' }) });
    const parcel = await conversation('Late parcel', ['My courier never came', 'We will resend it']);
    await conversation('Invoice', ['The invoice total is wrong', 'A refund is on its way']);

    const lexical = createSessionsApi({ keys: { k: 'org_a' }, initialData: await controller.snapshot() });
    const byWords = await lexical.handle({ method: 'POST', path: '/vectors/query', headers: { authorization: 'Bearer k', 'content-type': 'application/json' }, rawBody: JSON.stringify({ query_text: 'shipment delay' }) });
    expect((byWords.body as { count: number }).count).toBe(0);

    const byMeaning = await call('POST', '/vectors/query', { query_text: 'shipment delay' });
    expect(byMeaning.headers['memory-ranking']).toBe('embeddings');
    expect(byMeaning.body.matches[0].metadata.session_id).toBe(parcel.id);
    expect(byMeaning.body.matches[0].score).toBeGreaterThan(byMeaning.body.matches[1].score);
    expect((await controller.snapshot()).memory.every((entry) => Array.isArray(entry.vector) && entry.vector.length === 3)).toBe(true);
    expect(model.seen.find((request) => request.path === '/v1/embeddings')!.body).toMatchObject({ model: 'nomic-embed-text', input: [expect.any(String)] });
  });

  it('falls back to words when the embedding endpoint is down, and says so', async () => {
    const model = await embeddingsStub(true);
    const onEmbeddingError = vi.fn();
    const { conversation, call } = api({ embedder: openAIEmbedder({ baseURL: model.url, model: 'm', maxRetries: 0 }), onEmbeddingError });
    const session = await conversation('Invoice', ['The invoice total is wrong']);
    expect(session.summary_status).toBe('stored');
    const found = await call('POST', '/vectors/query', { query_text: 'invoice total' });
    expect(found.headers['memory-ranking']).toBe('lexical-fallback');
    expect(found.body.count).toBe(1);
    expect(onEmbeddingError.mock.calls.map(([error, during]) => [error.name, during])).toEqual([
      ['ModelServerError', 'summary'],
      ['ModelServerError', 'query'],
    ]);
  });

  it('refuses an answer with the wrong number of vectors or a bad vector', async () => {
    const wrong = await stub(() => ({ body: { data: [] } }));
    await expect(openAIEmbedder({ baseURL: wrong.url, model: 'm' }).embed(['a'])).rejects.toThrow(/0 vectors for 1 texts/);
    const bad = await stub(() => ({ body: { data: [{ index: 0, embedding: ['x'] }] } }));
    await expect(openAIEmbedder({ baseURL: bad.url, model: 'm' }).embed(['a'])).rejects.toThrow(/not a non-empty list of numbers/);
  });

  it('keeps vectors across a restart of a file store', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fold-embeddings-'));
    try {
      const model = await embeddingsStub();
      const db = join(dir, 'sessions.json');
      const store = await openFileStore(db);
      const { conversation } = api({ store, embedder: openAIEmbedder({ baseURL: model.url, model: 'm' }) });
      await conversation('Late parcel', ['My courier never came']);
      await store.flush();
      const again = await openFileStore(db);
      const reopened = createSessionsApi({ store: again });
      const [entry] = (await reopened.controller.snapshot()).memory;
      // The journal is compacted into the documents in the background after start-up.
      await again.compact();
      expect(entry!.vector).toEqual(embedding(entry!.text));
      expect(JSON.parse(await readFile(db, 'utf8')).memory[0].vector).toHaveLength(3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
