export { FoldSessions } from './client.js';
export { APIPromise, type WithResponse } from './api-promise.js';
export type { ClientOptions, RequestOptions } from './options.js';
export type { Logger, LogLevel } from './log.js';
export type { Operation, ResponseValidator } from './response-validator.js';
export {
  APIConnectionError,
  APIError,
  APITimeoutError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  FoldSessionsError,
  InternalServerError,
  isAPIError,
  isFoldSessionsError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ResponseValidationError,
  UnprocessableEntityError,
} from './errors.js';
export { WaitTimeoutError, type WaitForSummaryOptions } from './wait.js';
export { CursorPage, type PageLoader, PagePromise } from './pagination.js';
export type { CloseOptions, SessionListParams, Sessions } from './resources/sessions.js';
export type { Messages } from './resources/messages.js';
export type { Memory } from './resources/memory.js';
// The request and response types of the API, by name; nothing else of the generated code.
export type {
  AddMessageRequest,
  Context,
  CreateSessionRequest,
  DeletedSession,
  Error as ErrorBody,
  ErrorCode,
  MemoryMatch,
  MemoryMetadata,
  MemoryNamespace,
  MemoryQueryRequest,
  MemoryQueryResult,
  Message,
  MessageRole,
  Session,
  SessionList,
  SessionStatus,
  SessionWithMessages,
  SummaryStatus,
  ValidationError as ValidationErrorBody,
  ValidationIssue,
} from './generated/types.gen.js';
