/** The public surface of the API layer: what the adapters (Express, MSW, CLI) and users import. */
export { controlBodyLimit, controlPrefix, isControlPath } from './control-handler.js';
export { ControlError, type ControlIssue } from './control-error.js';
export type { ControllerClock, LocalController, RequestQuery, SessionsController } from './controller.js';
export type { SessionsData } from './data.js';
export { corsHeaders, preflightHeaders } from './cors.js';
export { errorResponse } from './error-response.js';
export { UnsupportedMediaTypeError, ValidationError } from './errors.js';
export type { FailureStatus, InjectedFailure, FaultOptions, OperationTarget } from './faults.js';
export { mergeData, sessionFixture, type FixtureMessage, type SessionFixtureOptions } from './fixtures.js';
export { defaultBodyLimit } from './handler.js';
export type { RecordedRequest, RequestFilter } from './journal.js';
export type { OverriddenRequest, OverrideAnswer, OverrideOptions, OverrideResponse } from './overrides.js';
export type { RateLimitOptions } from './rate-limit.js';
export { resolveRequestId } from './request-id.js';
export { createSessionsApi, developmentKeys, type SessionsApi, type SessionsApiOptions } from './runtime.js';
export { operationIds, type ApiHandler, type ApiRequest, type ApiResponse, type OperationId } from './types.js';
// The domain pieces users configure the API with.
export { createManualClock, createTestClock, type Clock, type ManualClock, type MovableClock } from '../core/clock.js';
export { randomId, sequentialIds, type IdGenerator } from '../core/ids.js';
export { LowdbSessionStore } from '../core/lowdb-store.js';
export { SessionsService } from '../core/service.js';
export type { SessionStore } from '../core/store.js';
export { defaultSummarizer, type Summarizer, type SummaryInput } from '../core/summarizer.js';
export type { Embedder, MemoryRanking } from '../core/embedder.js';
export { openAIEmbedder } from '../ai/embedder.js';
export { ModelServerError, type OpenAICompatibleOptions } from '../ai/openai-compatible.js';
export { openAISummarizer, type OpenAISummarizerOptions } from '../ai/summarizer.js';
export type { MemoryEntry, SessionDocument, SessionRecord } from '../core/types.js';
