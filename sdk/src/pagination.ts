import { APIPromise } from './api-promise.js';

/** Loads the page that starts at `cursor`. */
export type PageLoader<Item> = (cursor: string) => Promise<CursorPage<Item>>;

/**
 * One page of a cursor-paginated list. It knows its items and the cursor of the next page; from
 * those it can fetch the next page, iterate the pages that follow, or iterate every item.
 *
 * @example
 * let page = await fold.sessions.list({ limit: 50 });
 * while (page.hasNextPage()) page = await page.getNextPage();
 */
export class CursorPage<Item> implements AsyncIterable<Item> {
  /** The items of this page. */
  declare readonly items: Item[];
  /** The cursor of the next page, or null on the last page. */
  declare readonly nextCursor: string | null;
  /** The response this page came from: headers such as `x-request-id` and `ratelimit`. */
  declare readonly response?: Response;
  readonly #load: PageLoader<Item>;

  constructor(items: Item[], nextCursor: string | null, load: PageLoader<Item>, response?: Response) {
    this.items = items;
    this.nextCursor = nextCursor;
    this.response = response;
    this.#load = load;
  }

  hasNextPage(): boolean {
    return this.nextCursor !== null;
  }

  /** Fetches the next page, with the same filters and request options as this one. */
  getNextPage(): Promise<CursorPage<Item>> {
    if (this.nextCursor === null) {
      return Promise.reject(new RangeError('No next page: check hasNextPage() first'));
    }
    return this.#load(this.nextCursor);
  }

  /** This page, then every page after it. */
  async *iterPages(): AsyncGenerator<CursorPage<Item>, void, undefined> {
    let page: CursorPage<Item> = this;
    yield page;
    while (page.hasNextPage()) {
      page = await page.getNextPage();
      yield page;
    }
  }

  /** Every item of this page and the pages after it, fetching pages as needed. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    for await (const page of this.iterPages()) yield* page.items;
  }
}

/**
 * What a list method returns: await it for the first page, or `for await` it for every item.
 * As any `APIPromise`, `.withResponse()` gives the first page with its response and
 * `.asResponse()` the response unread. The first request starts at once.
 *
 * @example
 * for await (const session of fold.sessions.list({ status: 'active' })) console.log(session.id);
 * const { data: page, requestId } = await fold.sessions.list().withResponse();
 */
export class PagePromise<Item> extends APIPromise<CursorPage<Item>> implements AsyncIterable<Item> {
  async *[Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    yield* await this;
  }
}
