// Regenerates everything `npm run generate` writes into a temporary folder and compares it,
// file by file, with what is committed. Any difference fails with the command that fixes it.
// With a folder argument, only the Sessions API client is checked against that folder.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { renderApiTable, renderOperationIds } from './api-table.mjs';
import { mcpToolsFile, renderMcpTools } from './mcp-tools.mjs';
import { apiTableFile, controlGeneratorConfig, generatedFolders, generateInto, generatorConfig, operationIdsFile } from './openapi-ts.config.mjs';

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

function compareFolders(expectedRoot, committed) {
  const expected = listFiles(expectedRoot);
  const actual = listFiles(committed);
  const problems = [];
  for (const file of expected) {
    if (!actual.includes(file)) problems.push(`missing: ${file}`);
    else if (readFileSync(join(expectedRoot, file), 'utf8') !== readFileSync(join(committed, file), 'utf8')) {
      problems.push(`differs: ${file}`);
    }
  }
  for (const file of actual) if (!expected.includes(file)) problems.push(`not generated: ${file}`);
  return { problems, count: expected.length };
}

const only = process.argv[2];
const scratch = mkdtempSync(join(tmpdir(), 'fold-generated-'));
const problems = [];
const checked = [];
try {
  const targets = only
    ? [{ folder: only, config: generatorConfig }]
    : [
        { folder: generatedFolders.sessions, config: generatorConfig },
        { folder: generatedFolders.control, config: controlGeneratorConfig },
      ];
  for (const [i, target] of targets.entries()) {
    const out = join(scratch, String(i));
    await generateInto(target.config, out);
    const result = compareFolders(out, target.folder);
    problems.push(...result.problems.map((problem) => `${target.folder}: ${problem}`));
    checked.push(`${target.folder}: ${result.count} files`);
  }
  if (!only) {
    for (const [file, render] of [
      [apiTableFile, renderApiTable],
      [operationIdsFile, renderOperationIds],
      [mcpToolsFile, renderMcpTools],
    ]) {
      let committed = '';
      try {
        committed = readFileSync(file, 'utf8');
      } catch {
        problems.push(`missing: ${file}`);
      }
      if (committed && committed !== render()) problems.push(`differs: ${file}`);
      checked.push(file);
    }
  }
  if (problems.length > 0) {
    console.error('Generated code is out of date with openapi/*.yaml:');
    for (const problem of problems) console.error(`  ${problem}`);
    console.error('Run `npm run generate` and commit the result. Never edit generated files by hand.');
    process.exit(1);
  }
  console.log(`generated code matches openapi/*.yaml (${checked.join('; ')})`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
