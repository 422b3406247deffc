// Bundles the command line (dist/cli.js, as tsc wrote it) into one module with what it imports:
// this package's code and its dependencies (express, pino, lowdb, zod, the SDK it uses for
// `conformance`). A start then reads one file instead of about 360. The library entries
// (`fold-sessions-mock`, `/msw`, `/control`) still import the installed dependencies.
// Run from mock-server/ after tsc (`npm run build`).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

/** The folder and manifest of the package a resolved file belongs to (the nearest package.json naming itself). */
function packageOf(file) {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (manifest.name && manifest.version) return { dir, name: manifest.name, version: manifest.version };
    } catch {
      // No package.json in this folder: look further up.
    }
  }
  return undefined;
}

/**
 * One copy of each package version in the bundle: npm may install the same version of a package
 * in several nested node_modules (mime-types 3.0.2 under express, body-parser and send), and each
 * copy would be loaded, and its tables built, at every start.
 */
const oneCopyPerVersion = {
  name: 'one-copy-per-version',
  setup(builder) {
    const first = new Map();
    builder.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData?.deduped) return undefined;
      const resolved = await builder.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { deduped: true } });
      if (resolved.errors.length > 0 || resolved.external || !resolved.path.includes('node_modules')) return resolved;
      const found = packageOf(resolved.path);
      if (!found) return resolved;
      const key = `${found.name}@${found.version}`;
      const kept = first.get(key);
      if (!kept) {
        first.set(key, found.dir);
        return resolved;
      }
      return { ...resolved, path: join(kept, resolved.path.slice(found.dir.length)) };
    });
  },
};

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
  plugins: [oneCopyPerVersion],
  logLevel: 'error',
});
const [output] = result.outputFiles;
writeFileSync('dist/cli.js', output.contents);
// tsc's source map describes the module before bundling.
rmSync('dist/cli.js.map', { force: true });
const modules = Object.keys(result.metafile.inputs).length;
console.log(`fold-sessions-mock: bundled the command line (dist/cli.js: ${modules} modules, ${output.contents.length} B)`);
