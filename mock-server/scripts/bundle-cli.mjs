// Bundles the command line (dist/cli.js, as tsc wrote it) into one module with what it imports:
// this package's code and its dependencies (express, pino, lowdb, zod, the SDK it uses for
// `conformance`). A start then reads one file instead of about 360. The library entries
// (`fold-sessions-mock`, `/msw`, `/control`) still import the installed dependencies.
// Run from mock-server/ after tsc (`npm run build`).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
// The peer dependency (msw) is for the MSW entry; the command line never imports it.
const external = Object.keys(manifest.peerDependencies ?? {});

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
  // Express and its dependencies are CommonJS: their require() of Node's modules needs a require.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  metafile: true,
  logLevel: 'error',
});
const [output] = result.outputFiles;
writeFileSync('dist/cli.js', output.contents);
// tsc's source map describes the module before bundling.
rmSync('dist/cli.js.map', { force: true });
const modules = Object.keys(result.metafile.inputs).length;
console.log(`fold-sessions-mock: bundled the command line (dist/cli.js: ${modules} modules, ${output.contents.length} B)`);
