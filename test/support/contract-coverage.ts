import { appendFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RecordedRequest, SessionsController } from 'fold-sessions-mock';

/** Where the exchanges of a test run are collected for `scripts/contract-coverage.mjs`. */
export const coverageFolder = resolve(import.meta.dirname, '../../.tmp/contract-coverage');

/** Appends the exchanges a test saw: operation, status and the response's header names. */
export function recordExchanges(source: string, exchanges: RecordedRequest[]): void {
  if (exchanges.length === 0) return;
  mkdirSync(coverageFolder, { recursive: true });
  const lines = exchanges
    .filter((exchange) => exchange.operation_id !== null && exchange.status !== null)
    .map((exchange) => JSON.stringify({ source, operation: exchange.operation_id, status: exchange.status, headers: Object.keys(exchange.response_headers) }));
  if (lines.length > 0) appendFileSync(join(coverageFolder, `${process.pid}.jsonl`), `${lines.join('\n')}\n`);
}

/** Records what a controller's journal holds beyond the last exchange recorded from it. */
export function journalRecorder(source: string): (controller: SessionsController) => Promise<void> {
  let last = 0;
  return async (controller) => {
    const fresh = (await controller.requests()).filter((exchange) => exchange.id > last);
    last = Math.max(last, ...fresh.map((exchange) => exchange.id));
    recordExchanges(source, fresh);
  };
}
