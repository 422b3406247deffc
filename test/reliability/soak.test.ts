import { afterAll, describe, expect, it } from 'vitest';
import { soak, soakServerArgs } from '../../scripts/soak.mjs';
import { spawnServer, type ChildServer } from '../support/child-server.js';

// `node scripts/soak.mjs --minutes 10` runs the same traffic for ten minutes against the built
// server; here it runs a fixed number of rounds (no clock decides when it ends).
let server: ChildServer | undefined;
afterAll(() => server?.kill());

describe('soak: hostile mixed traffic', () => {
  it('floods of 1 MiB bodies without a key, deep JSON, 190 KB appends past the byte limit and journal reads: no crash, no 5xx, RSS levels off', async () => {
    server = await spawnServer(soakServerArgs);
    const rounds = Number(process.env.SOAK_ROUNDS ?? 30);
    const result = await soak({ url: server.url, key: 'soak_key', controlToken: 'soak_control', pid: server.child.pid!, rounds });
    console.log(`soak: ${rounds} rounds, statuses ${JSON.stringify(result.statuses)}, RSS MiB ${result.rss.map((mib) => Math.round(mib)).join(' ')}`);

    expect(result.failures).toEqual([]);
    expect(server.child.exitCode).toBeNull();
    expect(result.statuses[401]).toBe(rounds * 20);
    expect(result.statuses[400]).toBe(rounds * 2);
    // 190 KB messages: 5 fit in 1 MiB, the other 7 of each round are refused.
    expect(result.statuses[429]).toBe(rounds * 7);
    const third = Math.floor(rounds / 3);
    const middle = Math.max(...result.rss.slice(third, 2 * third));
    const last = Math.max(...result.rss.slice(2 * third));
    expect(last).toBeLessThan(middle + 64);
    expect(Math.max(...result.rss)).toBeLessThan(600);
  }, 240_000);
});
