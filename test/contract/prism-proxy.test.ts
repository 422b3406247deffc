import { breakResponses, type ResponseBreakage } from '../support/break-response.js';
import { contractSuite } from './suite.js';
import { prismProxyTarget } from './targets.js';

// Set only by the negative control (negative-control.test.ts), which expects this run to fail.
const [operationId, kind] = (process.env.CONTRACT_BREAK_RESPONSE ?? '').split(':');
const breakage = operationId && kind ? ({ operationId, kind } as ResponseBreakage) : undefined;

contractSuite(prismProxyTarget(breakage ? { wrap: breakResponses(breakage) } : {}));
