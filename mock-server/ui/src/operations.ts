import type { OperationId } from '../../src/control/index.js';

/** The operations of the Sessions API, for the filters and the failure form (checked against the spec by a test). */
export const operations = [
  'listSessions',
  'createSession',
  'getSession',
  'deleteSession',
  'addMessage',
  'updateContext',
  'closeSession',
  'completeSession',
  'queryMemory',
] as const satisfies readonly OperationId[];
