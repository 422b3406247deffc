import type { CaseOutcome, ConformanceReport } from './run.js';

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
const count = (report: ConformanceReport, outcome: CaseOutcome) => report.results.filter((r) => r.outcome === outcome).length;
const percent = (score: number | null) => (score === null ? 'n/a' : `${score}%`);

/**
 * The report as JUnit XML, one test case per conformance case: a violation is a `<failure>`, an
 * unavailable case an `<error>`, a flaky one passes with its retries in `<system-out>`.
 */
export function toJUnit(report: ConformanceReport): string {
  const failures = count(report, 'failed');
  const errors = count(report, 'unavailable');
  const skipped = count(report, 'skipped');
  const totals = `tests="${report.results.length}" failures="${failures}" errors="${errors}" skipped="${skipped}"`;
  const cases = report.results.map((r) => {
    const open = `    <testcase classname="conformance.${escapeXml(r.group)}" name="${escapeXml(`${r.id}: ${r.name}`)}" time="${(r.ms / 1000).toFixed(3)}"`;
    const message = escapeXml(r.message ?? '');
    const inner = {
      passed: undefined,
      flaky: `<system-out>${message}</system-out>`,
      failed: `<failure message="${message}"/>`,
      unavailable: `<error type="unavailable" message="${message}"/>`,
      skipped: `<skipped message="${message}"/>`,
    }[r.outcome];
    return inner === undefined ? `${open}/>` : `${open}>${inner}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="fold-sessions conformance" ${totals}>`,
    `  <testsuite name="${escapeXml(report.baseURL)}" ${totals}>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** The report as JSON, for CI: every case, the scores and what the clean-up did. */
export function toJson(report: ConformanceReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** The report for people: one line per case, the score per rule, then the totals and the clean-up. */
export function toText(report: ConformanceReport): string {
  const mark: Record<CaseOutcome, string> = { passed: 'PASS', flaky: 'FLAKY', failed: 'FAIL', unavailable: 'UNAVAILABLE', skipped: 'SKIP' };
  const lines = report.results.map((r) => `${mark[r.outcome].padEnd(11)}  ${r.id}  ${r.group}: ${r.name}${r.message ? `\n             ${r.message}` : ''}`);
  const scores = report.scores.filter((s) => s.applicable > 0).map((s) => `${s.rule} ${s.passed}/${s.applicable}`);
  const { created, deleted, alreadyGone, notDeleted } = report.cleanup;
  return [
    `fold-sessions conformance against ${report.baseURL} (seed ${report.seed})`,
    ...lines,
    `Score: ${percent(report.score)} of applicable cases passed or flaky (${scores.join(', ') || 'none applicable'})`,
    `${count(report, 'passed')} passed, ${count(report, 'flaky')} flaky, ${count(report, 'failed')} failed, ${count(report, 'unavailable')} unavailable, ${count(report, 'skipped')} skipped; ${report.requests} requests, ${report.retries} retried`,
    `Clean-up: ${created} ${created === 1 ? 'session' : 'sessions'} created, ${deleted} deleted${alreadyGone ? `, ${alreadyGone} already gone (a lost connection hid the delete's answer)` : ''}${notDeleted.length ? `, ${notDeleted.length} could not be deleted:` : ''}`,
    ...notDeleted.map((n) => `  ${n.id}: ${n.reason}`),
    ...(report.interrupted ? ['Interrupted: the cases not run are skipped.'] : []),
    '',
  ].join('\n');
}
