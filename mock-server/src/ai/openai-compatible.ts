/**
 * A small client of the OpenAI-compatible HTTP API (`/v1/chat/completions`, `/v1/embeddings`)
 * that Ollama, vLLM, LM Studio, llama.cpp's server and OpenAI itself all speak. fetch only, so
 * it runs in a browser (MSW) as well as in Node.
 */
export interface OpenAICompatibleOptions {
  /** Base URL including the version, e.g. `http://127.0.0.1:11434/v1` (Ollama) or `https://api.openai.com/v1`. */
  baseURL: string;
  /** The model name, e.g. `llama3.2` or `text-embedding-3-small`. */
  model: string;
  /** Sent as `Authorization: Bearer <apiKey>` when set. Never logged. */
  apiKey?: string;
  /** Per attempt, in ms. @default 30000 */
  timeoutMs?: number;
  /** Retries after a 429, a 5xx, a timeout or a connection error. @default 2 */
  maxRetries?: number;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
  /** Largest answer read, in bytes; a longer one fails the call instead of filling memory. @default 1048576 (1 MiB) */
  maxAnswerBytes?: number;
}

/** The default of `maxAnswerBytes`. */
export const defaultMaxAnswerBytes = 1024 * 1024;

/** A call to the model server that failed for good; `status` is 0 when no answer came. */
export class ModelServerError extends Error {
  override readonly name = 'ModelServerError';
  constructor(
    message: string,
    readonly status: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits before retry `attempt` (1-based): `Retry-After` when the server sent a sane one, else 0.5 s doubling, with jitter. */
function retryDelay(attempt: number, retryAfter: string | null): number {
  const seconds = retryAfter === null ? Number.NaN : Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0 && seconds <= 60) return seconds * 1000;
  return 500 * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5);
}

export function checkModelOptions(options: OpenAICompatibleOptions, what: string): void {
  if (typeof options?.baseURL !== 'string' || !/^https?:\/\//.test(options.baseURL)) {
    throw new TypeError(`${what}: baseURL must be an http(s) URL such as http://127.0.0.1:11434/v1, got ${JSON.stringify(options?.baseURL)}`);
  }
  if (typeof options.model !== 'string' || options.model.trim() === '') throw new TypeError(`${what}: model must be a non-empty string`);
  for (const [name, value, min] of [['timeoutMs', options.timeoutMs, 1], ['maxRetries', options.maxRetries, 0], ['maxAnswerBytes', options.maxAnswerBytes, 1]] as const) {
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= min)) throw new TypeError(`${what}: ${name} must be a whole number >= ${min}, got ${value}`);
  }
}

/** POSTs `body` as JSON to `path` under `baseURL`, retrying what can be retried, and returns the parsed answer. */
export async function postJson(options: OpenAICompatibleOptions, path: string, body: unknown): Promise<unknown> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? defaultSleep;
  const maxRetries = options.maxRetries ?? 2;
  const url = `${options.baseURL.replace(/\/+$/, '')}${path}`;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  for (let attempt = 0; ; attempt++) {
    let response: Response;
    try {
      response = await fetchImpl(url, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
    } catch (error) {
      const timedOut = (error as { name?: string }).name === 'TimeoutError';
      const reason = timedOut ? `no answer within ${options.timeoutMs ?? 30_000} ms` : `could not connect (${(error as Error).message})`;
      if (attempt < maxRetries) {
        await sleep(retryDelay(attempt + 1, null));
        continue;
      }
      throw new ModelServerError(`POST ${url}: ${reason}`, 0, { cause: error });
    }
    if (response.ok) {
      const text = await readAnswer(response, options.maxAnswerBytes ?? defaultMaxAnswerBytes, url);
      try {
        return JSON.parse(text);
      } catch (error) {
        throw new ModelServerError(`POST ${url}: the answer is not JSON: ${redact(text.slice(0, 200), options.apiKey)}`, response.status, { cause: error });
      }
    }
    // Only the start of an error body is read, and never shown with the key in it.
    const detail = redact(await readAnswer(response, 200, url, true).catch(() => ''), options.apiKey);
    if ((response.status === 429 || response.status >= 500) && attempt < maxRetries) {
      await sleep(retryDelay(attempt + 1, response.headers.get('retry-after')));
      continue;
    }
    throw new ModelServerError(`POST ${url}: ${response.status} ${detail}`.trim(), response.status);
  }
}

/**
 * The answer's text, read up to `max` bytes. Past it the rest is not read: the call fails, or
 * with `cut` the start is returned.
 */
async function readAnswer(response: Response, max: number, url: string, cut = false): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (!cut && declared > max) {
    await response.body?.cancel().catch(() => undefined);
    throw new ModelServerError(`POST ${url}: the answer is ${declared} bytes, more than the ${max} read`, response.status);
  }
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      if (cut) break;
      throw new ModelServerError(`POST ${url}: the answer is more than the ${max} bytes read`, response.status);
    }
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) bytes.set(chunk, (at += chunk.byteLength) - chunk.byteLength);
  return new TextDecoder().decode(cut ? bytes.subarray(0, max) : bytes);
}

/** A model server's words with the key, and anything shaped like a bearer token, taken out. */
function redact(text: string, apiKey: string | undefined): string {
  const keyless = apiKey ? text.split(apiKey).join('[redacted]') : text;
  return keyless.replace(/\b(Bearer\s+)[^\s"',;]+/gi, '$1[redacted]').replace(/\bsk-[A-Za-z0-9_-]{8,}/g, '[redacted]');
}
