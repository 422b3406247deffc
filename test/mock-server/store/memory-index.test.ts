import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryIndex } from '../../../mock-server/src/store/memory-index.js';
import { cosineSimilarity, tokenize } from '../../../mock-server/src/core/similarity.js';
import type { MemoryEntry } from '../../../mock-server/src/core/types.js';

const words = ['parcel', 'invoice', 'refund', 'late', 'the', 'pro', 'plan', 'Ünïcode', '42', 'support'];
const text = fc.array(fc.constantFrom(...words), { minLength: 0, maxLength: 12 }).map((list) => list.join(' '));

const entry = (id: string, body: string, orgId = 'org_a'): MemoryEntry => ({
  id,
  org_id: orgId,
  namespace: 'session-memory',
  text: body,
  metadata: { session_id: `sess_${id}`, name: id, message_count: 1, closed_at: 0 },
});

describe('MemoryIndex', () => {
  it('finds exactly the entries a full scan scores above 0, with the same scores', () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 30 }), text, (texts, query) => {
        const index = new MemoryIndex();
        texts.forEach((body, i) => index.add(entry(`m${i}`, body)));
        const queryWords = tokenize(query);
        const expected = texts
          .map((body, i) => ({ id: `m${i}`, score: cosineSimilarity(queryWords, tokenize(body)) }))
          .filter((found) => found.score > 0);
        const actual = index.search('org_a', queryWords).map((found) => ({ id: found.entry.id, score: found.score }));
        const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
        expect(actual.sort(byId).map((found) => found.id)).toEqual(expected.sort(byId).map((found) => found.id));
        actual.forEach((found, i) => expect(found.score).toBeCloseTo(expected[i]!.score, 12));
      }),
    );
  });

  it('replaces an entry by id, removes it, keeps organisations apart and clears', () => {
    const index = new MemoryIndex();
    index.add(entry('a', 'late parcel'));
    index.add(entry('b', 'late parcel', 'org_b'));
    index.add(entry('a', 'invoice refund'));
    expect(index.search('org_a', tokenize('parcel'))).toEqual([]);
    expect(index.search('org_a', tokenize('refund')).map((found) => found.entry.id)).toEqual(['a']);
    expect(index.search('org_b', tokenize('parcel')).map((found) => found.entry.id)).toEqual(['b']);
    index.remove('org_a', 'a');
    expect(index.search('org_a', tokenize('refund'))).toEqual([]);
    index.clear();
    expect(index.search('org_b', tokenize('parcel'))).toEqual([]);
  });
});
