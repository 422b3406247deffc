import type { Request, Response } from 'express';
import type { Logger } from 'pino';

/**
 * One log line per request, written when its connection is done with it: id, method, URL,
 * status, time in ms, and `injected` for a fault or override. No headers, so API keys cannot
 * reach the logs. Client errors and injected faults are ordinary `info` lines; only a real 5xx
 * is an `error` (its cause is logged, with its stack, where it happened), and a request whose
 * connection closed before the answer was sent is a `warn`. A per-request child logger and
 * serialised headers, as a general-purpose HTTP logger makes them, would cost a tenth of a GET.
 * Returns undefined when the logger is silent: then it costs nothing at all.
 */
export function requestLog(logger: Logger): ((req: Request, res: Response) => void) | undefined {
  if (!logger.isLevelEnabled('error')) return undefined;
  return function logRequest(req, res) {
    const started = performance.now();
    res.once('close', () => {
      const injected: string | undefined = res.locals.injected;
      const finished = res.writableFinished;
      const line = {
        req: { id: req.requestId, method: req.method, url: req.originalUrl },
        res: { statusCode: res.statusCode },
        responseTime: Math.round(performance.now() - started),
        ...(injected && { injected }),
      };
      if (!finished && !injected) logger.warn(line, 'request aborted');
      else if (res.statusCode >= 500 && !injected) logger.error(line, 'request failed');
      else logger.info(line, 'request completed');
    });
  };
}
