import { zRequestId } from '../spec/schemas.js';
import { randomId } from '../core/ids.js';

/** Echoes a valid incoming `x-request-id` (spec pattern), otherwise makes a new one. */
export function resolveRequestId(incoming: string | undefined): string {
  return incoming !== undefined && zRequestId.safeParse(incoming).success ? incoming : randomId('req_');
}
