import { describe, expect, it } from 'vitest';
import type { Durability } from 'fold-sessions-mock';
import { syncSites, type SyncSite } from '../../mock-server/src/store/disk.js';
import { refusedBatchCase, runPowerCuts, stoppedAfterUpgradeCase, stoppedWithoutCompactionCase } from './power-cut.js';

// Each sync of the store earns its place: with any one of them removed, the power-cut suite
// fails. Slow (every site, both modes, several seeds), so run on demand:
//   POWER_CUT_SYNC_REMOVAL=1 npx vitest run test/reliability/sync-removal.test.ts
// POWER_CUT_SYNC_REMOVAL=journal-write,manifest checks only those sites.

const asked = process.env.POWER_CUT_SYNC_REMOVAL;
const sites = asked === undefined || asked === '1' ? [...syncSites] : (asked.split(',') as SyncSite[]);
const seeds = Array.from({ length: Number(process.env.POWER_CUT_SYNC_REMOVAL_SEEDS ?? 20) }, (_, i) => 1000 + i);

describe.runIf(asked !== undefined)('the power-cut suite without one sync', () => {
  it('fails without each sync site', { timeout: 1_800_000 }, async () => {
    const rows: string[] = [];
    const kept: SyncSite[] = [];
    for (const site of sites) {
      let found: string | undefined;
      let made = 0;
      for (let seed = 1; seed <= 12 && !found; seed++) {
        const [failure] = await refusedBatchCase({ seed, skipSyncs: new Set([site]) });
        if (failure) found = `fails: refused batch case, ${failure.slice(0, 160)}`;
      }
      for (let seed = 1; seed <= 12 && !found; seed++) {
        const [failure] = await stoppedWithoutCompactionCase({ seed, skipSyncs: new Set([site]) });
        if (failure) found = `fails: clean stop case, ${failure.slice(0, 160)}`;
      }
      for (let seed = 1; seed <= 12 && !found; seed++) {
        const [failure] = await stoppedAfterUpgradeCase({ seed, skipSyncs: new Set([site]) });
        if (failure) found = `fails: clean stop after upgrade case, ${failure.slice(0, 160)}`;
      }
      for (const seed of found ? [] : seeds) {
        for (const durability of ['fsync', 'process'] as Durability[]) {
          const run = await runPowerCuts({ durability, seed, cycles: 150, skipSyncs: new Set([site]) });
          made += run.syncs.get(site) ?? 0;
          if (run.failures.length > 0 || (durability === 'fsync' && run.lost > 0)) {
            found = `fails: --durability ${durability}, seed ${seed}: ${run.failures[0]!.slice(0, 160)}`;
            break;
          }
        }
        if (found) break;
      }
      if (!found) kept.push(site);
      rows.push(`| ${site} | ${found ?? `**passes** (${made} syncs skipped over ${seeds.length} seeds × 2 modes)`} |`);
    }
    console.log(['| sync site removed | power-cut suite |', '|---|---|', ...rows].join('\n'));
    expect(kept, 'sites the suite does not need').toEqual([]);
  });
});
