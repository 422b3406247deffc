import { expect, it } from 'vitest';
import { runModel } from './model.js';
import { expressInProcessTarget } from './targets.js';

it('the Express server follows the lifecycle model over random command sequences', async () => {
  const sequences = await runModel({ target: expressInProcessTarget, numRuns: 100, maxCommands: 40 });
  console.log(`model-based test (express): ${sequences} command sequences`);
  expect(sequences).toBe(100);
}, 120_000);
