import { afterAll, afterEach, beforeAll, beforeEach, describe, expect } from 'vitest';
import { controlApiCases } from './cases/control-api.js';
import { controllerCases } from './cases/controller.js';
import { stubCases } from './cases/stubs.js';
import { crossCuttingCases } from './cases/cross-cutting.js';
import { errorCases } from './cases/errors.js';
import { idempotencyCases } from './cases/idempotency.js';
import { isolationCases } from './cases/isolation.js';
import { lifecycleCases } from './cases/lifecycle.js';
import { seedingCases } from './cases/seeding.js';
import { validationCases } from './cases/validation.js';
import { createContext } from './context.js';
import type { ContractTarget } from './target.js';
import { journalRecorder } from '../support/contract-coverage.js';

/**
 * The behaviour of the API, written once and run unchanged against every target, through the
 * SDK and raw HTTP, steered with the target's controller. Each case gets two organisations no
 * other case has used. Responses are validated against the spec by the SDK
 * (`validateResponses`), by the raw client (`assertConforms`) and, where the target can, by the
 * target's own `inspect`.
 */
export function contractSuite(target: ContractTarget): void {
  describe(`contract: ${target.name}`, () => {
    const { context, refresh, takeInspectionFailures } = createContext(target);
    const record = journalRecorder(`contract ${target.name}`);
    let ran = 0;

    beforeAll(async () => {
      context.running = await target.start();
    });
    beforeEach(() => refresh());
    afterEach(async () => {
      ran += 1;
      expect(takeInspectionFailures()).toEqual([]);
      await record(context.running.controller);
    });
    afterAll(async () => {
      console.log(`contract[${target.name}]: ${ran} cases ran`);
      await context.running?.stop();
    });

    lifecycleCases(context);
    validationCases(context);
    errorCases(context);
    idempotencyCases(context);
    isolationCases(context);
    crossCuttingCases(context);
    controllerCases(context);
    stubCases(context);
    seedingCases(context);
    controlApiCases(context);
  });
}
