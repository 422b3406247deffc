// Memory query time at 1,000 and 100,000 stored summaries, in this process, with the word index
// (what the server does) and with a full scan of every entry (what it did before the index).
// The summaries' topic words come from a vocabulary that grows with memory (twice as many words as
// summaries), so a topic word matches about a dozen summaries at either size: the ratio shows
// what the size of memory itself costs. A query of the built-in summary's fixed words ("user
// messages") matches every summary and is timed too: its cost follows its matches by design.
// Prints one JSON line; `npm run bench` runs it and checks the ratio.
import { createManualClock, LowdbSessionStore, SessionsService } from 'fold-sessions-mock';
import { seededRandom as seeded } from '../../mock-server/src/core/random.ts';
import { withTransactions } from '../../mock-server/src/store/transactions.ts';

const sizes = [1_000, 100_000];
const queries = 60;

function sentence(random, length, size) {
  return Array.from({ length }, () => `w${Math.floor(random() * size * 2).toString(36)}`).join(' ');
}

async function build(size, indexed) {
  const random = seeded(size);
  const inner = LowdbSessionStore.inMemory();
  const writes = [];
  for (let i = 0; i < size; i++) {
    const id = String(i).padStart(16, '0');
    // The built-in summary's fixed words, then what the conversation was about.
    const text = `Session "chat ${i}": 2 user and 2 assistant messages. First user message: ${sentence(random, 12, size)} Last assistant message: ${sentence(random, 12, size)}`;
    writes.push(inner.upsertMemory({ id: `mem_${id}`, org_id: 'org_bench', namespace: 'session-memory', text, metadata: { session_id: `sess_${id}`, name: `chat ${i}`, message_count: 4, closed_at: 0 } }));
  }
  await Promise.all(writes);
  // Without `searchMemory` the service scores every entry, as it did before the index.
  const store = indexed ? inner : withTransactions({ getSession: () => undefined, memoryOf: (orgId) => inner.memoryOf(orgId) });
  return new SessionsService({ store, clock: createManualClock() });
}

async function timeQueries(service, size, fixed) {
  const random = seeded(7);
  const texts = Array.from({ length: queries }, () => fixed ?? sentence(random, 3, size));
  for (const query_text of texts.slice(0, 10)) await service.queryMemory('org_bench', { query_text, top_k: 5, namespace: 'session-memory' });
  const times = [];
  for (const query_text of texts) {
    const started = performance.now();
    await service.queryMemory('org_bench', { query_text, top_k: 5, namespace: 'session-memory' });
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const result = {};
for (const size of sizes) {
  const indexed = await build(size, true);
  result[size] = {
    indexedMs: await timeQueries(indexed, size),
    scanMs: await timeQueries(await build(size, false), size),
    everySummaryMs: await timeQueries(indexed, size, 'user messages'),
  };
}
result.ratio = result[100_000].indexedMs / result[1_000].indexedMs;
console.log(JSON.stringify(result));
