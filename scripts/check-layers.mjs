// Checks that imports in mock-server/src point only down its layers:
//   adapters (bin, cli, express, msw, inspector, conformance, index) → runtime → http, control, proxy → core ← store
// with the control API's client and server sharing only their contract (control/contract.ts).
// Generated code of the spec (`spec/`) sits below everything. A file may import its own layer
// and the layers its rule lists; anything else is printed with the line that does it, and the
// check exits 1. `--list` prints each file's layer; `--root <dir>` checks another copy.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// `--root <dir>` checks another copy of the source tree (the check's own test uses one).
const rootFlag = process.argv.indexOf('--root');
const root = rootFlag === -1 ? resolve(dirname(fileURLToPath(import.meta.url)), '..', 'mock-server', 'src') : resolve(process.argv[rootFlag + 1]);

/** Layers by path prefix (the longest match wins), and what each may import besides itself. */
const layers = [
  { name: 'spec', paths: ['spec/'], may: [] },
  { name: 'core', paths: ['core/'], may: ['spec'] },
  { name: 'store', paths: ['store/'], may: ['core', 'spec'] },
  { name: 'ai', paths: ['ai/'], may: ['core', 'spec'] },
  { name: 'http', paths: ['http/'], may: ['core', 'spec'] },
  // The interface both halves of the control API implement, and the shapes they exchange.
  { name: 'control-contract', paths: ['control/contract.ts'], may: ['http', 'core', 'spec'] },
  { name: 'control-client', paths: ['control/client/'], may: ['control-contract', 'spec'] },
  { name: 'control-server', paths: ['control/server/'], may: ['control-contract', 'http', 'core', 'spec'] },
  { name: 'proxy', paths: ['proxy/'], may: ['http', 'core', 'spec', 'control-server'] },
  { name: 'runtime', paths: ['runtime.ts'], may: ['http', 'control-contract', 'control-server', 'proxy', 'store', 'ai', 'core', 'spec'] },
  {
    name: 'adapters',
    paths: ['express/', 'msw/', 'inspector/', 'conformance/', 'bin.ts', 'cli.ts', 'cli-options.ts', 'log-format.ts', 'index.ts', 'surface.ts', 'control/index.ts'],
    may: ['runtime', 'http', 'control-contract', 'control-server', 'control-client', 'proxy', 'store', 'ai', 'core', 'spec'],
  },
];

function layerOf(file) {
  let found;
  for (const layer of layers) {
    for (const path of layer.paths) {
      const hit = path.endsWith('/') ? file.startsWith(path) : file === path;
      if (hit && (!found || path.length > found.length)) found = { layer, length: path.length };
    }
  }
  return found?.layer;
}

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) yield path;
  }
}

// `import … from './x.js'`, `export … from './x.js'`, `import './x.js'` and `import('./x.js')`.
const importPattern = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'|(?:^|\n)\s*import\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g;

const problems = [];
const listing = [];
for (const path of sourceFiles(root)) {
  const file = relative(root, path).split('\\').join('/');
  const layer = layerOf(file);
  if (!layer) {
    problems.push(`${file}: in no layer (add its folder to scripts/check-layers.mjs)`);
    continue;
  }
  listing.push(`${layer.name.padEnd(15)} ${file}`);
  const text = readFileSync(path, 'utf8');
  for (const match of text.matchAll(importPattern)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    const target = relative(root, resolve(dirname(path), specifier)).split('\\').join('/').replace(/\.js$/, '.ts');
    const targetLayer = layerOf(target);
    if (!targetLayer) {
      problems.push(`${file} imports ${specifier}, which is outside every layer`);
      continue;
    }
    if (targetLayer !== layer && !layer.may.includes(targetLayer.name)) {
      const line = text.slice(0, match.index + match[0].length).split('\n').length;
      problems.push(`${file}:${line}: ${layer.name} may not import ${targetLayer.name} (${specifier})`);
    }
  }
}

if (process.argv.includes('--list')) console.log(listing.sort().join('\n'));
if (problems.length > 0) {
  console.error(`Imports against the layers of mock-server/src (${problems.length}):\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
  process.exit(1);
}
console.log(`layers: ${listing.length} files of mock-server/src import only down their layers`);
