import { DomainError, StoreUnavailableError } from '../core/errors.js';
import type { ChangeOptions, ChangeTag, SessionStore, SessionTransactions, TransactionalStore } from '../core/store.js';
import type { Message, SessionDocument, SessionRecord } from '../core/types.js';

// How often an answer is computed again when a write it rested on was refused, or may be.
const maxAttempts = 3;

/**
 * A document before a change: its record's fields and how many messages it had. Enough to undo
 * the change, because a change sets fields and appends messages.
 */
interface Image {
  session: SessionRecord;
  messages: number;
}

/**
 * Durability for the rules: every change of a session goes through here, and this is the one
 * place that applies it, journals it, waits until it is durable, undoes it when the store
 * refuses it, and computes an answer again when a write it rested on was refused. (A refused
 * insert, delete or memory entry the store takes back by itself: it added or removed it whole.)
 *
 * The store is a working set in memory whose writes reach the disk later (`settled`). Two
 * guarantees follow from this class:
 * - an answer shows only durable state: it waits for the writes it could rest on, and is
 *   computed again when one of them was refused and undone;
 * - a refused change is never left applied: it is undone (each field only where no later change
 *   has written since), and its caller gets a `StoreUnavailableError` (a 503).
 *
 * A change is checked, applied and handed to the store in one tick (the tick it is asked for,
 * unless it waits for writes in flight first): no other request comes in between, so no locks
 * are needed.
 */
export class StoreTransactions implements SessionTransactions {
  readonly #store: SessionStore;

  constructor(store: SessionStore) {
    this.#store = store;
  }

  /** Adds a new session; resolves once it is durable. Refused, it is not stored at all. */
  async create(doc: SessionDocument, tag?: ChangeTag): Promise<void> {
    try {
      await this.#store.insertSession(doc, tag);
    } catch (error) {
      throw new StoreUnavailableError(error);
    }
  }

  /**
   * Runs `mutate` on session `id`'s document (undefined when there is none) and resolves with
   * its answer once what it changed is durable. `mutate` checks first and throws a
   * `DomainError` to refuse, then sets fields of the session record and appends messages.
   *
   * - A refusal that may rest on a write of the session still in flight (the session deleted
   *   or closed by a change that may yet be refused) waits for it and runs `mutate` again.
   * - A `mutate` that changes nothing is a read: its answer is given once the writes it rests
   *   on are durable, and computed again if one of them was refused.
   * - A change the store refuses is undone and rejects with `StoreUnavailableError`.
   */
  async change<T>(id: string, mutate: (doc: SessionDocument | undefined) => T, options: ChangeOptions = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (options.afterInFlight) {
        for (let waits = 1; waits < maxAttempts; waits++) {
          const inFlight = this.#store.settled?.(id);
          if (!inFlight) break;
          await inFlight;
        }
      }
      let applied: { answer: T; written: Promise<void> | undefined };
      for (let tries = 1; ; tries++) {
        try {
          applied = this.#apply(id, mutate, options.tag);
          break;
        } catch (error) {
          const pending = error instanceof DomainError && tries < maxAttempts ? this.#store.settled?.(id) : undefined;
          if (!pending) throw error;
          await pending;
        }
      }
      if (applied.written) {
        await applied.written;
        return applied.answer;
      }
      const pending = this.#store.settled?.(id);
      if (!pending || (await pending)) return applied.answer;
      // What it found was made by a change that was refused and undone: it is the first one now.
      if (attempt === maxAttempts) throw new StoreUnavailableError(new Error(`A change ${id} rested on was refused by the store`));
    }
  }

  /**
   * Sets state that holds whatever the disk says (a lapsed TTL made permanent, the outcome of a
   * summary) and writes it: `apply` returns whether it changed the document. Resolves once
   * durable; a refusal rejects with the store's error and leaves the state applied.
   */
  async record(id: string, apply: (doc: SessionDocument) => boolean): Promise<void> {
    const doc = this.#store.getSession(id);
    if (!doc || !apply(doc)) return;
    await this.#store.saveSession(id);
  }

  /**
   * Removes session `id` once `check` (which throws to refuse) passes on durable state;
   * resolves once the removal is durable. Refused, the session stays.
   */
  async remove(id: string, check: (doc: SessionDocument | undefined) => void): Promise<void> {
    await this.read(id, () => check(this.#store.getSession(id)));
    try {
      await this.#store.deleteSession(id);
    } catch (error) {
      throw new StoreUnavailableError(error);
    }
  }

  /**
   * Computes an answer from the state in memory and returns it once every write of session `id`
   * (of every session when undefined) it could rest on is durable; computes again if one of them
   * was refused and undone meanwhile. Costs nothing when the store has no writes in flight.
   */
  async read<T>(id: string | undefined, compute: () => T | Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let outcome: { answer: T } | { error: unknown };
      try {
        const answer = compute();
        // Reads of the working set answer synchronously: no extra turn for them.
        outcome = { answer: answer instanceof Promise ? await answer : answer };
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        outcome = { error };
      }
      const pending = this.#store.settled?.(id);
      const durable = pending ? await pending : true;
      if (durable && 'answer' in outcome) return outcome.answer;
      if (!pending) throw (outcome as { error: unknown }).error;
      // A change it rested on was refused and undone: answer from what is left, without waiting again.
      if (attempt === maxAttempts) return compute();
    }
  }

  /** Runs `mutate` and, in the same tick, asks the store to write what it changed. */
  #apply<T>(id: string, mutate: (doc: SessionDocument | undefined) => T, tag: ChangeTag | undefined): { answer: T; written: Promise<void> | undefined } {
    const doc = this.#store.getSession(id);
    const before = doc && imageOf(doc);
    const answer = mutate(doc);
    if (!doc || !before || !changed(doc, before)) return { answer, written: undefined };
    const after = { ...doc.session };
    const appended = doc.messages.slice(before.messages);
    const written = this.#store.saveSession(id, tag).catch((error: unknown) => {
      undo(doc, before.session, after, appended);
      throw new StoreUnavailableError(error);
    });
    return { answer, written };
  }
}

function imageOf(doc: SessionDocument): Image {
  return { session: { ...doc.session }, messages: doc.messages.length };
}

function changed(doc: SessionDocument, before: Image): boolean {
  if (doc.messages.length !== before.messages) return true;
  return fieldsOf(before.session).some((key) => doc.session[key] !== before.session[key]);
}

/**
 * Takes a change back: each field it set returns to its value before, unless a later change
 * has set it since, and each message it appended goes.
 */
function undo(doc: SessionDocument, before: SessionRecord, after: SessionRecord, appended: Message[]): void {
  const session = doc.session as unknown as Record<string, unknown>;
  for (const key of fieldsOf(before)) {
    if (before[key] !== after[key] && session[key] === after[key]) session[key] = before[key];
  }
  for (const message of appended) {
    const at = doc.messages.lastIndexOf(message);
    if (at !== -1) doc.messages.splice(at, 1);
  }
}

const fieldsOf = (session: SessionRecord) => Object.keys(session) as Array<keyof SessionRecord>;

const transactionsOf = new WeakMap<SessionStore, StoreTransactions>();

/** The transactions over `store` (one set per store object, so a wrapper gets its own). */
export function transactionsOver(store: SessionStore): StoreTransactions {
  let transactions = transactionsOf.get(store);
  if (!transactions) transactionsOf.set(store, (transactions = new StoreTransactions(store)));
  return transactions;
}

/** `store` with the transactions over it: any `SessionStore` (a test's fake, say) becomes what the service takes. */
export function withTransactions<T extends SessionStore>(store: T): T & TransactionalStore {
  const transactions = transactionsOver(store);
  return Object.assign(store, {
    create: transactions.create.bind(transactions),
    change: transactions.change.bind(transactions),
    record: transactions.record.bind(transactions),
    remove: transactions.remove.bind(transactions),
    read: transactions.read.bind(transactions),
  } satisfies SessionTransactions);
}

/** `store` as it is when it has its transactions (`LowdbSessionStore`), else `withTransactions(store)`. */
export function transactional(store: SessionStore | TransactionalStore): TransactionalStore {
  return 'change' in store && typeof store.change === 'function' ? (store as TransactionalStore) : withTransactions(store);
}
