// Bundles the command line (dist/cli.js, as tsc wrote it) into one module: this package's code,
// the SDK it uses for `conformance` and zod. A start then reads one file instead of about two
// hundred. Express, pino, lowdb and msw stay imports, loaded from node_modules as installed.
// Run from mock-server/ after tsc (`npm run build`).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const bundled = new Set(['fold-sessions', 'zod']);
const external = [...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies ?? {})].filter((name) => !bundled.has(name));

const result = await build({
  entryPoints: ['dist/cli.js'],
  bundle: true,
  write: false,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  // Whitespace and syntax only: names stay as written, so stack traces still read.
  minifyWhitespace: true,
  minifySyntax: true,
  external: external.flatMap((name) => [name, `${name}/*`]),
  metafile: true,
  logLevel: 'error',
});
const [output] = result.outputFiles;
writeFileSync('dist/cli.js', output.contents);
// tsc's source map describes the module before bundling.
rmSync('dist/cli.js.map', { force: true });
const modules = Object.keys(result.metafile.inputs).length;
console.log(`fold-sessions-mock: bundled the command line (dist/cli.js: ${modules} modules, ${output.contents.length} B; external: ${external.join(', ')})`);
