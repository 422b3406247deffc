import type { NextFunction, Request, Response } from 'express';
import { corsHeaders, preflightHeaders } from '../api/index.js';

/** Open CORS on every response, and the answer to preflights (see `api/cors.ts`). */
export function openCors(req: Request, res: Response, next: NextFunction): void {
  const preflight = preflightHeaders(req.method, req.headers as Record<string, string | undefined>);
  for (const [name, value] of Object.entries(preflight ?? corsHeaders)) res.setHeader(name, value);
  if (preflight) {
    res.status(204).end();
    return;
  }
  next();
}
