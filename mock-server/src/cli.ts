// The command line: flags, files, listening, signals. `bin.ts` starts it.
import type { Server } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pino, type Logger } from 'pino';
import { createSessionsApi, defaultLimits, LowdbSessionStore, openAIEmbedder, openAISummarizer, type SessionsData } from './surface.js';
import { checkSeed } from './control/server/data.js';
import { conformanceUsage, parseCli, usage, UsageError, type CliOptions, type ModelSettings } from './cli-options.js';
import { toJson, toJUnit, toText } from './conformance/report.js';
import { conformanceExitCode, runConformance } from './conformance/run.js';
import { createApp } from './express/app.js';
import { answerMalformedRequests } from './express/client-errors.js';
import { openDurableStore, removeInterruptedWrites, sessionsDirectory, type FileStoreReport } from './store/file-store.js';
import { prettyStream } from './log-format.js';

// Not `import { createServer } from 'node:http'`: an ES import of node:http makes Node load its
// bundled undici (its exports include fetch's classes), about 100 ms of every start.
const { createServer } = process.getBuiltinModule('node:http');

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The client options of a model server from its flags. */
function modelOptions(model: ModelSettings, maxAnswerBytes: number | undefined) {
  return { baseURL: model.url, model: model.model, ...(model.apiKey && { apiKey: model.apiKey }), ...(maxAnswerBytes && { maxAnswerBytes }) };
}

function listen(app: ReturnType<typeof createApp>, options: CliOptions): Promise<Server> {
  return new Promise((resolveServer, reject) => {
    // A test server needs seconds, not Node's minutes: a client that stalls is dropped. Node
    // checks these cut-offs every `connectionsCheckingInterval` (30 s by default), which would
    // let a stalled client stay for up to 30 s past them.
    const server = createServer(
      {
        headersTimeout: options.headerTimeoutMs,
        requestTimeout: Math.max(options.requestTimeoutMs, options.headerTimeoutMs),
        connectionsCheckingInterval: Math.min(1_000, Math.ceil(options.headerTimeoutMs / 4)),
      },
      app,
    );
    answerMalformedRequests(server);
    server.once('listening', () => resolveServer(server));
    server.once('error', reject);
    server.listen(options.port, options.host);
  });
}

/** `--log`: pretty lines on a terminal, JSON lines otherwise. */
function logFormat(format: CliOptions['log']): NonNullable<CliOptions['log']> {
  return format ?? (process.stdout.isTTY ? 'pretty' : 'json');
}

function createLogger(format: NonNullable<CliOptions['log']>): Logger {
  // API keys must never reach the logs.
  const options = { level: format === 'silent' ? 'silent' : 'info', redact: ['req.headers.authorization'] };
  return format === 'pretty' ? pino(options, prettyStream(process.stdout, process.stdout.isTTY === true)) : pino(options);
}

/**
 * What the server says of itself (the banner, a signal): plain lines, or with `--log json` one
 * JSON line, so that standard output holds nothing else.
 */
function announcer(format: NonNullable<CliOptions['log']>, logger: Logger): (lines: string[]) => void {
  if (format === 'json') return (lines) => logger.info({ lines: lines.slice(1).map((line) => line.trim()) }, lines[0]!);
  return (lines) => process.stdout.write(`${lines.join('\n')}\n`);
}

/** `--fixtures`: a seed file, read and checked before anything starts. */
function readFixtures(path: string): SessionsData {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`--fixtures: cannot read ${path} (${(error as { code?: string }).code ?? describe(error)})`, { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`--fixtures: ${path} is not JSON (${describe(error)})`, { cause: error });
  }
  return checkSeed(data, undefined, `--fixtures: ${path} is not valid seed data {sessions, memory}`);
}

// Relative paths are relative to where the user ran the command: npm runs workspace scripts
// inside the workspace folder but records the caller's folder in INIT_CWD.
const userDirectory = process.env.INIT_CWD ?? process.cwd();

async function serve(cli: CliOptions): Promise<void> {
  const options = { ...cli, db: cli.db === undefined ? undefined : resolve(userDirectory, cli.db) };
  const format = logFormat(options.log);
  const logger = createLogger(format);
  const announce = announcer(format, logger);
  const record = options.record === undefined ? undefined : resolve(userDirectory, options.record);
  const fixtures = options.fixtures === undefined ? undefined : resolve(userDirectory, options.fixtures);
  const initialData = fixtures === undefined ? undefined : readFixtures(fixtures);
  const interrupted = options.db ? await removeInterruptedWrites(options.db) : 0;
  let store: LowdbSessionStore;
  let opened: FileStoreReport | undefined;
  // The store keeps idempotent requests' changes by the API's clock, which the controller moves;
  // the API is built once the store is open.
  let apiClock: { now(): number } | undefined;
  if (options.db) {
    ({ store, report: opened } = await openDurableStore(options.db, {
      durability: options.durability,
      repair: options.repair,
      now: () => apiClock?.now() ?? Date.now(),
      maxReplays: options.limits.idempotencyRecords ?? defaultLimits.idempotencyRecords,
      journalLimits: { maxBytes: options.compactAfter.bytes, maxRecords: options.compactAfter.records },
      // Once per episode: a full disk must not flood the log.
      onWriteError: (error) => logger.error({ err: error }, 'writes are failing: answering 503 until the disk accepts them again'),
      onRecovered: () => logger.info('writes work again'),
      onCompactionError: (error) => logger.warn({ err: error }, 'compaction failed: the journal keeps everything, it is tried again later'),
    }));
  } else {
    store = LowdbSessionStore.inMemory();
  }
  const api = createSessionsApi({
    store,
    keys: options.keys,
    ...(options.rateLimit !== undefined && { rateLimit: options.rateLimit }),
    faults: { latencyMs: options.latencyMs, errorRate: options.faultRate, seed: options.seed },
    journal: options.journalLimit,
    limits: options.limits,
    ...(initialData && { initialData }),
    ...(options.proxy !== undefined && { proxy: { upstream: options.proxy, timeoutMs: options.requestTimeoutMs } }),
    ...(options.summarizer && { summarizer: openAISummarizer(modelOptions(options.summarizer, options.summaryAnswerBytes)) }),
    ...(options.embeddings && { embedder: openAIEmbedder(modelOptions(options.embeddings, options.summaryAnswerBytes)) }),
    onEmbeddingError: (error, during) =>
      logger.warn({ err: error, during }, during === 'query' ? 'embedding failed: memory query ranked by words' : 'embedding failed: summary stored without a vector'),
    control: options.controlToken === undefined ? false : { token: options.controlToken },
    onSummaryError: (error, sessionId) => logger.warn({ err: error, sessionId }, 'summary failed'),
    onStoreError: (error, sessionId) => logger.error({ err: error, sessionId }, 'background write failed'),
    onInternalError: (error, request) => logger.error({ err: error, requestId: request.requestId, method: request.method, path: request.path }, 'internal error'),
  });
  const { service } = api;
  apiClock = service.clock;
  const resumed = service.resumePendingSummaries();
  const app = createApp({ api, logger, inspector: options.controlToken !== undefined });

  let server: Server;
  try {
    server = await listen(app, options);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EADDRINUSE') {
      throw new Error(`Port ${options.port} on ${options.host} is already in use; pick another with --port`, { cause: error });
    }
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  // A space follows the URL, so a script that reads it up to the next space
  // (`listening on (http://\S+)`) finds it in a `--log json` line too.
  const lines = [`fold-sessions-mock listening on http://${host}:${port} (ready)`];
  if (options.proxy !== undefined) lines.push('  API keys: those of the upstream (requests are forwarded with their key)');
  else if (options.developmentKey) lines.push('  API key:  fold_dev_key (organisation org_dev; development key, set --keys to change)');
  else lines.push(`  API keys: ${Object.keys(options.keys).length} (organisations: ${[...new Set(Object.values(options.keys))].join(', ')})`);
  if (options.db) {
    const db = resolve(options.db);
    lines.push(`  Database: ${db} (sessions in ${sessionsDirectory(db)})`);
    lines.push(`  Durability: ${options.durability === 'fsync' ? 'fsync (answered once synced to disk)' : 'process (answered once handed to the OS)'}`);
    if (interrupted > 0) lines.push(`  Removed ${interrupted} temporary file${interrupted === 1 ? '' : 's'} of writes a crash interrupted`);
    if (opened?.replayed) lines.push(`  Replayed ${opened.replayed} journal record${opened.replayed === 1 ? '' : 's'}`);
    if (opened?.torn) {
      lines.push(`  Ignored the last batch of ${opened.torn.file} from byte ${opened.torn.offset}: not written to its end (a crash while it was written, never answered; or the file was cut there)`);
    }
    if (opened?.dropped.length) {
      // One line says what start-up could not keep, and why.
      const what = options.repair ? 'Repaired the database, dropping' : 'Recovered from a power cut; lost';
      lines.push(`  ${what}: ${opened.dropped.join('; ')}`);
    }
    if (resumed > 0) lines.push(`  Resumed ${resumed} summar${resumed === 1 ? 'y' : 'ies'} left pending`);
  } else {
    lines.push('  Database: in memory (nothing is written)');
  }
  if (options.proxy !== undefined) lines.push(`  Proxy: forwarding the Sessions API to ${options.proxy}, checked against the spec`);
  if (record !== undefined) lines.push(`  Recording: written to ${record} on exit (also at /__fold/recording)`);
  if (initialData && fixtures !== undefined) lines.push(`  Fixtures: ${initialData.sessions.length} session${initialData.sessions.length === 1 ? '' : 's'} from ${fixtures}`);
  if (options.summarizer) lines.push(`  Summaries: ${options.summarizer.model} at ${options.summarizer.url}`);
  if (options.embeddings) lines.push(`  Memory ranking: embeddings from ${options.embeddings.model} at ${options.embeddings.url}`);
  if (options.controlToken === undefined) lines.push('  Control API: off (--no-control)');
  else if (options.generatedControlToken) lines.push(`  Control API: http://${host}:${port}/__fold (token ${options.controlToken}; set --control-token to choose one)`);
  else lines.push(`  Control API: http://${host}:${port}/__fold (token from ${process.env.FOLD_SESSIONS_CONTROL_TOKEN === options.controlToken ? 'FOLD_SESSIONS_CONTROL_TOKEN' : '--control-token'})`);
  if (options.controlToken !== undefined) {
    // The token rides in the fragment, which browsers never send to the server. One from the
    // environment is a secret the banner never prints: the link then names where it is.
    const fromEnv = !options.generatedControlToken && process.env.FOLD_SESSIONS_CONTROL_TOKEN === options.controlToken;
    const fragment = fromEnv ? '<FOLD_SESSIONS_CONTROL_TOKEN>' : encodeURIComponent(options.controlToken);
    lines.push(`  Inspector: http://${host}:${port}/__fold/ui#token=${fragment} (API reference: /__fold/docs)`);
  }
  if (options.rateLimit) lines.push(`  Rate limit: ${options.rateLimit} requests per minute per organisation`);
  if (options.latencyMs || options.faultRate) {
    lines.push(`  Faults: ${options.latencyMs} ms latency, ${options.faultRate} rate of 503s (seed ${options.seed})`);
  }
  announce(lines);

  let stopping = false;
  // Writes already accepted are made durable before exit, on the first signal and on a second alike.
  // The first signal also compacts the journal into the documents; a second one only waits
  // for the writes (the journal keeps everything the documents miss).
  const finish = async (code: number) => {
    if (record !== undefined) {
      try {
        writeFileSync(record, `${JSON.stringify(api.recording(), null, 2)}\n`);
        announce([`Recording written to ${record}`]);
      } catch (error) {
        logger.error({ err: error }, `the recording could not be written to ${record}`);
        process.stderr.write(`fold-sessions-mock: the recording could not be written to ${record}: ${describe(error)}\n`);
      }
    }
    await (code === 0 ? store.close() : store.flush()).catch((error: unknown) => logger.error({ err: error }, 'final write failed'));
    process.exit(code);
  };
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`Second ${signal}: dropping connections, then the last writes\n`);
      server.closeAllConnections();
      await finish(1);
      return;
    }
    stopping = true;
    announce([`${signal}: finishing requests (at most ${options.graceMs} ms) and writes`]);
    // Idle keep-alive connections close now; busy ones once their response is sent, or at the end of the grace.
    const closed = new Promise<void>((done) => server.close(() => done()));
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const grace = setTimeout(() => server.closeAllConnections(), options.graceMs);
    await closed;
    clearInterval(sweep);
    clearTimeout(grace);
    // Background summaries get what is left of the grace; a stuck model server must not hold the exit.
    await Promise.race([service.summaries.flush(), new Promise((done) => setTimeout(done, options.graceMs).unref())]);
    await finish(0);
  };
  process.on('SIGINT', (signal) => void stop(signal));
  process.on('SIGTERM', (signal) => void stop(signal));
}

async function main(): Promise<void> {
  const conformance = process.argv[2] === 'conformance';
  let command;
  try {
    command = parseCli(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`fold-sessions-mock: ${error.message}\n\n${conformance ? conformanceUsage : usage}`);
    process.exit(2);
  }
  if (command.kind === 'help') {
    process.stdout.write(conformance ? conformanceUsage : usage);
    return;
  }
  try {
    if (command.kind === 'conformance') {
      const { options } = command;
      // Ctrl-C stops the run, but the sessions it created are still deleted before the exit (130).
      const interrupt = new AbortController();
      const onSigint = () => {
        if (interrupt.signal.aborted) process.exit(130);
        process.stderr.write('fold-sessions-mock: interrupted; deleting the sessions the run created (Ctrl-C again to leave them)\n');
        interrupt.abort();
      };
      process.on('SIGINT', onSigint);
      const report = await runConformance({ ...options, ...(options.seed !== undefined && { seed: options.seed }), signal: interrupt.signal });
      process.off('SIGINT', onSigint);
      process.stdout.write(toText(report));
      const junit = resolve(userDirectory, options.junit);
      writeFileSync(junit, toJUnit(report));
      process.stdout.write(`JUnit XML: ${junit}\n`);
      if (options.json !== undefined) {
        const json = resolve(userDirectory, options.json);
        writeFileSync(json, toJson(report));
        process.stdout.write(`JSON: ${json}\n`);
      }
      process.exit(report.interrupted ? 130 : conformanceExitCode(report));
    }
    await serve(command.options);
  } catch (error) {
    process.stderr.write(`fold-sessions-mock: ${describe(error)}\n`);
    process.exit(1);
  }
}

await main();
