// Bundles the inspector (ui/src/main.ts) and the API reference's start-up script (ui/src/docs.ts)
// into ui/dist/, minified, for the server to serve from the package: no CDN, works offline.
// `--check` only reports whether ui/dist/ is older than its sources.
import { build } from 'esbuild';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(packageDir, 'ui', 'dist');

/** Builds ui/dist/ and returns esbuild's metafile (sizes of every input and output). */
export async function buildUi({ outdir = out } = {}) {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    entryPoints: { inspector: join(packageDir, 'ui/src/main.ts'), docs: join(packageDir, 'ui/src/docs.ts') },
    outdir,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['fold-sessions-source'],
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  return result.metafile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const metafile = await buildUi();
  const sizes = Object.entries(metafile.outputs).map(([file, output]) => `${file.split('/').pop()} ${output.bytes} B`);
  console.log(`fold-sessions-mock: built the inspector (${sizes.join(', ')})`);
}
