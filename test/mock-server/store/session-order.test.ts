import { describe, expect, it } from 'vitest';
import type { SessionDocument } from 'fold-sessions-mock';
import { newestFirst, type ListPosition } from '../../../mock-server/src/core/cursor.js';
import { SessionOrder } from '../../../mock-server/src/store/session-order.js';

function doc(created_at: number, id: string): SessionDocument {
  return {
    org_id: 'org_a',
    session: {
      id,
      name: id,
      status: 'active',
      ttl_seconds: 3600,
      expires_at: created_at + 3_600_000,
      context: {},
      created_at,
      updated_at: created_at,
      closed_at: null,
      completed_at: null,
      summary_status: 'none',
    },
    messages: [],
  };
}

/** A deterministic shuffle (a small LCG), so a failure reproduces. */
function shuffled<T>(items: T[], seed = 7): T[] {
  const out = [...items];
  let state = seed;
  for (let at = out.length - 1; at > 0; at--) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const other = state % (at + 1);
    [out[at], out[other]] = [out[other]!, out[at]!];
  }
  return out;
}

const ids = (docs: Iterable<SessionDocument>) => [...docs].map((d) => d.session.id);
const sorted = (docs: SessionDocument[]) => ids([...docs].sort((a, b) => newestFirst(a.session, b.session)));

// 60 documents over 20 distinct times: ties on created_at are broken by id.
const sample = Array.from({ length: 60 }, (_, n) => doc(1000 + (n % 20), `sess_${String((n * 37) % 60).padStart(4, '0')}`));

describe('SessionOrder', () => {
  it('lists newest first by (created_at, id) whatever order documents were added in', () => {
    for (const seed of [1, 2, 3]) {
      const order = new SessionOrder();
      for (const d of shuffled(sample, seed)) order.add(d);
      expect(ids(order.newestFirst())).toEqual(sorted(sample));
    }
  });

  it('starts strictly after any position, held or not', () => {
    const order = new SessionOrder();
    for (const d of shuffled(sample)) order.add(d);
    const all = [...sample].sort((a, b) => newestFirst(a.session, b.session));
    const positions: ListPosition[] = [
      ...all.map((d) => d.session),
      { created_at: 1005, id: 'sess_' }, // between ids at one time
      { created_at: 1005, id: 'sess_zzzz' },
      { created_at: 999, id: 'sess_0001' }, // older than everything
      { created_at: 5000, id: 'sess_0001' }, // newer than everything
    ];
    for (const after of positions) {
      const expected = ids(all.filter((d) => newestFirst(after, d.session) < 0));
      expect(ids(order.newestFirst(after)), JSON.stringify(after)).toEqual(expected);
    }
  });

  it('keeps its order through removals, and a removed position still works as a start', () => {
    const order = new SessionOrder();
    for (const d of shuffled(sample)) order.add(d);
    const removed = shuffled(sample, 11).slice(0, 25);
    for (const d of removed) expect(order.remove(d.session.id)).toBe(true);
    expect(order.remove(removed[0]!.session.id)).toBe(false);
    const kept = sample.filter((d) => !removed.includes(d));
    expect(order.size).toBe(kept.length);
    expect(ids(order.newestFirst())).toEqual(sorted(kept));
    for (const d of removed) {
      expect(ids(order.newestFirst(d.session))).toEqual(sorted(kept.filter((k) => newestFirst(d.session, k.session) < 0)));
    }
    expect(new Set(ids(order.documents()))).toEqual(new Set(ids(kept)));
  });

  it('finds its place by key captured when added, even if the stored document changes later', () => {
    const order = new SessionOrder();
    const moved = doc(1500, 'sess_moved');
    for (const d of [...sample, moved]) order.add(d);
    moved.session.created_at = 1; // someone holding the stored document changed it
    expect(order.remove('sess_moved')).toBe(true);
    expect(ids(order.newestFirst())).toEqual(sorted(sample));
  });

  it('finds the start with a binary search: comparisons grow with log n, not n', () => {
    const comparisonsToStartMidway = (size: number) => {
      let comparisons = 0;
      const order = new SessionOrder((a, b) => {
        comparisons += 1;
        return newestFirst(a, b);
      });
      for (let n = 0; n < size; n++) order.add(doc(n, `sess_${n}`));
      comparisons = 0;
      const page: SessionDocument[] = [];
      for (const d of order.newestFirst({ created_at: size / 2, id: `sess_${size / 2}` })) {
        page.push(d);
        if (page.length === 21) break;
      }
      expect(page[0]!.session.created_at).toBe(size / 2 - 1);
      return comparisons;
    };
    const small = comparisonsToStartMidway(100);
    const large = comparisonsToStartMidway(100_000);
    expect(small).toBeLessThanOrEqual(Math.ceil(Math.log2(101)));
    expect(large).toBeLessThanOrEqual(Math.ceil(Math.log2(100_001)));
  });

  it('adds the newest with one comparison, and places older ones by binary search', () => {
    let comparisons = 0;
    const order = new SessionOrder((a, b) => {
      comparisons += 1;
      return newestFirst(a, b);
    });
    for (let n = 0; n < 10_000; n++) order.add(doc(n, `sess_${n}`));
    expect(comparisons).toBe(9_999);
    comparisons = 0;
    order.add(doc(5000, 'sess_5000a'));
    expect(comparisons).toBeLessThanOrEqual(1 + Math.ceil(Math.log2(10_001)));
    expect(ids(order.newestFirst({ created_at: 5001, id: 'sess_5001' })).slice(0, 2)).toEqual(['sess_5000a', 'sess_5000']);
  });
});
