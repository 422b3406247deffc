import type { NextFunction, Request, Response } from 'express';

const exposed = ['x-request-id', 'retry-after', 'idempotent-replayed', 'ratelimit', 'ratelimit-policy'].join(', ');
const allowedHeaders = ['authorization', 'content-type', 'idempotency-key', 'x-request-id'].join(', ');

/**
 * Open CORS: any origin may call the API (API keys travel in `Authorization`, not cookies, so
 * `*` is safe) and read the headers clients need for retries and support.
 */
export function openCors(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('access-control-allow-origin', '*');
  res.setHeader('access-control-expose-headers', exposed);
  if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
    res.setHeader('access-control-allow-methods', 'GET, POST, PUT, DELETE, OPTIONS');
    res.setHeader('access-control-allow-headers', req.headers['access-control-request-headers'] ?? allowedHeaders);
    res.setHeader('access-control-max-age', '600');
    res.setHeader('vary', 'Access-Control-Request-Headers');
    res.status(204).end();
    return;
  }
  next();
}
