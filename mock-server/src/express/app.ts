import express, { type Request, type Response } from 'express';
import { pino, type Logger, type LoggerOptions } from 'pino';
import {
  controlBodyLimit,
  controlPrefix,
  createSessionsApi,
  defaultBodyLimit,
  resolveRequestId,
  type ApiRequest,
  type ApiResponse,
  type SessionsApi,
  type SessionsApiOptions,
} from '../surface.js';
import { serveInspector } from '../inspector/middleware.js';
import { answerCors } from './cors.js';
import { readRawBody } from './read-body.js';
import { requestLog } from './request-log.js';

/** Bytes of a too-large body read off before its 413 is sent (at least 4 × the limit). */
const drainLimit = 16 * 1024 * 1024;

export interface CreateAppOptions extends SessionsApiOptions {
  /** The API to serve, built with `createSessionsApi()`. @default one built from the other options */
  api?: SessionsApi;
  /**
   * A pino logger, pino options, or `false` for none.
   * @default pino at `info`
   */
  logger?: Logger | LoggerOptions | false;
  /** Answer CORS preflights and expose the API's headers to browsers. @default true */
  cors?: boolean;
  /**
   * Serve the inspector at `/__fold/ui`, the API reference at `/__fold/docs` and an index page
   * at `/`. Turn it on only with the control API, which the inspector reads.
   * @default true when this app builds its API with `control`; false when given `api`
   */
  inspector?: boolean;
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
  if (response.injected) res.locals.injected = response.injected;
  if (response.networkError) {
    req.socket.destroy();
    return;
  }
  // One call for the status and the API's headers (joined to those set before: id, CORS), with
  // the length, so that the body goes out in one piece rather than chunked.
  const body = response.rawBody ?? (response.body === null ? undefined : JSON.stringify(response.body));
  res.writeHead(response.status, body === undefined ? response.headers : { ...response.headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function createLogger(option: CreateAppOptions['logger']): Logger | undefined {
  if (option === false) return undefined;
  if (option && 'info' in option && typeof option.info === 'function') return option as Logger;
  // API keys must never reach the logs.
  return pino({ level: 'info', redact: ['req.headers.authorization'], ...(option as LoggerOptions | undefined) });
}

/** Builds the API from the options, sending failures of background work and bugs to `logger`. */
function buildApi(options: CreateAppOptions, logger: Logger | undefined): SessionsApi {
  const { api, logger: _logger, cors: _cors, inspector: _inspector, ...apiOptions } = options;
  if (api) return api;
  return createSessionsApi({
    ...apiOptions,
    onSummaryError(error, sessionId) {
      logger?.warn({ err: error, sessionId }, 'summary failed');
      apiOptions.onSummaryError?.(error, sessionId);
    },
    onStoreError(error, sessionId) {
      logger?.error({ err: error, sessionId }, 'background write failed');
      apiOptions.onStoreError?.(error, sessionId);
    },
    onEmbeddingError(error, during) {
      logger?.warn({ err: error, during }, during === 'query' ? 'embedding failed: memory query ranked by words' : 'embedding failed: summary stored without a vector');
      apiOptions.onEmbeddingError?.(error, during);
    },
    onInternalError(error, request) {
      logger?.error({ err: error, requestId: request.requestId }, 'internal error');
      apiOptions.onInternalError?.(error, request);
    },
  });
}

/**
 * The Sessions API (and its control API, when on) as an Express 5 app: bytes in, bytes out over
 * `createSessionsApi().handle`. It never listens: call `app.listen()` or hand it to
 * `http.createServer()`.
 *
 * @example
 * const api = createSessionsApi({ keys: { my_key: 'org_1' } });
 * createApp({ api, logger: false }).listen(4010, '127.0.0.1');
 */
export function createApp(options: CreateAppOptions = {}): express.Express {
  const logger = createLogger(options.logger);
  const { handle } = buildApi(options, logger);
  const bodyLimit = options.bodyLimit ?? defaultBodyLimit;
  const limitOf = (req: Request) => (req.path.startsWith(`${controlPrefix}/`) ? controlBodyLimit : bodyLimit);

  function toApiRequest(req: Request, rawBody: Uint8Array | undefined, bodyTooLarge = false): ApiRequest {
    // The request target as sent, split at `?`: no URL parser, which would read `//host/x` as a
    // host and throw on `//a:99999`; an odd path is then simply an unknown route.
    const target = req.originalUrl;
    const at = target.indexOf('?');
    return {
      method: req.method,
      path: at === -1 ? target : target.slice(0, at),
      query: new URLSearchParams(at === -1 ? '' : target.slice(at + 1)),
      headers: headerRecord(req),
      rawBody,
      bodyTooLarge,
      requestId: req.requestId!,
    };
  }

  const app = express();
  // A request target Express cannot route (absolute-form such as `http://[/x`) skips every
  // middleware and would get Express's HTML 404: the API answers it instead, in its own shape.
  type Handle = (req: Request, res: Response, done?: (error?: unknown) => void) => void;
  const routable = app as unknown as { handle: Handle };
  const expressHandle = routable.handle.bind(app);
  routable.handle = (req, res, done) =>
    expressHandle(req, res, done ?? (() => {
      if (res.headersSent) return;
      req.requestId ??= resolveRequestId(undefined);
      void handle(toApiRequest(req, undefined)).then((response) => send(req, res, response));
    }));
  app.disable('x-powered-by');
  app.set('etag', false);
  const logRequest = logger && requestLog(logger);
  const cors = options.cors ?? true;
  const inspector = (options.inspector ?? (!options.api && Boolean(options.control))) ? serveInspector() : undefined;
  // What every request gets, in one layer: its id, its log line, CORS (and the preflight answer).
  app.use((req, res, next) => {
    const header = req.headers['x-request-id'];
    req.requestId = resolveRequestId(typeof header === 'string' ? header : undefined);
    res.setHeader('x-request-id', req.requestId);
    logRequest?.(req, res);
    if (cors && answerCors(req, res)) return;
    if (inspector) inspector(req, res, next).catch(next);
    else next();
  });
  app.use(async (req, res) => {
    const limit = limitOf(req);
    // A declared length over the limit is answered at once, without reading the body. The body is
    // still read off and dropped, so a client that goes on sending gets its 413 rather than a
    // broken pipe, and the connection stays usable. Past the drain limit the connection is closed:
    // nothing reads gigabytes to be polite.
    const declared = Number(req.headers['content-length']);
    if (declared > limit) {
      req.resume();
      if (declared > Math.max(drainLimit, 4 * limit)) res.setHeader('connection', 'close');
      send(req, res, await handle(toApiRequest(req, undefined, true)));
      return;
    }
    const { bytes, tooLarge } = await readRawBody(req, limit);
    if (tooLarge) res.setHeader('connection', 'close');
    send(req, res, await handle(toApiRequest(req, bytes, tooLarge)));
  });
  return app;
}
