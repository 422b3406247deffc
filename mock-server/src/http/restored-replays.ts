import { presentSession } from '../core/lifecycle.js';
import type { TaggedChange } from '../core/store.js';
import { jsonContentType } from './error-response.js';
import type { StoredResponse } from './handler.js';
import type { IdempotencyStore } from './idempotency.js';

/**
 * The response an idempotent request got, rebuilt from the change it made: a store keeps the
 * change (tagged with the key) in the same durable record as the change itself, so the answer
 * survives a restart exactly when the change does.
 */
export function replayOf(change: TaggedChange): StoredResponse | undefined {
  const headers = { 'content-type': jsonContentType };
  if ('message' in change) return change.tag.operation === 'addMessage' ? { status: 201, headers, body: { ...change.message } } : undefined;
  const { tag, session } = change;
  const doc = { org_id: tag.orgId, session, messages: { length: change.messageCount } as never[] };
  switch (tag.operation) {
    case 'createSession':
      return { status: 201, headers, body: presentSession(doc, session.created_at) };
    case 'closeSession':
    case 'completeSession':
      return { status: 200, headers, body: presentSession(doc, session.updated_at) };
    default:
      return undefined;
  }
}

/** Gives `idempotency` the answers of the tagged changes a store kept from before a restart. Returns how many. */
export function restoreReplays(idempotency: IdempotencyStore<StoredResponse>, changes: Iterable<TaggedChange>): number {
  let restored = 0;
  for (const change of [...changes].sort((a, b) => a.tag.at - b.tag.at)) {
    const response = replayOf(change);
    if (!response) continue;
    idempotency.restore(change.tag.orgId, change.tag.key, change.tag.fingerprint, change.tag.at, response);
    restored += 1;
  }
  return restored;
}
