// Regenerates the client into a temporary folder and compares it, file by file, with the
// committed sdk/src/generated. Any difference fails with the command that fixes it.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createClient } from '@hey-api/openapi-ts';
import { generatorConfig } from './openapi-ts.config.mjs';

const committed = process.argv[2] ?? 'sdk/src/generated';

function listFiles(root) {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(relative(root, path));
    }
  };
  walk(root);
  return files.sort();
}

const scratch = mkdtempSync(join(tmpdir(), 'fold-generated-'));
try {
  await createClient(generatorConfig(scratch));
  const expected = listFiles(scratch);
  const actual = listFiles(committed);
  const problems = [];
  for (const file of expected) {
    if (!actual.includes(file)) problems.push(`missing: ${file}`);
    else if (readFileSync(join(scratch, file), 'utf8') !== readFileSync(join(committed, file), 'utf8')) {
      problems.push(`differs: ${file}`);
    }
  }
  for (const file of actual) if (!expected.includes(file)) problems.push(`not generated: ${file}`);
  if (problems.length > 0) {
    console.error(`${committed} is out of date with openapi/sessions.yaml:`);
    for (const problem of problems) console.error(`  ${problem}`);
    console.error('Run `npm run generate` and commit the result. Never edit generated files by hand.');
    process.exit(1);
  }
  console.log(`${committed}: ${expected.length} files match openapi/sessions.yaml`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
