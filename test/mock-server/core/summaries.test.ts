import { describe, expect, it } from 'vitest';
import { zMemoryQueryResult } from 'fold-sessions/zod';
import {
  createManualClock,
  defaultSummarizer,
  LowdbSessionStore,
  SessionsService,
  type Summarizer,
} from 'fold-sessions-mock';
import { cosineSimilarity, tokenize } from '../../../mock-server/src/core/similarity.js';

const lexicalSimilarity = (a: string, b: string) => cosineSimilarity(tokenize(a), tokenize(b));

const start = Date.UTC(2025, 0, 1);

function setup(summarizer?: Summarizer) {
  const clock = createManualClock(start);
  const store = LowdbSessionStore.inMemory();
  const errors: unknown[] = [];
  const service = new SessionsService({
    store,
    clock,
    ...(summarizer && { summarizer }),
    onSummaryError: (error) => errors.push(error),
  });
  return { clock, store, service, errors };
}

async function conversation(service: SessionsService, org: string, name: string, turns: Array<[string, string]>) {
  const { id } = await service.createSession(org, { name, ttl_seconds: 3600 });
  for (const [user, assistant] of turns) {
    await service.addMessage(org, id, { role: 'user', content: user });
    await service.addMessage(org, id, { role: 'assistant', content: assistant });
  }
  return id;
}

const query = (service: SessionsService, org: string, text: string, top_k = 5) =>
  service.queryMemory(org, { query_text: text, top_k, namespace: 'session-memory' }).then((result) => zMemoryQueryResult.parse(result));

describe('summaries after close', () => {
  it('goes pending on close, then stored, and the summary is found by a memory query', async () => {
    const { service, clock } = setup();
    const id = await conversation(service, 'org_a', 'Billing question', [['Why was my invoice charged twice?', 'A duplicate charge was refunded.']]);
    clock.advance(100);
    const closed = await service.closeSession('org_a', id);
    expect(closed.summary_status).toBe('pending');
    await service.summaries.flush();
    expect((await service.getSession('org_a', id)).summary_status).toBe('stored');

    const result = await query(service, 'org_a', 'invoice charged twice');
    expect(result.count).toBe(1);
    expect(result.matches[0]).toMatchObject({
      metadata: { session_id: id, name: 'Billing question', message_count: 2, closed_at: start + 100 },
    });
    expect(result.matches[0]!.text).toContain('Why was my invoice charged twice?');
    expect(result.matches[0]!.score).toBeGreaterThan(0);
    expect(result.matches[0]!.score).toBeLessThanOrEqual(1);
  });

  it('writes nothing for a session closed without messages', async () => {
    const { service } = setup();
    const { id } = await service.createSession('org_a', { name: 'Empty chat', ttl_seconds: 60 });
    expect((await service.closeSession('org_a', id)).summary_status).toBe('none');
    await service.summaries.flush();
    expect((await service.getSession('org_a', id)).summary_status).toBe('none');
    expect((await query(service, 'org_a', 'Empty chat')).count).toBe(0);
  });

  it('marks the summary failed when the summarizer throws, and the close still succeeds', async () => {
    const { service, errors } = setup({
      summarize() {
        throw new Error('model unavailable');
      },
    });
    const id = await conversation(service, 'org_a', 'Doomed', [['hello', 'hi']]);
    expect((await service.closeSession('org_a', id)).status).toBe('closed');
    await service.summaries.flush();
    expect((await service.getSession('org_a', id)).summary_status).toBe('failed');
    expect(errors).toHaveLength(1);
    expect((await query(service, 'org_a', 'hello hi Doomed')).count).toBe(0);
  });

  it('a slow summarizer does not hold up the close', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { service } = setup({
      async summarize() {
        await gate;
        return 'slow summary';
      },
    });
    const id = await conversation(service, 'org_a', 'Slow', [['a', 'b']]);
    const closed = await service.closeSession('org_a', id);
    expect(closed.summary_status).toBe('pending');
    expect(service.summaries.pending).toBe(1);
    release();
    await service.summaries.flush();
    expect((await service.getSession('org_a', id)).summary_status).toBe('stored');
  });

  it('a repeated close writes no second summary', async () => {
    let calls = 0;
    const { service } = setup({ summarize: () => `summary ${++calls}` });
    const id = await conversation(service, 'org_a', 'Once', [['a', 'b']]);
    await service.closeSession('org_a', id);
    await service.summaries.flush();
    await service.closeSession('org_a', id);
    await service.summaries.flush();
    expect(calls).toBe(1);
  });

  it('memory stays after the session is deleted', async () => {
    const { service } = setup();
    const id = await conversation(service, 'org_a', 'Keep me', [['remember the blue widget', 'noted']]);
    await service.closeSession('org_a', id);
    await service.summaries.flush();
    await service.deleteSession('org_a', id);
    expect((await query(service, 'org_a', 'blue widget')).matches[0]?.metadata.session_id).toBe(id);
  });

  it('the default summarizer is deterministic: name, counts by role, first user and last assistant message', () => {
    const input = {
      session: { name: 'Support' } as never,
      messages: [
        { role: 'user', content: 'first question' },
        { role: 'assistant', content: 'early answer' },
        { role: 'user', content: 'second question' },
        { role: 'assistant', content: `final answer ${'x'.repeat(500)}` },
      ] as never,
    };
    const text = defaultSummarizer.summarize(input) as string;
    expect(text).toBe(defaultSummarizer.summarize(input));
    expect(text).toMatch(/^Session "Support": 2 user and 2 assistant messages\. First user message: first question Last assistant message: final answer x+…$/);
    expect(text.length).toBeLessThan(400);
  });
});

describe('memory query', () => {
  it('ranks best first, honours top_k, and leaves out entries sharing no word', async () => {
    const { service } = setup({ summarize: ({ session }) => session.name });
    for (const name of ['refund for a double charge', 'password reset help', 'charge dispute and refund status update']) {
      const id = await conversation(service, 'org_a', name, [['x', 'y']]);
      await service.closeSession('org_a', id);
    }
    await service.summaries.flush();
    const all = await query(service, 'org_a', 'refund charge');
    expect(all.matches.map((match) => match.text)).toEqual(['refund for a double charge', 'charge dispute and refund status update']);
    expect(all.matches[0]!.score).toBeGreaterThan(all.matches[1]!.score);
    expect((await query(service, 'org_a', 'refund charge', 1)).matches.map((match) => match.text)).toEqual(['refund for a double charge']);
    expect((await query(service, 'org_a', 'zebra')).count).toBe(0);
  });

  it("never returns another organisation's memory", async () => {
    const { service } = setup();
    const id = await conversation(service, 'org_a', 'Secret roadmap', [['tell me the roadmap', 'it is secret']]);
    await service.closeSession('org_a', id);
    await service.summaries.flush();
    expect((await query(service, 'org_a', 'secret roadmap')).count).toBe(1);
    expect((await query(service, 'org_b', 'secret roadmap')).count).toBe(0);
  });

  it('lexical similarity is 1 for the same words, 0 for none in common, and symmetric', () => {
    expect(lexicalSimilarity('Blue widget', 'widget BLUE')).toBeCloseTo(1, 10);
    expect(lexicalSimilarity('blue widget', 'red gadget')).toBe(0);
    expect(lexicalSimilarity('a b c', 'a b')).toBeCloseTo(lexicalSimilarity('a b', 'a b c'), 12);
  });
});
