import type { NextFunction, Request, Response } from 'express';
import { AssetMissingError, isInspectorPath, loadAsset } from './assets.js';

// The pages load only their own files and talk only to this server.
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  // The API reference's renderer sets inline styles.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/**
 * Serves the inspector (`/__fold/ui`), the API reference (`/__fold/docs`) and the index page
 * (`/`) from the files in the package. Mount it only while the control API is on. Other
 * requests pass through to the API.
 */
export function serveInspector() {
  return async function inspector(req: Request, res: Response, next: NextFunction): Promise<void> {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !isInspectorPath(req.path)) {
      next();
      return;
    }
    try {
      const asset = await loadAsset(req.path);
      res.status(200);
      res.setHeader('content-type', asset.contentType);
      res.setHeader('cache-control', 'no-cache');
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('referrer-policy', 'no-referrer');
      res.setHeader('content-security-policy', contentSecurityPolicy);
      res.end(req.method === 'HEAD' ? undefined : asset.body);
    } catch (error) {
      if (!(error instanceof AssetMissingError)) throw error;
      res.status(503).setHeader('content-type', 'text/plain; charset=utf-8');
      res.end(`${error.message}\n`);
    }
  };
}
