export {
  createSessionsHandlers,
  defaultBaseUrl,
  defaultOrgId,
  type InjectedFailure,
  type SessionsController,
  type SessionsHandlersOptions,
} from './handlers.js';
export type { SessionsData } from './seed.js';
export { createTestClock } from './test-clock.js';
export { sequentialIds, randomId, type IdGenerator } from '../core/ids.js';
export { defaultSummarizer, type Summarizer, type SummaryInput } from '../core/summarizer.js';
export type { Clock, ManualClock } from '../core/clock.js';
export type { OperationId } from '../api/types.js';
