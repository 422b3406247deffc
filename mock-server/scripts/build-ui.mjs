// Bundles the inspector (ui/src/main.ts) and the API reference's start-up script (ui/src/docs.ts)
// into ui/dist/, minified, for the server to serve from the package: no CDN, works offline.
// `npm start` runs it (with --quiet) before the server, so the inspector follows its sources.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(packageDir, 'ui', 'dist');

/**
 * Builds ui/dist/ and returns esbuild's metafile (sizes of every input and output). Each file is
 * replaced in one rename, so that a server reading it meanwhile (a test) never sees half of it.
 */
export async function buildUi({ outdir = out } = {}) {
  mkdirSync(outdir, { recursive: true });
  const result = await build({ ...uiBuildOptions, outdir });
  for (const file of result.outputFiles) {
    const partial = `${file.path}.${process.pid}.tmp`;
    writeFileSync(partial, file.contents);
    renameSync(partial, file.path);
  }
  // The renderer's files are copied into the package (with its licence), so installing the
  // package pulls no renderer and none of its install-time dependencies.
  const renderer = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  for (const [from, to] of [['swagger-ui-bundle.js', 'swagger-ui-bundle.js'], ['swagger-ui.css', 'swagger-ui.css'], ['LICENSE', 'swagger-ui.LICENSE'], ['NOTICE', 'swagger-ui.NOTICE']]) {
    const partial = join(outdir, `${to}.${process.pid}.tmp`);
    try {
      copyFileSync(join(renderer, from), partial);
    } catch (error) {
      if (from === 'NOTICE' && error.code === 'ENOENT') continue;
      throw error;
    }
    renameSync(partial, join(outdir, to));
  }
  return result.metafile;
}

/** How the inspector is bundled: also what scripts/inspector-size.mjs measures. */
export const uiBuildOptions = {
  entryPoints: { inspector: join(packageDir, 'ui/src/main.ts'), docs: join(packageDir, 'ui/src/docs.ts') },
  outdir: out,
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  conditions: ['fold-sessions-source'],
  legalComments: 'none',
  metafile: true,
  write: false,
  logLevel: 'warning',
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const metafile = await buildUi();
  const sizes = Object.entries(metafile.outputs).map(([file, output]) => `${file.split('/').pop()} ${output.bytes} B`);
  if (!process.argv.includes('--quiet')) console.log(`fold-sessions-mock: built the inspector (${sizes.join(', ')})`);
}
