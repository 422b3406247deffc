export { createManualClock, systemClock, type Clock, type ManualClock } from './clock.js';
export { decodeCursor, encodeCursor, type ListPosition } from './cursor.js';
export {
  IdempotencyInFlightError,
  IdempotencyKeyReusedError,
  SessionNotActiveError,
  SessionNotFoundError,
  SessionsError,
  ValidationError,
  isSessionsError,
  type ErrorCode,
  type ValidationIssue,
} from './errors.js';
export { IdempotencyStore, idempotencyRetentionMs, type IdempotencyClaim, type IdempotencyStoreOptions } from './idempotency.js';
export { randomId, sequentialIds, type IdGenerator } from './ids.js';
export { effectiveStatus } from './lifecycle.js';
export { LowdbSessionStore, memoryDocuments, emptyRoot, type DocumentSource, type RootDocument } from './lowdb-store.js';
export {
  SessionsService,
  maxContextBytes,
  type ListSessionsInput,
  type MemoryQueryResult,
  type SessionPage,
  type SessionsServiceOptions,
} from './service.js';
export { lexicalSimilarity } from './similarity.js';
export type { SessionStore } from './store.js';
export { defaultSummarizer, type Summarizer, type SummaryInput } from './summarizer.js';
export type { SummaryJobs } from './summary-jobs.js';
export { memoryNamespace, type MemoryEntry, type SessionDocument, type SessionRecord } from './types.js';
export { WriteCoalescer } from './write-coalescer.js';
