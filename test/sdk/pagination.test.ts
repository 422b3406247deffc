import { describe, expect, it } from 'vitest';
import { CursorPage, PagePromise } from 'fold-sessions';

/** A PagePromise over a page that `load` makes, with a response that carries no body. */
const pageOf = <Item>(load: () => Promise<CursorPage<Item>>) =>
  new PagePromise<Item>(Promise.resolve({ response: new Response(null, { headers: { 'x-request-id': 'req_1' } }) }), {
    parse: load,
    release: () => undefined,
    fail: (error) => {
      throw error;
    },
  });

/** Three pages of two numbers each, counting the loads. */
function pages() {
  const loads: Array<string | undefined> = [];
  const load = async (cursor?: string): Promise<CursorPage<number>> => {
    loads.push(cursor);
    const index = cursor === undefined ? 0 : Number(cursor);
    const next = index < 2 ? String(index + 1) : null;
    return new CursorPage([index * 2, index * 2 + 1], next, load);
  };
  return { loads, first: () => pageOf(() => load()) };
}

describe('CursorPage and PagePromise', () => {
  it('awaits to the first page only', async () => {
    const { loads, first } = pages();
    const page = await first();
    expect(page.items).toEqual([0, 1]);
    expect(page.nextCursor).toBe('1');
    expect(loads).toEqual([undefined]);
  });

  it('pages by hand until the last page', async () => {
    const { first } = pages();
    let page = await first();
    const seen = [...page.items];
    while (page.hasNextPage()) {
      page = await page.getNextPage();
      seen.push(...page.items);
    }
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
    expect(page.nextCursor).toBeNull();
  });

  it('iterates pages, starting with this one', async () => {
    const { first } = pages();
    const second = await (await first()).getNextPage();
    const items: number[][] = [];
    for await (const page of second.iterPages()) items.push(page.items);
    expect(items).toEqual([[2, 3], [4, 5]]);
  });

  it('iterates items across pages straight off the call, loading each page once', async () => {
    const { loads, first } = pages();
    const items: number[] = [];
    for await (const item of first()) items.push(item);
    expect(items).toEqual([0, 1, 2, 3, 4, 5]);
    expect(loads).toEqual([undefined, '1', '2']);
  });

  it('loads no more pages than the loop needs', async () => {
    const { loads, first } = pages();
    for await (const item of first()) if (item === 1) break;
    expect(loads).toEqual([undefined]);
  });

  it('is a promise that passes a failed load to catch', async () => {
    const failing = pageOf<number>(() => Promise.reject(new Error('down')));
    expect(failing).toBeInstanceOf(Promise);
    await expect(failing.catch((e: unknown) => (e as Error).message)).resolves.toBe('down');
  });

  it('gives the first page with its response, or the response alone', async () => {
    const { loads, first } = pages();
    const { data, requestId, response } = await first().withResponse();
    expect(data.items).toEqual([0, 1]);
    expect(requestId).toBe('req_1');
    expect(response).toBeInstanceOf(Response);
    expect(await first().asResponse()).toBeInstanceOf(Response);
    expect(loads).toEqual([undefined]);
  });
});
