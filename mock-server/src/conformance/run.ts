import { seededRandom } from '../api/random.js';
import { conformanceCases, type ConformanceContext } from './cases.js';
import { ConformanceClient, expectThat } from './client.js';

export interface ConformanceOptions {
  baseURL: string;
  key: string;
  /** A key of another organisation: enables the isolation cases. */
  secondKey?: string | undefined;
  /** Requests of the fuzz pass. @default 200 */
  fuzzRequests?: number;
  /** @default a random seed, printed */
  seed?: number;
}

export interface CaseResult {
  group: string;
  name: string;
  outcome: 'passed' | 'failed' | 'skipped';
  message?: string;
  ms: number;
}

export interface ConformanceReport {
  results: CaseResult[];
  requests: number;
  seed: number;
  cleanedUp: number;
}

// Requests that break one rule each: every one must be refused with a documented 4xx.
const refused: Array<[string, unknown]> = [
  ['', { name: '' }],
  ['', { name: 'x'.repeat(257) }],
  ['', { name: 'x', ttl_seconds: 0 }],
  ['', { name: 'x', ttl_seconds: 2_592_001 }],
  ['', { name: 'x', ttl_seconds: 1.5 }],
  ['', { name: 'x', unknown_field: true }],
  ['', { name: 42 }],
  ['', {}],
  ['/messages', { role: 'system', content: 'x' }],
  ['/messages', { role: 'user' }],
  ['/messages', { role: 'user', content: 'x', tool_name: 'n'.repeat(257) }],
];

/** A bounded, seeded pass of valid and invalid requests, every answer checked against the spec. */
async function fuzzPass(api: ConformanceClient, requests: number, seed: number): Promise<void> {
  const random = seededRandom(seed);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const sessions: string[] = [];
  for (let i = 0; i < requests; i++) {
    const draw = random();
    if (draw < 0.3 || sessions.length === 0) {
      const name = Array.from({ length: 1 + Math.floor(random() * 40) }, () => pick(['a', 'é', '漢', '😀', ' ', '"'])).join('');
      const answer = await api.call('createSession', '/sessions', { body: { name, ttl_seconds: 3_600 + Math.floor(random() * 86_400) } });
      expectThat(answer.status === 201, `fuzz ${i} (seed ${seed}): a valid create answered ${answer.status}`);
      sessions.push(answer.body.id);
    } else if (draw < 0.6) {
      const answer = await api.call('addMessage', `/sessions/${encodeURIComponent(pick(sessions))}/messages`, { body: { role: pick(['user', 'assistant']), content: 'x'.repeat(Math.floor(random() * 500)) } });
      expectThat(answer.status === 201, `fuzz ${i} (seed ${seed}): a valid append answered ${answer.status}`);
    } else {
      const [tail, body] = pick(refused);
      const path = tail ? `/sessions/${encodeURIComponent(pick(sessions))}${tail}` : '/sessions';
      const answer = await api.call(tail ? 'addMessage' : 'createSession', path, { body });
      expectThat(answer.status === 400, `fuzz ${i} (seed ${seed}): ${JSON.stringify(body).slice(0, 80)} answered ${answer.status}, not 400`);
    }
  }
}

/** Runs every case, then the fuzz pass, then deletes what it created. */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const api = new ConformanceClient(options.baseURL.replace(/\/+$/, ''), options.key);
  const context: ConformanceContext = { api, otherKey: options.secondKey };
  const results: CaseResult[] = [];
  const attempt = async (group: string, name: string, run: () => Promise<void>) => {
    const started = performance.now();
    try {
      await run();
      results.push({ group, name, outcome: 'passed', ms: performance.now() - started });
    } catch (error) {
      results.push({ group, name, outcome: 'failed', message: error instanceof Error ? error.message : String(error), ms: performance.now() - started });
    }
  };
  for (const conformanceCase of conformanceCases) {
    const missing = conformanceCase.needs?.(context);
    if (missing) results.push({ group: conformanceCase.group, name: conformanceCase.name, outcome: 'skipped', message: missing, ms: 0 });
    else await attempt(conformanceCase.group, conformanceCase.name, () => conformanceCase.run(context));
  }
  const fuzzRequests = options.fuzzRequests ?? 200;
  if (fuzzRequests > 0) await attempt('fuzz', `${fuzzRequests} seeded requests, valid and invalid (seed ${seed})`, () => fuzzPass(api, fuzzRequests, seed));
  const cleanedUp = await api.cleanUp();
  return { results, requests: api.requests, seed, cleanedUp };
}

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

/** The report as JUnit XML, one test case per conformance case. */
export function toJUnit(report: ConformanceReport, baseURL: string): string {
  const failures = report.results.filter((r) => r.outcome === 'failed').length;
  const skipped = report.results.filter((r) => r.outcome === 'skipped').length;
  const cases = report.results.map((r) => {
    const open = `    <testcase classname="conformance.${escapeXml(r.group)}" name="${escapeXml(r.name)}" time="${(r.ms / 1000).toFixed(3)}"`;
    if (r.outcome === 'passed') return `${open}/>`;
    const inner = r.outcome === 'failed' ? `<failure message="${escapeXml(r.message ?? '')}"/>` : `<skipped message="${escapeXml(r.message ?? '')}"/>`;
    return `${open}>${inner}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="fold-sessions conformance" tests="${report.results.length}" failures="${failures}" skipped="${skipped}">`,
    `  <testsuite name="${escapeXml(baseURL)}" tests="${report.results.length}" failures="${failures}" skipped="${skipped}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** The report for people: one line per case, then the totals. */
export function toText(report: ConformanceReport, baseURL: string): string {
  const mark = { passed: 'PASS', failed: 'FAIL', skipped: 'SKIP' } as const;
  const lines = report.results.map((r) => `${mark[r.outcome]}  ${r.group}: ${r.name}${r.message ? `\n      ${r.message}` : ''}`);
  const count = (outcome: CaseResult['outcome']) => report.results.filter((r) => r.outcome === outcome).length;
  return [
    `fold-sessions conformance against ${baseURL} (seed ${report.seed})`,
    ...lines,
    `${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped; ${report.requests} requests; ${report.cleanedUp} sessions created by the run deleted`,
    '',
  ].join('\n');
}
