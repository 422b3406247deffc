import type { APIPromise } from '../api-promise.js';
import { type Core, perform } from '../core.js';
import { queryMemory } from '../generated/sdk.gen.js';
import type { MemoryQueryRequest, MemoryQueryResult } from '../generated/types.gen.js';
import type { RequestOptions } from '../options.js';

/** The summaries that closed sessions left in vector memory. */
export class Memory {
  readonly #core: Core;

  constructor(core: Core) {
    this.#core = core;
  }

  /**
   * The summaries that best match `query_text`, best first.
   * @example
   * const { matches } = await fold.memory.query({ query_text: 'refund', top_k: 3 });
   */
  query(body: MemoryQueryRequest, options?: RequestOptions): APIPromise<MemoryQueryResult> {
    return perform(this.#core, 'QueryMemory', options, queryMemory, { body });
  }
}
