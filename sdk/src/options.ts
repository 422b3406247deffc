import { FoldSessionsError } from './errors.js';
import { serverUserAgent, timeoutHeader } from './identity.js';
import { type Log, type Logger, type LogLevel, logLevels } from './log.js';
import type { ResponseValidator } from './response-validator.js';

/** Options of `new FoldSessions(options)`. */
export interface ClientOptions {
  /**
   * The API key, sent as `Authorization: Bearer <apiKey>`.
   * @default process.env.FOLD_API_KEY (where `process` exists)
   */
  apiKey?: string | undefined;
  /**
   * Where the API lives.
   * @default process.env.FOLD_BASE_URL, else 'https://api.fold.run'
   * @example 'http://127.0.0.1:4010' // the local reference server
   */
  baseURL?: string | undefined;
  /** Headers sent with every request (per-call `headers` win). @default none */
  defaultHeaders?: Record<string, string> | undefined;
  /**
   * How much to log: `debug` shows every attempt (method, URL, status, duration, request id) and
   * every retry decision with its delay and reason. The API key and headers are never logged.
   * @default process.env.FOLD_LOG, else 'warn'
   */
  logLevel?: LogLevel | undefined;
  /** Where log lines go: any object with `error`, `warn`, `info` and `debug`. @default console */
  logger?: Logger | undefined;
  /**
   * How many times a failed attempt is retried (connection errors, timeouts, 408, 429, 5xx).
   * @default 2
   */
  maxRetries?: number | undefined;
  /**
   * Milliseconds one attempt may take before it is abandoned (and retried).
   * @default 60000
   */
  timeout?: number | undefined;
  /**
   * The `fetch` to use: a polyfill, or a wrapper for logging or tests.
   * @default globalThis.fetch
   */
  fetch?: typeof fetch | undefined;
  /**
   * Check every successful response body against the spec and throw `ResponseValidationError`
   * when it differs, with the validator of `fold-sessions/validation` (which needs the optional
   * peer dependency `zod`). Without it the SDK never loads zod.
   * @default false
   * @example
   * import { responseValidator } from 'fold-sessions/validation';
   * new FoldSessions({ validateResponses: responseValidator });
   */
  validateResponses?: ResponseValidator | false | undefined;
  /**
   * Send `User-Agent: fold-sessions/<version> (<runtime>/<version>; <os>)`, `X-Fold-Retry-Count`
   * (0 on the first attempt) and `X-Fold-Timeout` (seconds) with every attempt, so that the
   * server's logs tell a retry from a duplicate. In a browser each would cost a CORS preflight,
   * so none is sent there unless this is `true` (and the browser keeps its own `User-Agent`).
   * @default true in Node, Bun and Deno; false elsewhere
   */
  identityHeaders?: boolean | undefined;
}

/** Options every method takes as its last argument; they override the client's for one call. */
export interface RequestOptions {
  /** Aborts the call, including retries and the waits between them. */
  signal?: AbortSignal | undefined;
  /** Milliseconds per attempt. @default the client's `timeout` */
  timeout?: number | undefined;
  /** @default the client's `maxRetries` */
  maxRetries?: number | undefined;
  /**
   * The `Idempotency-Key` of a POST, sent unchanged on every attempt. Pass your own to make a
   * call safe to repeat across processes.
   * @default a random UUID per call
   */
  idempotencyKey?: string | undefined;
  /** Extra request headers, such as `x-request-id`. */
  headers?: Record<string, string> | undefined;
}

export interface ResolvedClientOptions {
  baseURL: string;
  /** Undefined for the global `fetch`, looked up on every call so that patches to it apply. */
  fetch: typeof fetch | undefined;
  validateResponses: ResponseValidator | undefined;
  /** Whether attempts carry the identity headers: retries set their own `X-Fold-Retry-Count`. */
  identity: boolean;
  /** What a call without options resolves to, shared by all of them: the client's timeout and retries. */
  call: ResolvedRequestOptions;
  log: Log;
}

export interface ResolvedRequestOptions {
  signal: AbortSignal | undefined;
  timeout: number;
  maxRetries: number;
  idempotencyKey: string | undefined;
  /**
   * The call's headers: `Authorization`, the identity headers (when sent), `defaultHeaders`,
   * `X-Fold-Timeout` when the call has its own timeout, then its own headers.
   */
  headers: Record<string, string>;
}

const DEFAULT_BASE_URL = 'https://api.fold.run';
// setTimeout fires at once for delays above 2^31 - 1 ms.
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export function resolveClientOptions(options: ClientOptions): ResolvedClientOptions {
  const apiKey = options.apiKey ?? readEnv('FOLD_API_KEY');
  if (typeof apiKey !== 'string' || apiKey.trim() === '') {
    throw new FoldSessionsError('Missing API key: pass `apiKey` or set FOLD_API_KEY');
  }
  const baseURL = (options.baseURL ?? readEnv('FOLD_BASE_URL') ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  check('baseURL', options.baseURL, URL.canParse(baseURL), 'an absolute URL');
  const { fetch, identityHeaders, defaultHeaders, logger = console, validateResponses } = options;
  optional('fetch', fetch, 'function');
  optional('identityHeaders', identityHeaders, 'boolean');
  const maxRetries = checkRetries(options.maxRetries ?? 2);
  const timeout = checkTimeout(options.timeout ?? 60_000);
  check('defaultHeaders', defaultHeaders, defaultHeaders === undefined || (typeof defaultHeaders === 'object' && defaultHeaders !== null && Object.values(defaultHeaders).every((value) => typeof value === 'string')), 'an object of strings');
  const level = options.logLevel ?? (readEnv('FOLD_LOG') as LogLevel | undefined) ?? 'warn';
  check('logLevel (or FOLD_LOG)', level, logLevels.includes(level), logLevels.join(', '));
  const methods = logLevels.slice(1) as Exclude<LogLevel, 'off'>[];
  check('logger', logger, methods.every((method) => typeof logger?.[method] === 'function'), `an object with ${methods.join(', ')} methods`);
  // Fails at construction, before any request is sent: a create must never succeed on the server
  // while its caller gets an error about validation.
  check('validateResponses', validateResponses, validateResponses === undefined || validateResponses === false || typeof (validateResponses as ResponseValidator | null)?.check === 'function', "a validator: import { responseValidator } from 'fold-sessions/validation' (needs zod)");
  const userAgent = identityHeaders === false ? undefined : serverUserAgent();
  const identity = identityHeaders ?? userAgent !== undefined;
  // Every call's headers, built once: `Authorization`, the identity headers (when sent), then
  // `defaultHeaders`. They go to the generated function as a plain object, the cheapest headers it
  // merges per call; with the key among them its auth step (two awaits and a lookup) has nothing to do.
  // An `Authorization` of `defaultHeaders` replaces the key's: a call's own headers, merged after
  // these, must then find one entry to override, whatever the case of its name.
  const headers: Record<string, string> = {
    ...(!Object.keys({ ...defaultHeaders }).some((name) => /^authorization$/i.test(name)) && { authorization: `Bearer ${apiKey}` }),
    ...(identity && { ...(userAgent && { 'user-agent': userAgent }), 'x-fold-retry-count': '0', 'x-fold-timeout': timeoutHeader(timeout) }),
    ...defaultHeaders,
  };
  return {
    baseURL,
    fetch,
    validateResponses: validateResponses || undefined,
    identity,
    call: { signal: undefined, timeout, maxRetries, idempotencyKey: undefined, headers },
    log: { level, logger },
  };
}

/** A call's options over the client's; a call without any shares the client's resolved ones. */
export function resolveRequestOptions(client: ResolvedClientOptions, options: RequestOptions | undefined): ResolvedRequestOptions {
  const { call } = client;
  if (options === undefined) return call;
  const key = options.idempotencyKey;
  check('idempotencyKey', key, key === undefined || (typeof key === 'string' && key.length > 0 && key.length < 256), '1 to 255 characters');
  const timeout = options.timeout === undefined ? call.timeout : checkTimeout(options.timeout);
  return {
    signal: options.signal,
    timeout,
    maxRetries: options.maxRetries === undefined ? call.maxRetries : checkRetries(options.maxRetries),
    idempotencyKey: key,
    headers: { ...call.headers, ...(client.identity && options.timeout !== undefined && { 'x-fold-timeout': timeoutHeader(timeout) }), ...options.headers },
  };
}

const checkRetries = (value: number): number =>
  check('maxRetries', value, Number.isInteger(value) && value >= 0, 'an integer ≥ 0');

const checkTimeout = (value: number): number =>
  check('timeout', value, typeof value === 'number' && value > 0 && value <= MAX_TIMEOUT_MS, `1 to ${MAX_TIMEOUT_MS} ms`);

const optional = (name: string, value: unknown, type: string): unknown =>
  check(name, value, value === undefined || typeof value === type, `a ${type}`);

/** Fails early and precisely on an option the rest of the code could not use. */
export function check<T>(name: string, value: T, valid: boolean, expected: string): T {
  if (!valid) throw new FoldSessionsError(`${name} must be ${expected}, got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`);
  return value;
}

function readEnv(name: string): string | undefined {
  // No `node:process` import: the package must load in browsers and edge runtimes as is.
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  try {
    return env?.[name]?.trim() || undefined;
  } catch {
    // Deno without --allow-env throws on any read of the environment: there is none to use.
    return undefined;
  }
}
