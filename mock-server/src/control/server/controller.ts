import type { SessionsController } from '../contract.js';
import type { DelayOptions, FailureStatus, InjectedFailure, OperationTarget } from '../../http/faults.js';
import type { OverrideAnswer, OverrideOptions } from '../../http/overrides.js';
import type { OperationId } from '../../spec/spec.gen.js';
import type { LocalMatch } from '../../http/stubs.js';

export type { ControllerClock, RequestQuery, SessionsController, StubQuery } from '../contract.js';

/** The in-process controller: also takes override functions, unchecked responses and matcher functions. */
export interface LocalController extends SessionsController {
  fail<Target extends OperationTarget>(operationId: Target, failure: InjectedFailure<FailureStatus<Target>, LocalMatch>): Promise<void>;
  delay(operationId: OperationTarget, ms: number, options?: DelayOptions<LocalMatch>): Promise<void>;
  override(operationId: OperationId, response: OverrideAnswer, options?: OverrideOptions): Promise<void>;
}
