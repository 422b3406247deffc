// The checks' bookkeeping: each check is one row (name, runtime, packages, result, time) in
// consumer-results.json and in the table printed at the end.
import { writeFileSync } from 'node:fs';

const rows = [];
const started = Date.now();

/**
 * Runs `body` as the check `name`, on `runtime` with `packages` (both for the table). Resolves to
 * whether it passed; a failure is recorded, never thrown.
 */
export async function check(name, body, { runtime = '', packages = '' } = {}) {
  const row = { name, runtime, packages, ok: false, ms: 0 };
  rows.push(row);
  const t0 = Date.now();
  console.log(`--- ${name}`);
  try {
    row.detail = (await body()) || undefined;
    row.ok = true;
    console.log(`ok    ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)${row.detail ? `: ${row.detail}` : ''}`);
  } catch (error) {
    row.error = String(error?.message ?? error);
    console.log(`FAIL  ${name}: ${row.error}`);
  }
  row.ms = Date.now() - t0;
  return row.ok;
}

/** Runs the thunks `limit` at a time, in order; resolves to their results, in order. */
export async function inParallel(thunks, limit = 2) {
  const results = new Array(thunks.length);
  let next = 0;
  const lane = async () => {
    while (next < thunks.length) {
      const index = next++;
      results[index] = await thunks[index]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, thunks.length) }, lane));
  return results;
}

const cell = (text) => String(text).replaceAll('|', '\\|');

/** The line of a failure that says why: the output's first thrown error, compiler error or refusal, else its first line. */
function reason(error) {
  const lines = error.split('\n');
  const patterns = [/^\s*\w*Error: /, /error TS\d+/, /Must use|Cannot |not /];
  const why = patterns.map((pattern) => lines.slice(1).find((line) => pattern.test(line))).find(Boolean) ?? lines[0];
  return why.trim().slice(0, 200);
}

/** The rows as a Markdown table: runtime, packages, check, result, seconds. */
export function table() {
  const lines = ['| Runtime | Packages | Check | Result | s |', '| --- | --- | --- | --- | ---: |'];
  for (const row of rows) {
    const result = row.ok ? 'pass' : `**FAIL**: ${reason(row.error)}`;
    lines.push(`| ${cell(row.runtime)} | ${cell(row.packages)} | ${cell(row.name)} | ${cell(result)} | ${(row.ms / 1000).toFixed(1)} |`);
  }
  return lines.join('\n');
}

/** Writes `file` ({ passed, failed, seconds, checks }), prints the table and the failures; resolves to the exit code. */
export function summarize(file) {
  const passed = rows.filter((row) => row.ok).length;
  const failed = rows.length - passed;
  const seconds = Math.round((Date.now() - started) / 1000);
  writeFileSync(file, JSON.stringify({ passed, failed, seconds, checks: rows }, null, 2));
  console.log(`\n${table()}\n`);
  console.log(`consumer checks: ${passed} passed, ${failed} failed in ${seconds} s`);
  for (const row of rows.filter((r) => !r.ok)) console.log(`  failed: ${row.name}: ${reason(row.error)}`);
  return failed === 0 ? 0 : 1;
}
