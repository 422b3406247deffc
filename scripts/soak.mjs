// Hostile mixed traffic against a running reference server: floods of 1 MiB bodies without a key,
// deep JSON with and without an Idempotency-Key, keyed creates and appends, messages of 190 KB up
// to a session's byte limit, sessions read whole, and the request journal read as the inspector
// reads it. Every answer must be below 500; the server's RSS is sampled after every round.
//
//   node scripts/soak.mjs --minutes 10            starts its own server (from the built package)
//   node scripts/soak.mjs --rounds 40 --json
//
// `soak()` is also what test/reliability/soak.test.ts runs, for a fixed number of rounds.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** How the soaked server runs: 1 MiB of messages per session, so that the 190 KB appends reach the limit. */
export const soakServerArgs = ['--port', '0', '--in-memory', '--keys', 'soak_key=org_soak', '--control-token', 'soak_control', '--limit', 'session-bytes=1048576'];

const zeros = new Uint8Array(1024 * 1024);
const deep = (levels) => `{"name":"deep","context":{"a":${'['.repeat(levels)}${']'.repeat(levels)}}}`;
const bigContent = 'm'.repeat(190_000); // near the spec's 200,000 characters of content

/** Resident set size of process `pid`, in MiB (Linux). */
export function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

/**
 * Runs rounds of the traffic until `rounds` are done or `minutes` have passed. Resolves with the
 * counts by status, every answer of 500 or more (none is expected) and the RSS after each round.
 */
export async function soak({ url, key, controlToken, pid, rounds = Number.POSITIVE_INFINITY, minutes = Number.POSITIVE_INFINITY, log = () => {} }) {
  const until = Date.now() + minutes * 60_000;
  const statuses = {};
  const failures = [];
  const rss = [];
  const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const send = async (label, path, init = {}) => {
    let response;
    try {
      response = await fetch(`${url}${path}`, init);
      await response.arrayBuffer();
    } catch (error) {
      failures.push(`${label}: no answer (${error.cause?.code ?? error.message})`);
      return undefined;
    }
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    if (response.status >= 500) failures.push(`${label}: ${response.status}`);
    return response;
  };

  for (let round = 0; round < rounds && Date.now() < until; round++) {
    const flood = Array.from({ length: 20 }, (_, i) =>
      send(`flood ${i}`, '/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: zeros }),
    );
    const deepOnes = [
      send('deep', '/sessions', { method: 'POST', headers: auth, body: deep(5_000) }),
      send('deep with a key', '/sessions', { method: 'POST', headers: { ...auth, 'idempotency-key': `deep-${round}` }, body: deep(5_000) }),
    ];
    await Promise.all([...flood, ...deepOnes]);

    // A session filled past its byte limit with 190 KB messages, read whole, then deleted.
    const created = await fetch(`${url}/sessions`, { method: 'POST', headers: { ...auth, 'idempotency-key': `create-${round}` }, body: JSON.stringify({ name: `soak ${round}` }) });
    statuses[created.status] = (statuses[created.status] ?? 0) + 1;
    const session = created.ok ? await created.json() : undefined;
    if (session) {
      for (let i = 0; i < 12; i++) {
        await send('append', `/sessions/${session.id}/messages`, {
          method: 'POST',
          headers: { ...auth, 'idempotency-key': `append-${round}-${i}` },
          body: JSON.stringify({ role: 'user', content: bigContent }),
        });
      }
      await send('read whole', `/sessions/${session.id}`, { headers: auth });
      await send('delete', `/sessions/${session.id}`, { method: 'DELETE', headers: auth });
    }
    if (controlToken) await send('journal', '/__fold/requests?limit=200', { headers: { authorization: `Bearer ${controlToken}` } });
    rss.push(rssMiB(pid));
    log(`round ${round + 1}: RSS ${rss.at(-1).toFixed(0)} MiB, ${failures.length} failures`);
  }
  return { statuses, failures, rss };
}

// As a command: start the built server, soak it, print the figures.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { minutes: { type: 'string' }, rounds: { type: 'string' }, json: { type: 'boolean' } } });
  const { spawn } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const bin = fileURLToPath(new URL('../mock-server/dist/bin.js', import.meta.url));
  const child = spawn(process.execPath, [bin, ...soakServerArgs, '--log', 'silent'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}: ${out}`)));
  });
  const result = await soak({
    url,
    key: 'soak_key',
    controlToken: 'soak_control',
    pid: child.pid,
    ...(values.minutes && { minutes: Number(values.minutes) }),
    ...(values.rounds && { rounds: Number(values.rounds) }),
    log: values.json ? () => {} : (line) => console.log(line),
  });
  const alive = child.exitCode === null;
  child.kill('SIGTERM');
  const summary = {
    rounds: result.rss.length,
    statuses: result.statuses,
    failures: result.failures.length,
    crashed: !alive,
    rssMiB: { first: Math.round(result.rss[0]), max: Math.round(Math.max(...result.rss)), last: Math.round(result.rss.at(-1)) },
  };
  console.log(values.json ? JSON.stringify(summary) : summary);
  process.exit(result.failures.length === 0 && alive ? 0 : 1);
}
