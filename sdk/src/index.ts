export { FoldSessions } from './client.js';
export type { ClientOptions, RequestOptions } from './options.js';
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
export { CursorPage, type PageLoader, PagePromise } from './pagination.js';
export type { SessionListParams } from './resources/sessions.js';
export type { Sessions } from './resources/sessions.js';
export type { Messages } from './resources/messages.js';
export type { Memory } from './resources/memory.js';
export type * from './generated/types.gen.js';
