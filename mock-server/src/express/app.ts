import express, { type NextFunction, type Request, type Response } from 'express';
import { pino, type Logger, type LoggerOptions } from 'pino';
import { pinoHttp } from 'pino-http';
import { createApiHandler, defaultBodyLimit, type ApiHandlerOptions } from '../api/handler.js';
import { errorResponse } from '../api/error-response.js';
import { UnsupportedMediaTypeError } from '../api/errors.js';
import { resolveRequestId } from '../api/request-id.js';
import type { ApiRequest, ApiResponse } from '../api/types.js';
import type { Clock } from '../core/clock.js';
import { ValidationError } from '../core/errors.js';
import type { IdGenerator } from '../core/ids.js';
import { LowdbSessionStore } from '../core/lowdb-store.js';
import { SessionsService } from '../core/service.js';
import type { SessionStore } from '../core/store.js';
import type { Summarizer } from '../core/summarizer.js';
import { openCors } from './cors.js';

/** The documented development key, used when no keys are configured. */
export const developmentKeys: Readonly<Record<string, string>> = Object.freeze({ fold_dev_key: 'org_dev' });

export interface CreateAppOptions extends Omit<ApiHandlerOptions, 'service' | 'keys'> {
  /** The service to serve. @default a new service over `store` */
  service?: SessionsService;
  /** Used only when `service` is not given. @default an empty in-memory lowdb store */
  store?: SessionStore;
  /** Used only when `service` is not given (the handler also uses it). @default the system clock */
  clock?: Clock;
  /** Used only when `service` is not given. */
  summarizer?: Summarizer;
  /** Used only when `service` is not given. */
  ids?: IdGenerator;
  /** @default `{ fold_dev_key: 'org_dev' }` */
  keys?: ApiHandlerOptions['keys'];
  /**
   * A pino logger, pino options, or `false` for none.
   * @default pino at `info`; silent when NODE_ENV is `test`
   */
  logger?: Logger | LoggerOptions | false;
  /** Answer CORS preflights and expose the API's headers to browsers. @default true */
  cors?: boolean;
}

declare module 'http' {
  interface IncomingMessage {
    requestId?: string;
  }
}

function headerRecord(req: Request): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function send(req: Request, res: Response, response: ApiResponse): void {
  if (response.networkError) {
    req.socket.destroy();
    return;
  }
  res.status(response.status);
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  if (response.body === null) res.end();
  else res.end(JSON.stringify(response.body));
}

/**
 * pino-http with lean serializers: one line per answered request with id, method, URL, status
 * and time. No headers, so API keys cannot reach the logs; and its defaults (every header
 * serialised into a per-request child logger) would cost about a fifth of a GET's CPU.
 */
function requestLog(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req) => req.requestId ?? '',
    quietReqLogger: true,
    wrapSerializers: false,
    serializers: {
      req: (req: Request) => ({ id: req.id, method: req.method, url: req.originalUrl ?? req.url }),
      res: (res: Response) => ({ statusCode: res.statusCode }),
    },
  });
}

function createLogger(option: CreateAppOptions['logger']): Logger | undefined {
  if (option === false) return undefined;
  if (option && 'info' in option && typeof option.info === 'function') return option as Logger;
  const level = process.env.NODE_ENV === 'test' ? 'silent' : 'info';
  // API keys must never reach the logs.
  return pino({ level, redact: ['req.headers.authorization'], ...(option as LoggerOptions | undefined) });
}

/**
 * The service `createApp` serves when none is given: over `options.store` (default: an empty
 * in-memory lowdb store), with its clock, summarizer and ids. Failures of background work go to
 * `logger`. Build it first when the caller needs the service itself (e.g. to await summaries).
 */
export function createService(
  options: Pick<CreateAppOptions, 'store' | 'clock' | 'summarizer' | 'ids'>,
  logger?: Logger,
): SessionsService {
  return new SessionsService({
    store: options.store ?? LowdbSessionStore.inMemory(),
    ...(options.clock && { clock: options.clock }),
    ...(options.summarizer && { summarizer: options.summarizer }),
    ...(options.ids && { ids: options.ids }),
    onSummaryError: (error, sessionId) => logger?.warn({ err: error, sessionId }, 'summary failed'),
    onStoreError: (error, sessionId) => logger?.error({ err: error, sessionId }, 'background write failed'),
  });
}

/**
 * The Sessions API as an Express 5 app. It never listens: call `app.listen()` or hand it to
 * `http.createServer()`. Everything but the HTTP plumbing lives in `createApiHandler`.
 *
 * @example
 * const app = createApp({ keys: { my_key: 'org_1' }, logger: false });
 * app.listen(4010, '127.0.0.1');
 */
export function createApp(options: CreateAppOptions = {}): express.Express {
  const logger = createLogger(options.logger);
  const service = options.service ?? createService(options, logger);
  const bodyLimit = options.bodyLimit ?? defaultBodyLimit;
  const handle = createApiHandler({
    ...options,
    service,
    keys: options.keys ?? developmentKeys,
    bodyLimit,
    onInternalError(error, request) {
      logger?.error({ err: error, requestId: request.requestId }, 'internal error');
      options.onInternalError?.(error, request);
    },
  });

  function toApiRequest(req: Request, rawBody: Uint8Array | undefined, bodyTooLarge = false): ApiRequest {
    const url = new URL(req.originalUrl, 'http://localhost');
    return {
      method: req.method,
      path: url.pathname,
      query: url.searchParams,
      headers: headerRecord(req),
      rawBody,
      bodyTooLarge,
      requestId: req.requestId!,
    };
  }

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((req, res, next) => {
    const header = req.headers['x-request-id'];
    req.requestId = resolveRequestId(typeof header === 'string' ? header : undefined);
    res.setHeader('x-request-id', req.requestId);
    next();
  });
  if (logger) app.use(requestLog(logger));
  if (options.cors ?? true) app.use(openCors);
  app.use(async (req, res, next) => {
    // A declared length over the limit is answered at once; the body is read off and dropped.
    if (Number(req.headers['content-length']) > bodyLimit) {
      req.resume();
      res.setHeader('connection', 'close');
      send(req, res, await handle(toApiRequest(req, undefined, true)));
      return;
    }
    next();
  });
  app.use(express.raw({ type: () => true, limit: bodyLimit }));
  app.use(async (req, res) => {
    const rawBody = Buffer.isBuffer(req.body) ? new Uint8Array(req.body.buffer, req.body.byteOffset, req.body.length) : undefined;
    send(req, res, await handle(toApiRequest(req, rawBody)));
  });
  // Errors from reading the body; everything after that is answered by the handler.
  app.use(async (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const type = (error as { type?: unknown }).type;
    if (type === 'entity.too.large') {
      // A chunked body that grew past the limit; body-parser has read it off.
      res.setHeader('connection', 'close');
      send(req, res, await handle(toApiRequest(req, undefined, true)));
      return;
    }
    let answer: ApiResponse;
    if (type === 'encoding.unsupported') answer = errorResponse(new UnsupportedMediaTypeError(req.headers['content-encoding']));
    else if (type === 'request.aborted') return;
    else if (typeof (error as { status?: unknown }).status === 'number' && (error as { status: number }).status < 500) {
      answer = errorResponse(new ValidationError([{ path: 'body', message: (error as Error).message }]));
    } else {
      logger?.error({ err: error }, 'internal error');
      answer = errorResponse(error);
    }
    if (!res.headersSent) send(req, res, answer);
  });
  return app;
}
