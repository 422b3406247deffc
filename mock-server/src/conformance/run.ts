import { seededRandom } from '../core/random.js';
import { conformanceCases, type ConformanceCase, type ConformanceContext } from './cases.js';
import { ConformanceClient, ConformanceFailure, ConformanceInterrupted, ConformanceUnavailable, describeAnswer, expectThat, type CleanupReport } from './client.js';
import { defaultRetryPolicy, type RetryPolicy } from './retry.js';

export interface ConformanceOptions {
  baseURL: string;
  key: string;
  /** A key of another organisation: enables the isolation cases. */
  secondKey?: string | undefined;
  /** Requests of the fuzz pass. @default 200 */
  fuzzRequests?: number;
  /** @default a random seed, printed */
  seed?: number;
  /** Run only these case ids. */
  only?: string[] | undefined;
  /** Skip these case ids. */
  skip?: string[] | undefined;
  /** Only the cases that create nothing. @default false */
  readOnly?: boolean;
  /** @default 5 tries, at most 10 s per wait */
  retry?: Partial<RetryPolicy>;
  /** Stops the run (SIGINT): the case in flight ends, the rest are skipped, clean-up still runs. */
  signal?: AbortSignal;
}

export type CaseOutcome = 'passed' | 'flaky' | 'unavailable' | 'failed' | 'skipped';

export interface CaseResult {
  id: string;
  group: string;
  name: string;
  outcome: CaseOutcome;
  /** Requests retried for this case (transient answers); > 0 makes a pass `flaky`. */
  retries: number;
  message?: string;
  ms: number;
}

/** A rule's score: applicable cases (not skipped) that passed or were flaky, in percent. */
export interface RuleScore {
  rule: string;
  applicable: number;
  passed: number;
  score: number | null;
}

export interface ConformanceReport {
  baseURL: string;
  seed: number;
  results: CaseResult[];
  scores: RuleScore[];
  /** Over every applicable case; null when none applied. */
  score: number | null;
  requests: number;
  retries: number;
  cleanup: CleanupReport;
  interrupted: boolean;
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

/**
 * A bounded, seeded pass of valid and invalid requests, every answer checked against the spec. A
 * request that stays unavailable is left out rather than ending the pass; the pass is unavailable
 * only when most of its requests were.
 */
async function fuzzPass(api: ConformanceClient, requests: number, seed: number): Promise<void> {
  const random = seededRandom(seed);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const sessions: string[] = [];
  let unavailable = 0;
  let last = '';
  for (let i = 0; i < requests; i++) {
    const draw = random();
    try {
      if (draw < 0.3 || sessions.length === 0) {
        const name = Array.from({ length: 1 + Math.floor(random() * 40) }, () => pick(['a', 'é', '漢', '😀', ' ', '"'])).join('');
        const answer = await api.call('createSession', '/sessions', { body: { name, ttl_seconds: 3_600 + Math.floor(random() * 86_400) } });
        expectThat(answer.status === 201, `fuzz ${i} (seed ${seed}): a valid create: expected 201; got ${describeAnswer(answer)}`);
        sessions.push(answer.body.id);
      } else if (draw < 0.6) {
        const content = 'x'.repeat(Math.floor(random() * 500));
        const answer = await api.call('addMessage', `/sessions/${encodeURIComponent(pick(sessions))}/messages`, { body: { role: pick(['user', 'assistant']), content } });
        expectThat(answer.status === 201, `fuzz ${i} (seed ${seed}): a valid append: expected 201; got ${describeAnswer(answer)}`);
      } else {
        const [tail, body] = pick(refused);
        const path = tail ? `/sessions/${encodeURIComponent(pick(sessions))}${tail}` : '/sessions';
        const answer = await api.call(tail ? 'addMessage' : 'createSession', path, { body });
        expectThat(answer.status === 400, `fuzz ${i} (seed ${seed}): ${JSON.stringify(body).slice(0, 80)}: expected 400; got ${describeAnswer(answer)}`);
      }
    } catch (error) {
      if (!(error instanceof ConformanceUnavailable)) throw error;
      unavailable += 1;
      last = error.message;
    }
  }
  if (unavailable * 2 > requests) throw new ConformanceUnavailable(`${unavailable} of ${requests} fuzz requests were unavailable; the last: ${last}`);
}

const fuzzCase = (requests: number, seed: number): ConformanceCase => ({
  id: 'fuzz',
  group: 'fuzz',
  name: `${requests} seeded requests, valid and invalid (seed ${seed})`,
  run: ({ api }) => fuzzPass(api, requests, seed),
});

/** Every case id `--only` and `--skip` take. */
export const conformanceCaseIds: readonly string[] = [...conformanceCases.map((c) => c.id), 'fuzz'];

/** Runs one case; an unavailable one runs once more, since each case starts from nothing. */
async function runCase(conformanceCase: ConformanceCase, context: ConformanceContext): Promise<CaseResult> {
  const started = performance.now();
  const { id, group, name } = conformanceCase;
  const retriesBefore = context.api.retries;
  let result: Pick<CaseResult, 'outcome' | 'message'> = { outcome: 'unavailable' };
  for (let run = 0; run < 2 && result.outcome === 'unavailable'; run++) {
    try {
      await conformanceCase.run(context);
      result = { outcome: context.api.retries > retriesBefore || run > 0 ? 'flaky' : 'passed' };
    } catch (error) {
      if (error instanceof ConformanceInterrupted) result = { outcome: 'skipped', message: `interrupted: ${error.message}` };
      else if (error instanceof ConformanceUnavailable) result = { outcome: 'unavailable', message: error.message };
      else if (error instanceof ConformanceFailure) result = { outcome: 'failed', message: error.message };
      // A TypeError reading an answer the spec check let through is a bug of the kit: say so.
      else result = { outcome: 'failed', message: `the kit could not read an answer: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  const retries = context.api.retries - retriesBefore;
  if (result.outcome === 'flaky') result.message = `passed after ${retries} ${retries === 1 ? 'retry' : 'retries'}`;
  return { id, group, name, ...result, retries, ms: performance.now() - started };
}

/** Runs the selected cases, then deletes everything the run created, also after a failure or an interrupt. */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const baseURL = options.baseURL.replace(/\/+$/, '');
  const api = new ConformanceClient(baseURL, options.key, { ...defaultRetryPolicy, ...options.retry }, options.signal);
  const context: ConformanceContext = { api, otherKey: options.secondKey };
  const fuzzRequests = options.fuzzRequests ?? 200;
  const cases = fuzzRequests > 0 ? [...conformanceCases, fuzzCase(fuzzRequests, seed)] : conformanceCases;
  const results: CaseResult[] = [];
  let cleanup: CleanupReport;
  try {
    for (const conformanceCase of cases) {
      const skipped = (message: string) => results.push({ id: conformanceCase.id, group: conformanceCase.group, name: conformanceCase.name, outcome: 'skipped', retries: 0, message, ms: 0 });
      if (options.only && !options.only.includes(conformanceCase.id)) skipped('not selected (--only)');
      else if (options.skip?.includes(conformanceCase.id)) skipped('skipped (--skip)');
      else if (options.readOnly && !conformanceCase.readOnly) skipped('creates sessions (--read-only)');
      else if (options.signal?.aborted) skipped('interrupted before it started');
      else {
        const missing = conformanceCase.needs?.(context);
        if (missing) skipped(missing);
        else results.push(await runCase(conformanceCase, context));
      }
    }
  } finally {
    cleanup = await api.cleanUp();
  }
  const { scores, score } = scoreResults(results);
  return { baseURL, seed, results, scores, score, requests: api.requests, retries: api.retries, cleanup, interrupted: options.signal?.aborted ?? false };
}

/** Per rule and in total: the share of applicable (not skipped) cases that passed or were flaky. */
export function scoreResults(results: CaseResult[]): { scores: RuleScore[]; score: number | null } {
  const tally = (list: CaseResult[]) => {
    const applicable = list.filter((r) => r.outcome !== 'skipped').length;
    const passed = list.filter((r) => r.outcome === 'passed' || r.outcome === 'flaky').length;
    return { applicable, passed, score: applicable === 0 ? null : Math.round((passed / applicable) * 1000) / 10 };
  };
  const rules = [...new Set(results.map((r) => r.group))];
  return { scores: rules.map((rule) => ({ rule, ...tally(results.filter((r) => r.group === rule)) })), score: tally(results).score };
}

/** 1 for a violation, else 3 when a case was unavailable, else 0. */
export function conformanceExitCode(report: ConformanceReport): 0 | 1 | 3 {
  if (report.results.some((r) => r.outcome === 'failed')) return 1;
  if (report.results.some((r) => r.outcome === 'unavailable')) return 3;
  return 0;
}
