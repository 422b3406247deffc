export { connectControl, type ConnectControlOptions } from './client.js';
export { ControlError, type ControlIssue } from '../api/control-error.js';
export type { ControllerClock, RequestQuery, SessionsController } from '../api/controller.js';
export type { SessionsData } from '../api/data.js';
export type { FailureStatus, InjectedFailure, OperationTarget } from '../api/faults.js';
export type { RecordedRequest, RequestFilter } from '../api/journal.js';
export type { OverrideResponse } from '../api/overrides.js';
export type { OperationId } from '../api/spec.gen.js';
