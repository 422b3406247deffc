import { FoldSessionsError } from './errors.js';

/** Options of `new FoldSessions(options)`. */
export interface ClientOptions {
  /**
   * The API key, sent as `Authorization: Bearer <apiKey>`.
   * @default process.env.FOLD_API_KEY (where `process` exists)
   */
  apiKey?: string | undefined;
  /**
   * Where the API lives.
   * @default 'https://api.fold.run'
   * @example 'http://127.0.0.1:4010' // the local reference server
   */
  baseURL?: string | undefined;
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
   * when it differs. Needs the optional peer dependency `zod`, loaded only when this is on.
   * @default false
   */
  validateResponses?: boolean | undefined;
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
  apiKey: string;
  baseURL: string;
  maxRetries: number;
  timeout: number;
  fetch: typeof fetch;
  validateResponses: boolean;
}

export interface ResolvedRequestOptions {
  signal: AbortSignal | undefined;
  timeout: number;
  maxRetries: number;
  idempotencyKey: string | undefined;
  headers: Record<string, string> | undefined;
}

const DEFAULT_BASE_URL = 'https://api.fold.run';
// setTimeout fires at once for delays above 2^31 - 1 ms.
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export function resolveClientOptions(options: ClientOptions): ResolvedClientOptions {
  const apiKey = options.apiKey ?? readEnv('FOLD_API_KEY');
  if (typeof apiKey !== 'string' || apiKey.trim() === '') {
    throw new FoldSessionsError(
      'Missing API key: pass `apiKey` to `new FoldSessions({ apiKey })` or set the FOLD_API_KEY environment variable.',
    );
  }
  const baseURL = (options.baseURL ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  if (!URL.canParse(baseURL)) {
    throw new FoldSessionsError(`baseURL must be an absolute URL such as ${DEFAULT_BASE_URL}, got ${JSON.stringify(options.baseURL)}.`);
  }
  const fetchOption = options.fetch;
  if (fetchOption !== undefined && typeof fetchOption !== 'function') {
    throw new FoldSessionsError('fetch must be a function with the signature of the global fetch.');
  }
  return {
    apiKey,
    baseURL,
    maxRetries: checkRetries(options.maxRetries ?? 2),
    timeout: checkTimeout(options.timeout ?? 60_000),
    // Called unbound: browsers throw "Illegal invocation" when fetch runs with another `this`.
    fetch: fetchOption ?? ((input, init) => globalThis.fetch(input, init)),
    validateResponses: options.validateResponses === true,
  };
}

export function resolveRequestOptions(
  client: ResolvedClientOptions,
  options: RequestOptions = {},
): ResolvedRequestOptions {
  const key = options.idempotencyKey;
  if (key !== undefined && (typeof key !== 'string' || key.length < 1 || key.length > 255)) {
    throw new FoldSessionsError(`idempotencyKey must be a string of 1 to 255 characters, got ${JSON.stringify(key)}.`);
  }
  return {
    signal: options.signal,
    timeout: options.timeout === undefined ? client.timeout : checkTimeout(options.timeout),
    maxRetries: options.maxRetries === undefined ? client.maxRetries : checkRetries(options.maxRetries),
    idempotencyKey: key,
    headers: options.headers,
  };
}

function checkRetries(value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new FoldSessionsError(`maxRetries must be an integer of 0 or more, got ${value}.`);
  }
  return value;
}

function checkTimeout(value: number): number {
  if (typeof value !== 'number' || !(value > 0 && value <= MAX_TIMEOUT_MS)) {
    throw new FoldSessionsError(`timeout must be a number of milliseconds above 0 and at most ${MAX_TIMEOUT_MS}, got ${value}.`);
  }
  return value;
}

function readEnv(name: string): string | undefined {
  // No `node:process` import: the package must load in browsers and edge runtimes as is.
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.[name]?.trim() || undefined;
}
