import { expect, it } from 'vitest';
import { runModel } from './model.js';
import { mswTarget } from './targets.js';

it('the MSW handlers follow the lifecycle model over random command sequences', async () => {
  const sequences = await runModel({ target: mswTarget, numRuns: 100, maxCommands: 40 });
  console.log(`model-based test (msw): ${sequences} command sequences`);
  expect(sequences).toBe(100);
}, 120_000);
