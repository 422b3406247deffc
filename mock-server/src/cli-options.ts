import { parseArgs, type ParseArgsConfig } from 'node:util';
import { randomId } from './surface.js';
import { conformanceCaseIds } from './conformance/run.js';
import { defaultLimits, type LimitName, type Limits } from './core/limits.js';

/** Start-up settings of the reference server, resolved from flags and environment. */
export interface CliOptions {
  port: number;
  host: string;
  /** Database file; undefined with `--in-memory`. */
  db: string | undefined;
  /** What an acknowledged write survives (file database only). */
  durability: 'fsync' | 'process';
  /** The store's journal is compacted into the documents past this many bytes or records. */
  compactAfter: { bytes: number; records: number };
  /** Open a damaged database anyway: keep what is intact, drop the rest and say what. */
  repair: boolean;
  /** API key → organisation. */
  keys: Record<string, string>;
  /** Whether `keys` is the built-in development key. */
  developmentKey: boolean;
  /** Requests per minute per organisation, or undefined for no limit. */
  rateLimit: number | undefined;
  latencyMs: number;
  faultRate: number;
  seed: number;
  /** The control API's token; undefined with `--no-control`. */
  controlToken: string | undefined;
  /** Whether `controlToken` was made up at start-up (then it is printed). */
  generatedControlToken: boolean;
  /** How many exchanges the request journal keeps. */
  journalLimit: number;
  /** `--limit name=value`: the limits given, on top of `defaultLimits`. */
  limits: Partial<Limits>;
  /** `--limit summary-answer-bytes=n`: the largest model answer read for a summary. */
  summaryAnswerBytes: number | undefined;
  /** How long SIGTERM waits for requests in flight before closing their connections, in ms. */
  graceMs: number;
  /** How long a client may take to send its headers, in ms. */
  headerTimeoutMs: number;
  /** How long a client may take to send its whole request, in ms. */
  requestTimeoutMs: number;
  /** How to log; undefined: `pretty` on a terminal, `json` otherwise. */
  log: 'pretty' | 'json' | 'silent' | undefined;
  /** An OpenAI-compatible chat model for summaries, or undefined for the built-in summarizer. */
  summarizer: ModelSettings | undefined;
  /** An OpenAI-compatible embedding model for memory, or undefined for lexical ranking. */
  embeddings: ModelSettings | undefined;
  /** `--proxy`: the upstream Sessions API every request is forwarded to. */
  proxy: string | undefined;
  /** `--record`: where the proxy writes its recording on SIGINT/SIGTERM. */
  record: string | undefined;
  /** `--fixtures`: a seed file loaded at start (and after every reset). */
  fixtures: string | undefined;
}

/** Where an OpenAI-compatible model is; the key comes from the environment only. */
export interface ModelSettings {
  url: string;
  model: string;
  apiKey: string | undefined;
}

/** `fold-sessions-mock conformance`: check a deployment against the spec and this behaviour. */
export interface ConformanceCliOptions {
  baseURL: string;
  key: string;
  secondKey: string | undefined;
  /** Where the JUnit XML report goes. */
  junit: string;
  /** Where the JSON report goes, if anywhere. */
  json: string | undefined;
  fuzzRequests: number;
  seed: number | undefined;
  /** Case ids to run, or undefined for all. */
  only: string[] | undefined;
  /** Case ids not to run. */
  skip: string[] | undefined;
  readOnly: boolean;
}

export type CliCommand = { kind: 'help' } | { kind: 'serve'; options: CliOptions } | { kind: 'conformance'; options: ConformanceCliOptions };

export const conformanceUsage = `Usage: fold-sessions-mock conformance --base-url <url> --key <key> [options]

Checks a running deployment of the Sessions API (this reference server, a staging copy, the real
API) against the spec and the behaviour this project's tests expect. It creates, uses and deletes
its own sessions only, and deletes them at the end, also after a failure or Ctrl-C. 429, 503 and
lost connections are retried (5 tries, honouring Retry-After up to 10 s per wait).

Each case is passed, flaky (passed after retries), failed (the deployment broke the spec),
unavailable (no answer but transient ones) or skipped. Cases: ${conformanceCaseIds.join(', ')}.

Options:
  --base-url <url>    Where the API is, e.g. http://127.0.0.1:4010
  --key <key>         An API key (or env FOLD_API_KEY)
  --second-key <key>  A key of another organisation: enables the isolation cases
  --only <ids>        Run only these cases, comma-separated, e.g. --only auth,list
  --skip <ids>        Skip these cases, comma-separated
  --read-only         Only the cases that create nothing (for deployments where writes are unwelcome)
  --junit <file>      JUnit XML report (default conformance-junit.xml)
  --json <file>       JSON report: every case, the scores, the clean-up
  --fuzz <n>          Requests of the seeded fuzz pass (default 200; 0 for none)
  --seed <n>          Seed of the fuzz pass (default random, printed)
  -h, --help          Show this help

Exit status: 0 every case passed or was flaky, 1 a violation, 2 bad usage, 3 a case unavailable
and no violation, 130 interrupted (after the clean-up).
`;

/** `parseArgs` in strict mode, its complaints turned into usage errors. */
function strictArgs<T extends ParseArgsConfig['options']>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, strict: true, allowPositionals: false, options }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** `--only a,b`: case ids, each one the kit knows. */
function caseIds(flag: string, value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const ids = value.split(',').map((id) => id.trim()).filter(Boolean);
  if (ids.length === 0) throw new UsageError(`--${flag} needs case ids, e.g. --${flag} auth,list`);
  const unknown = ids.filter((id) => !conformanceCaseIds.includes(id));
  if (unknown.length) throw new UsageError(`--${flag}: no case ${unknown.map((id) => `"${id}"`).join(', ')}; the cases are ${conformanceCaseIds.join(', ')}`);
  return ids;
}

function parseConformance(argv: string[], env: Record<string, string | undefined>): CliCommand {
  const values = strictArgs(argv, {
    'base-url': { type: 'string' },
    key: { type: 'string' },
    'second-key': { type: 'string' },
    only: { type: 'string' },
    skip: { type: 'string' },
    'read-only': { type: 'boolean' },
    junit: { type: 'string' },
    json: { type: 'string' },
    fuzz: { type: 'string' },
    seed: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return { kind: 'help' };
  const baseURL = values['base-url'];
  if (baseURL === undefined || !/^https?:\/\/\S+$/.test(baseURL)) throw new UsageError('conformance needs --base-url, an http(s) URL such as http://127.0.0.1:4010');
  const key = values.key ?? env.FOLD_API_KEY;
  if (!key) throw new UsageError('conformance needs --key (or FOLD_API_KEY)');
  if (values['second-key'] !== undefined && values['second-key'] === key) throw new UsageError('--second-key must be a key of another organisation, not --key again');
  return {
    kind: 'conformance',
    options: {
      baseURL,
      key,
      secondKey: values['second-key'],
      junit: values.junit ?? 'conformance-junit.xml',
      json: values.json,
      fuzzRequests: values.fuzz === undefined ? 200 : integer('fuzz', values.fuzz, 0, 1_000_000),
      seed: values.seed === undefined ? undefined : integer('seed', values.seed, 0, 2 ** 32 - 1),
      only: caseIds('only', values.only),
      skip: caseIds('skip', values.skip),
      readOnly: values['read-only'] ?? false,
    },
  };
}

const mebibyte = 1024 * 1024;

/** `--compact-after`: `64` (MiB and thousands of records), `512KiB`, `8MiB` or `5000records`. */
function parseCompactAfter(value: string | undefined): CliOptions['compactAfter'] {
  if (value === undefined) return { bytes: 64 * mebibyte, records: 64_000 };
  const match = /^(\d+)(KiB|MiB|records)?$/.exec(value);
  const n = match ? Number(match[1]) : Number.NaN;
  if (!match || !Number.isSafeInteger(n) || n < 1 || n > 1_000_000_000) {
    throw new UsageError(`--compact-after must be a positive number of MiB, or a size such as 512KiB or 8MiB, or a count such as 5000records; got "${value}"`);
  }
  const unlimited = Number.MAX_SAFE_INTEGER;
  switch (match[2]) {
    case 'KiB':
      return { bytes: n * 1024, records: unlimited };
    case 'MiB':
      return { bytes: n * mebibyte, records: unlimited };
    case 'records':
      return { bytes: unlimited, records: n };
    default:
      return { bytes: n * mebibyte, records: n * 1000 };
  }
}

/** A flag value that cannot be used; the CLI prints it and exits with status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const usage = `Usage: fold-sessions-mock [options]

Runs the Sessions API reference server. \`fold-sessions-mock conformance --help\` checks a
deployment against the spec instead.

Options:
  --port <n>          Port to listen on (default 4010; 0 picks a free one)
  --host <host>       Interface to bind (default 127.0.0.1)
  --db <path>         Database file (default ./data/sessions.json); sessions are kept
                      one file each in the folder beside it (./data/sessions/)
  --in-memory         Keep everything in memory; nothing is written
  --durability <d>    fsync (default): a write is answered once its journal record is
                      synced to disk, so it survives a crash of the process or the
                      machine; process: once it is handed to the OS, so it survives a
                      crash of the process; after a power cut it restarts with the
                      last writes lost, at most (faster)
  --repair            Open a database start-up refuses as damaged (an edited or
                      missing file, a journal damaged before its end): keep what is
                      intact, drop the rest, and print what was dropped
  --compact-after <n> Compact the journal into the session files past n MiB and
                      n*1000 records, whichever comes first (default 64); or only
                      past a size (512KiB, 8MiB) or a count (5000records)
  --keys <list>       API keys as key=org,key=org (or env FOLD_SESSIONS_KEYS);
                      default: the development key fold_dev_key for org_dev
  --rate-limit <n>    Requests per minute per organisation, as N or N/min (default off)
  --latency <ms>      Delay added to every request (default 0)
  --fault-rate <r>    Share of requests, 0..1, answered 503 with Retry-After (default 0)
  --seed <n>          Seed for which requests fail (default 1)
  --control-token <t> Token of the control API under /__fold (or env
                      FOLD_SESSIONS_CONTROL_TOKEN); default: a random one, printed
  --no-control        Turn the control API off (/__fold/* answers 404)
  --journal <n>       Exchanges the request journal keeps (default 1000)
  --limit <name>=<n>  A limit, repeatable (each with its default):
                        messages-per-session (10000), session-bytes (16 MiB of
                        messages), sessions-per-organisation (100000): past them
                        429 USAGE_LIMIT_EXCEEDED; idempotency-records (100000),
                        idempotency-bytes (64 MiB), journal-bytes (32 MiB),
                        journal-body-bytes (16 KiB): the oldest records go;
                        summary-answer-bytes (1 MiB): a longer model answer fails
                        the summary
  --grace <ms>        On SIGTERM, how long requests in flight may finish before their
                      connections are closed (default 10000)
  --header-timeout <ms>   A client's headers must arrive within this (default 10000)
  --request-timeout <ms>  and its whole request within this (default 30000); a
                      client that stalls longer is answered 408 and dropped
  --log <format>      pretty, json or silent (default: pretty on a terminal,
                      json otherwise)
  --summarizer <s>    default (deterministic, no network) or openai: any
                      OpenAI-compatible chat endpoint (Ollama, vLLM, LM Studio, ...)
  --summarizer-url <u>   its base URL, e.g. http://127.0.0.1:11434/v1
  --summarizer-model <m> its model; key from env FOLD_SESSIONS_SUMMARIZER_KEY
  --embeddings <e>    off (lexical memory ranking) or openai: an OpenAI-compatible
                      /embeddings endpoint ranks memory by meaning
  --embeddings-url <u>   its base URL (default: --summarizer-url)
  --embeddings-model <m> its model; key from env FOLD_SESSIONS_EMBEDDINGS_KEY
                      (default: FOLD_SESSIONS_SUMMARIZER_KEY)
  --proxy <url>       Forward every Sessions API request to this upstream (the real
                      API or another server) and return its answers unchanged, each
                      checked against the spec: what breaks it is in the response
                      header fold-violations and in the journal. Implies --in-memory
  --record <file>     With --proxy: on SIGINT/SIGTERM, write the sessions seen in the
                      answers to this seed file (API keys become org_recorded_1, ...;
                      keys are never written); also at GET /__fold/recording
  --fixtures <file>   Load a seed file ({sessions, memory}, e.g. from --record) at
                      start and after every reset. Implies --in-memory
  -h, --help          Show this help
`;

export const defaults = { port: 4010, host: '127.0.0.1', db: './data/sessions.json' } as const;

function integer(flag: string, value: string, min: number, max: number): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${flag} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return n;
}

/** `--summarizer openai --summarizer-url U --summarizer-model M` (and the same for embeddings), checked. */
function modelSettings(
  flag: string,
  kind: string | undefined,
  off: string,
  url: string | undefined,
  model: string | undefined,
  apiKey: string | undefined,
): ModelSettings | undefined {
  if (kind !== undefined && kind !== off && kind !== 'openai') throw new UsageError(`--${flag} must be ${off} or openai, got "${kind}"`);
  if (kind !== 'openai') {
    if (model !== undefined || (url !== undefined && flag === 'summarizer')) throw new UsageError(`--${flag}-url and --${flag}-model need --${flag} openai`);
    return undefined;
  }
  if (url === undefined || !/^https?:\/\/\S+$/.test(url)) throw new UsageError(`--${flag} openai needs --${flag}-url, an http(s) URL such as http://127.0.0.1:11434/v1`);
  if (model === undefined || model.trim() === '') throw new UsageError(`--${flag} openai needs --${flag}-model`);
  return { url, model, apiKey: apiKey === '' ? undefined : apiKey };
}

/** Parses `key=org,key=org`. */
export function parseKeys(list: string, source: string): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const pair of list.split(',').map((part) => part.trim()).filter(Boolean)) {
    const match = /^([^=\s]+)=([^=\s]+)$/.exec(pair);
    if (!match) throw new UsageError(`${source} must look like key=org,key=org; "${pair}" does not`);
    if (Object.hasOwn(keys, match[1]!)) throw new UsageError(`${source} lists the key "${match[1]}" twice`);
    keys[match[1]!] = match[2]!;
  }
  if (Object.keys(keys).length === 0) throw new UsageError(`${source} names no keys`);
  return keys;
}

/** A limit's name on the command line: `messagesPerSession` is `messages-per-session`. */
const limitFlagName = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/** `--limit name=value`, repeatable: the limits of `Limits`, and `summary-answer-bytes`. */
function parseLimits(given: string[]): Pick<CliOptions, 'limits' | 'summaryAnswerBytes'> {
  const names = new Map(Object.keys(defaultLimits).map((name) => [limitFlagName(name), name as LimitName]));
  const limits: Partial<Limits> = {};
  let summaryAnswerBytes: number | undefined;
  for (const entry of given) {
    const match = /^([a-z-]+)=(\d+)$/.exec(entry.trim());
    const known = match && (match[1] === 'summary-answer-bytes' || names.has(match[1]!));
    if (!match || !known) {
      throw new UsageError(`--limit takes name=value with a whole number, the name one of ${[...names.keys(), 'summary-answer-bytes'].join(', ')}; got "${entry}"`);
    }
    const value = integer(`limit ${match[1]}`, match[2]!, 1, Number.MAX_SAFE_INTEGER);
    if (match[1] === 'summary-answer-bytes') summaryAnswerBytes = value;
    else limits[names.get(match[1]!)!] = value;
  }
  return { limits, summaryAnswerBytes };
}

/** Reads the command line (without `node` and the script) and the environment. */
export function parseCli(argv: string[], env: Record<string, string | undefined> = {}): CliCommand {
  if (argv[0] === 'conformance') return parseConformance(argv.slice(1), env);
  const values = strictArgs(argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    db: { type: 'string' },
    'in-memory': { type: 'boolean' },
    durability: { type: 'string' },
    repair: { type: 'boolean' },
    'compact-after': { type: 'string' },
    keys: { type: 'string' },
    'rate-limit': { type: 'string' },
    latency: { type: 'string' },
    'fault-rate': { type: 'string' },
    seed: { type: 'string' },
    'control-token': { type: 'string' },
    'no-control': { type: 'boolean' },
    journal: { type: 'string' },
    limit: { type: 'string', multiple: true },
    grace: { type: 'string' },
    'header-timeout': { type: 'string' },
    'request-timeout': { type: 'string' },
    log: { type: 'string' },
    summarizer: { type: 'string' },
    'summarizer-url': { type: 'string' },
    'summarizer-model': { type: 'string' },
    embeddings: { type: 'string' },
    'embeddings-url': { type: 'string' },
    'embeddings-model': { type: 'string' },
    proxy: { type: 'string' },
    record: { type: 'string' },
    fixtures: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return { kind: 'help' };
  if (values['in-memory'] && values.db !== undefined) throw new UsageError('Use either --db or --in-memory, not both');
  const { proxy, record, fixtures } = values;
  if (proxy !== undefined && !/^https?:\/\/[^\s?#]+$/.test(proxy)) throw new UsageError(`--proxy must be an http(s) URL without query or fragment, such as https://api.fold.run; got "${proxy}"`);
  if (record !== undefined && proxy === undefined) throw new UsageError('--record needs --proxy: it records what the upstream answers');
  if (record !== undefined && record.trim() === '') throw new UsageError('--record needs a file name');
  if (fixtures !== undefined && fixtures.trim() === '') throw new UsageError('--fixtures needs a file name');
  if (fixtures !== undefined && proxy !== undefined) throw new UsageError('Use either --proxy or --fixtures, not both: a proxy answers from its upstream');
  // A proxy stores nothing, and fixtures are loaded afresh at every start: neither opens a database.
  const inMemory = values['in-memory'] === true || proxy !== undefined || fixtures !== undefined;
  if ((proxy !== undefined || fixtures !== undefined) && values.db !== undefined) throw new UsageError(`--${proxy !== undefined ? 'proxy' : 'fixtures'} keeps everything in memory; drop --db`);

  let rateLimit: number | undefined;
  if (values['rate-limit'] !== undefined) {
    const match = /^(\d+)(?:\/min)?$/.exec(values['rate-limit']);
    if (!match) throw new UsageError(`--rate-limit must look like 100 or 100/min, got "${values['rate-limit']}"`);
    rateLimit = integer('rate-limit', match[1]!, 1, 1_000_000);
  }

  let faultRate = 0;
  if (values['fault-rate'] !== undefined) {
    faultRate = /^(0|1|0?\.\d+|1\.0*)$/.test(values['fault-rate']) ? Number(values['fault-rate']) : Number.NaN;
    if (!(faultRate >= 0 && faultRate <= 1)) throw new UsageError(`--fault-rate must be a number from 0 to 1, got "${values['fault-rate']}"`);
  }

  const tokenFlag = values['control-token'] ?? env.FOLD_SESSIONS_CONTROL_TOKEN;
  const tokenSource = values['control-token'] !== undefined ? '--control-token' : 'FOLD_SESSIONS_CONTROL_TOKEN';
  if (values['no-control'] && values['control-token'] !== undefined) throw new UsageError('Use either --control-token or --no-control, not both');
  if (tokenFlag !== undefined && !/^[A-Za-z0-9._~+/=-]{8,256}$/.test(tokenFlag)) {
    throw new UsageError(`${tokenSource} must be 8 to 256 characters of A-Z a-z 0-9 . _ ~ + / = -`);
  }

  const keyList = values.keys ?? env.FOLD_SESSIONS_KEYS;
  const keySource = values.keys !== undefined ? '--keys' : 'FOLD_SESSIONS_KEYS';
  const host = values.host ?? defaults.host;
  if (host.trim() === '') throw new UsageError('--host must not be empty');

  const durability = values.durability ?? 'fsync';
  if (durability !== 'fsync' && durability !== 'process') throw new UsageError(`--durability must be fsync or process, got "${durability}"`);
  if (inMemory && (values.durability !== undefined || values['compact-after'] !== undefined || values.repair)) {
    throw new UsageError('--durability, --compact-after and --repair apply to a --db database, not to --in-memory');
  }
  const compactAfter = parseCompactAfter(values['compact-after']);

  const log = values.log;
  if (log !== undefined && log !== 'pretty' && log !== 'json' && log !== 'silent') {
    throw new UsageError(`--log must be pretty, json or silent, got "${log}"`);
  }

  const summarizer = modelSettings('summarizer', values.summarizer, 'default', values['summarizer-url'], values['summarizer-model'], env.FOLD_SESSIONS_SUMMARIZER_KEY);
  const embeddings = modelSettings(
    'embeddings',
    values.embeddings,
    'off',
    values['embeddings-url'] ?? (values.embeddings === 'openai' ? values['summarizer-url'] : undefined),
    values['embeddings-model'],
    env.FOLD_SESSIONS_EMBEDDINGS_KEY ?? env.FOLD_SESSIONS_SUMMARIZER_KEY,
  );

  const keys = keyList === undefined || keyList.trim() === '' ? { fold_dev_key: 'org_dev' } : parseKeys(keyList, keySource);
  const controlToken = values['no-control'] ? undefined : (tokenFlag ?? randomId('fold_control_'));
  if (controlToken !== undefined && Object.hasOwn(keys, controlToken)) {
    throw new UsageError(`${tokenSource} must differ from every API key: the control token never opens the Sessions API`);
  }

  return {
    kind: 'serve',
    options: {
      port: values.port === undefined ? defaults.port : integer('port', values.port, 0, 65535),
      host,
      db: inMemory ? undefined : (values.db ?? defaults.db),
      durability,
      compactAfter,
      repair: values.repair ?? false,
      keys,
      developmentKey: keyList === undefined || keyList.trim() === '',
      rateLimit,
      latencyMs: values.latency === undefined ? 0 : integer('latency', values.latency, 0, 600_000),
      faultRate,
      seed: values.seed === undefined ? 1 : integer('seed', values.seed, 0, 2 ** 32 - 1),
      controlToken,
      generatedControlToken: controlToken !== undefined && tokenFlag === undefined,
      journalLimit: values.journal === undefined ? 1000 : integer('journal', values.journal, 1, 1_000_000),
      ...parseLimits(values.limit ?? []),
      graceMs: values.grace === undefined ? 10_000 : integer('grace', values.grace, 0, 600_000),
      headerTimeoutMs: values['header-timeout'] === undefined ? 10_000 : integer('header-timeout', values['header-timeout'], 100, 600_000),
      requestTimeoutMs: values['request-timeout'] === undefined ? 30_000 : integer('request-timeout', values['request-timeout'], 100, 600_000),
      log,
      summarizer,
      embeddings,
      proxy,
      record,
      fixtures,
    },
  };
}
