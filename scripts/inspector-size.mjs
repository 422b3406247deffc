// Measures the inspector's own JavaScript as shipped (minified, then gzip -9) against its budget
// of 60 KB, and prints the API reference's renderer beside it for comparison (not counted: it is
// a dependency, loaded only by /__fold/docs). Exits 1 over budget.
//
//   node scripts/inspector-size.mjs
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { uiBuildOptions } from '../mock-server/scripts/build-ui.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const budget = 60 * 1024;
const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

const result = await build(uiBuildOptions);
const outputs = Object.fromEntries(result.outputFiles.map((file) => [file.path.split('/').pop(), file.contents]));
const inspector = outputs['inspector.js'];
if (!inspector) throw new Error('esbuild produced no inspector.js');
const minified = inspector.length;
const zipped = gz(inspector);

// What the inspector's bundle is made of, by source folder (bytes after minification).
const meta = result.metafile.outputs[Object.keys(result.metafile.outputs).find((file) => file.endsWith('inspector.js'))];
const parts = new Map();
for (const [input, { bytesInOutput }] of Object.entries(meta.inputs)) {
  const folder = relative(root, resolve(root, input)).split('/').slice(0, 3).join('/');
  parts.set(folder, (parts.get(folder) ?? 0) + bytesInOutput);
}

const renderer = dirname(createRequire(join(root, 'mock-server/package.json')).resolve('swagger-ui-dist/package.json'));
const rendererJs = readFileSync(join(renderer, 'swagger-ui-bundle.js'));
const rendererCss = readFileSync(join(renderer, 'swagger-ui.css'));

console.log(`inspector.js: ${minified} B minified, ${zipped} B min+gz (${kb(zipped)}; budget ${kb(budget)})`);
for (const [folder, bytes] of [...parts].sort((a, b) => b[1] - a[1])) console.log(`  ${folder}: ${bytes} B minified`);
console.log(`inspector.css: ${outputs['inspector.css']?.length ?? 0} B minified, ${gz(outputs['inspector.css'] ?? new Uint8Array())} B min+gz`);
console.log(`docs.js: ${outputs['docs.js']?.length ?? 0} B minified, ${gz(outputs['docs.js'] ?? new Uint8Array())} B min+gz`);
console.log(`renderer (swagger-ui-dist, not counted): swagger-ui-bundle.js ${rendererJs.length} B, ${gz(rendererJs)} B gz; swagger-ui.css ${rendererCss.length} B, ${gz(rendererCss)} B gz`);
if (zipped > budget) {
  console.log(`inspector JS over budget by ${zipped - budget} B`);
  process.exit(1);
}
console.log(`inspector JS within budget: ${((zipped / budget) * 100).toFixed(0)}% of ${kb(budget)}`);
