import { describe, expect, it } from 'vitest';
import { copyData } from '../../../mock-server/src/core/copy.js';

describe('copyData', () => {
  it('returns what structuredClone returns, for JSON data and for anything else', () => {
    const shared = { n: 1 };
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const sparse = [1, , 3];
    const withExtra = Object.assign([1, 2], { extra: true });
    const values: unknown[] = [
      {},
      [],
      { a: 1, b: 'two', c: null, d: true, e: [1, [2, { f: 3 }]], g: { h: { i: -0.5 } } },
      JSON.parse('{"__proto__": {"x": 1}, "2": "b", "1": "a"}'),
      Object.assign(Object.create(null) as object, { a: 1 }),
      { when: new Date(0), map: new Map([[1, 2]]) },
      { left: shared, right: shared },
      [shared, shared],
      cyclic,
      { sparse },
      { withExtra },
      { big: 10n, missing: undefined },
      'text',
      42,
      null,
    ];
    for (const value of values) {
      const copy = copyData(value);
      const clone = structuredClone(value);
      expect(copy).toStrictEqual(clone);
      if (typeof value === 'object' && value !== null) {
        expect(copy).not.toBe(value);
        expect(Object.getPrototypeOf(copy)).toBe(Object.getPrototypeOf(clone));
        expect(Reflect.ownKeys(copy as object)).toEqual(Reflect.ownKeys(clone as object));
      }
    }
  });

  it('keeps shared references and cycles as structuredClone does', () => {
    const shared = { n: 1 };
    const copy = copyData({ left: shared, right: shared });
    expect(copy.left).toBe(copy.right);
    expect(copy.left).not.toBe(shared);
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    const cycleCopy = copyData(cyclic);
    expect(cycleCopy.self).toBe(cycleCopy);
  });

  it('copies deeply: changing the copy leaves the original alone', () => {
    const original = { list: [{ tag: 'a' }], nested: { deep: { value: 1 } } };
    const copy = copyData(original);
    copy.list[0]!.tag = 'b';
    copy.list.push({ tag: 'c' });
    copy.nested.deep.value = 2;
    expect(original).toEqual({ list: [{ tag: 'a' }], nested: { deep: { value: 1 } } });
  });

  it('throws where structuredClone throws', () => {
    expect(() => copyData({ fn: () => 1 })).toThrow(DOMException);
    expect(() => copyData({ symbol: Symbol('s') })).toThrow(DOMException);
  });
});
