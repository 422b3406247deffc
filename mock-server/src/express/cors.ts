import type { Request, Response } from 'express';
import { corsHeaders, preflightHeaders } from '../surface.js';

/**
 * Open CORS on every response (see `http/cors.ts`). Returns true when the request was a
 * preflight, which it has answered.
 */
export function answerCors(req: Request, res: Response): boolean {
  const preflight = req.method === 'OPTIONS' ? preflightHeaders(req.method, req.headers as Record<string, string | undefined>) : undefined;
  for (const name in preflight ?? corsHeaders) res.setHeader(name, (preflight ?? corsHeaders)[name]!);
  if (!preflight) return false;
  res.status(204).end();
  return true;
}
