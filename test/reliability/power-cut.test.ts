import { describe, expect, it } from 'vitest';
import type { Durability } from 'fold-sessions-mock';
import { refusedBatchCase, runPowerCuts, stoppedAfterUpgradeCase, stoppedWithoutCompactionCase } from './power-cut.js';
import { seedFrom } from './support.js';

// The store on a disk that forgets what was not synced: seeded cycles of concurrent writes →
// power cut (anywhere: in a batch, a compaction, a start-up) → restart.

const cycles = Number(process.env.POWER_CUT_CYCLES ?? 150);

describe('power cuts (a disk that forgets what was not synced)', () => {
  for (const durability of ['fsync', 'process'] as Durability[]) {
    const envName = `POWER_CUT_SEED_${durability.toUpperCase()}`;
    it(`--durability ${durability}: ${cycles} cycles of writes, a power cut and a restart`, { timeout: 120_000 }, async () => {
      const seed = seedFrom(envName);
      const started = performance.now();
      const run = await runPowerCuts({ durability, seed, cycles });
      const ms = Math.round(performance.now() - started);
      console.log(
        `power cuts (${durability}): ${run.cycles} cycles (${run.cutInStartUp} cut during a start-up, ${run.cleanStops} began with a clean stop), ` +
          `${run.acknowledged} writes acknowledged, ${run.refused} refused by the disk, ${run.lost} acknowledged lost, ` +
          `${run.recovered} starts recovered damage, ${run.restartsRefused} refused, in ${ms} ms; seed ${seed} (replay with ${envName}=${seed})`,
      );
      expect(run.failures, `seed ${seed} (replay with ${envName}=${seed})`).toEqual([]);
      expect(run.restartsRefused).toBe(0);
      if (durability === 'fsync') expect(run.lost).toBe(0);
      expect(run.acknowledged).toBeGreaterThan(cycles);
    });
  }

  it('a batch the disk refused after all of it reached the disk does not come back after a power cut', async () => {
    const failures = [];
    for (let seed = 1; seed <= 12; seed++) failures.push(...(await refusedBatchCase({ seed })));
    expect(failures).toEqual([]);
  });

  it('--durability process: what a clean stop kept survives a later power cut, even when its compaction failed', async () => {
    const failures = [];
    for (let seed = 1; seed <= 12; seed++) failures.push(...(await stoppedWithoutCompactionCase({ seed })));
    expect(failures).toEqual([]);
  });

  it('--durability process: what a clean stop kept survives a later power cut, in the folder a database of an earlier version gets at its first start', async () => {
    const failures = [];
    for (let seed = 1; seed <= 12; seed++) failures.push(...(await stoppedAfterUpgradeCase({ seed })));
    expect(failures).toEqual([]);
  });
});
