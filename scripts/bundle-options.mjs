import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

/**
 * How the size scripts bundle an app the way a browser app is shipped: esbuild, minified ESM for
 * ES2022 browsers, packages resolved from the repository's node_modules. Gzip level 9 on top.
 */
export const browserBundle = {
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  nodePaths: [join(root, 'node_modules')],
  logLevel: 'error',
};
