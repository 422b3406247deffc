import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { docsPage, indexPage, inspectorPage } from './pages.js';

/** A page or file of the inspector, ready to send. */
export interface Asset {
  contentType: string;
  body: string | Buffer;
}

/**
 * The package folder: the nearest folder above this module with the package's package.json
 * (this module is `src/inspector/assets.ts`, `dist/inspector/assets.js`, or part of the bundled
 * `dist/cli.js`).
 */
function findPackageDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      if ((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name === 'fold-sessions-mock') return dir;
    } catch {
      // No package.json here, or not one that parses: look further up.
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`The fold-sessions-mock package folder was not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

let packageDirFound: string | undefined;
const packageDir = () => (packageDirFound ??= findPackageDir());
const built = (name: string) => join(packageDir(), 'ui', 'dist', name);

const html = 'text/html; charset=utf-8';
const js = 'text/javascript; charset=utf-8';
const css = 'text/css; charset=utf-8';

type Source = { page: string } | { file: () => string; contentType: string; hint: string };

const notBuilt = 'The inspector is not built: run `npm run build -w mock-server` (or `npm run build`).';

/** Every path the inspector answers, and where its bytes come from. */
const sources: Record<string, Source> = {
  '/': { page: indexPage },
  '/__fold/ui': { page: inspectorPage },
  '/__fold/ui/': { page: inspectorPage },
  '/__fold/ui/inspector.js': { file: () => built('inspector.js'), contentType: js, hint: notBuilt },
  '/__fold/ui/inspector.css': { file: () => built('inspector.css'), contentType: css, hint: notBuilt },
  '/__fold/docs': { page: docsPage },
  '/__fold/docs/': { page: docsPage },
  '/__fold/docs/docs.js': { file: () => built('docs.js'), contentType: js, hint: notBuilt },
  '/__fold/docs/docs.css': { file: () => built('docs.css'), contentType: css, hint: notBuilt },
  '/__fold/docs/swagger-ui-bundle.js': { file: () => built('swagger-ui-bundle.js'), contentType: js, hint: notBuilt },
  '/__fold/docs/swagger-ui.css': { file: () => built('swagger-ui.css'), contentType: css, hint: notBuilt },
  '/__fold/docs/sessions.yaml': {
    file: () => join(packageDir(), 'openapi', 'sessions.yaml'),
    contentType: 'application/yaml; charset=utf-8',
    hint: 'The package has no openapi/sessions.yaml: run `npm run build -w mock-server`.',
  },
};

/** Whether the inspector answers this path (GET and HEAD only). */
export function isInspectorPath(path: string): boolean {
  return Object.hasOwn(sources, path);
}

export class AssetMissingError extends Error {
  constructor(
    readonly path: string,
    readonly hint: string,
    options?: ErrorOptions,
  ) {
    super(`The inspector cannot serve ${path}. ${hint}`, options);
  }
}

const cache = new Map<string, Promise<Asset>>();

/** The page or file at `path`, read once and kept: the files do not change while the server runs. */
export function loadAsset(path: string): Promise<Asset> {
  const source = sources[path];
  if (!source) return Promise.reject(new AssetMissingError(path, 'No such page.'));
  if ('page' in source) return Promise.resolve({ contentType: html, body: source.page });
  let loading = cache.get(path);
  if (!loading) {
    loading = Promise.resolve()
      .then(() => readFile(source.file()))
      .then(
      (body) => ({ contentType: source.contentType, body }),
      (error: unknown) => {
        cache.delete(path);
        throw new AssetMissingError(path, source.hint, { cause: error });
      },
    );
    cache.set(path, loading);
  }
  return loading;
}
