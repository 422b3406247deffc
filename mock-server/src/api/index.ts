export {
  createApiHandler,
  defaultBodyLimit,
  type ApiHandlerOptions,
  type ResponseBreakage,
  type StoredResponse,
} from './handler.js';
export { errorResponse, statusByCode } from './error-response.js';
export {
  AuthInvalidError,
  AuthRequiredError,
  InjectedInternalError,
  PayloadTooLargeError,
  RateLimitedError,
  RouteNotFoundError,
  ServiceUnavailableError,
  UnsupportedMediaTypeError,
} from './errors.js';
export { FaultInjector, seededRandom, type Fault, type FaultDecision, type FaultOptions } from './faults.js';
export { RateLimiter, type RateLimitDecision, type RateLimitOptions } from './rate-limit.js';
export { resolveRequestId } from './request-id.js';
export { matchRoute, type Route } from './routes.js';
export { operationIds, type ApiHandler, type ApiRequest, type ApiResponse, type OperationId } from './types.js';
