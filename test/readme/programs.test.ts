// Every TypeScript block of the three READMEs runs here as a program, and must exit 0 within
// `timeoutMs`. How a block becomes a program:
//   - each `ts` block that is not an announced file (`<!-- file: path -->`) is a program of its own;
//   - a block preceded by `<!-- continues -->` is appended to the program before it, for examples
//     split by prose; nothing else is added to what the README prints;
//   - the program is written to `.tmp/readme-programs/` inside the repository and run with
//     `node --conditions=fold-sessions-source --import tsx`, so the workspace packages resolve to
//     their sources;
//   - a reference server (in memory, key `fold_dev_key` of `org_dev`) is started for them: the
//     programs get `FOLD_API_KEY=fold_dev_key` and `FOLD_BASE_URL` set to it, and the address of
//     `npm start`, `http://127.0.0.1:4010`, is replaced by its address, as for the curl commands.
// Announced files are run as they are: the `.test.ts` files by vitest, the contract check's
// stand-in `smoke.mjs` here, behind `prism proxy --errors` as its script runs it.
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrism, type PrismProcess } from '../support/prism.js';
import { type ReferenceServer, startReferenceServer } from '../support/reference-server.js';
import { blocksOf, programsOf, root, runnableDocuments } from './blocks.js';

const dir = join(root, '.tmp/readme-programs');
const timeoutMs = 30_000;

/** Runs a file with the sources' condition and tsx; resolves with its output, rejects on a non-zero exit or a timeout. */
async function run(file: string, env: Record<string, string>, timeout = timeoutMs) {
  try {
    return await promisify(execFile)(process.execPath, ['--conditions=fold-sessions-source', '--import', 'tsx', file], {
      cwd: root,
      env: { ...process.env, ...env },
      timeout,
      killSignal: 'SIGKILL',
    });
  } catch (error) {
    const { killed, code, stdout, stderr } = error as { killed?: boolean; code?: number; stdout?: string; stderr?: string };
    throw new Error(`${killed ? `did not finish within ${timeout} ms` : `exited with ${code}`}\n${stdout}\n${stderr}`);
  }
}

const programs = runnableDocuments.flatMap(programsOf);

describe('README TypeScript blocks, run as programs', () => {
  let server: ReferenceServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    server = await startReferenceServer({ keys: { fold_dev_key: 'org_dev' } });
    env = { FOLD_API_KEY: 'fold_dev_key', FOLD_BASE_URL: server.url };
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, source: string) => {
    const file = join(dir, name);
    writeFileSync(file, source.replaceAll('http://127.0.0.1:4010', server.url));
    return file;
  };

  it('finds a program in each README', () => {
    expect(new Set(programs.map((program) => program.where.split(':')[0]))).toEqual(new Set(runnableDocuments));
  });

  it('joins a block marked <!-- continues --> to the program before it', () => {
    const fence = '```';
    const markdown = [`${fence}ts`, 'const a = 1;', fence, 'Prose.', '<!-- continues -->', `${fence}ts`, 'console.log(a);', fence, `${fence}ts`, 'const b = 2;', fence, ''];
    writeFileSync(join(dir, 'continues.md'), markdown.join('\n'));
    const where = '.tmp/readme-programs/continues.md';
    expect(programsOf(where).map((program) => program.source)).toEqual([
      `// ${where}:1\nconst a = 1;\n// ${where}:6\nconsole.log(a);\n`,
      `// ${where}:9\nconst b = 2;\n`,
    ]);
  });

  it.each(programs)('runs $where to its end', async ({ name, source }) => {
    await run(write(name, source), env);
  }, 2 * timeoutMs);

  // The controls: a program that fails, or never ends, must fail here, or these tests prove nothing.
  it('would notice a program that throws, or one that leaves a server listening', async () => {
    await expect(run(write('control-throws.ts', "throw new Error('control');\n"), env)).rejects.toThrow(/exited with 1[\s\S]*control/);
    const listening = "import { createServer } from 'node:http';\ncreateServer().listen(0, '127.0.0.1');\n";
    await expect(run(write('control-hangs.ts', listening), env, 3_000)).rejects.toThrow(/did not finish within 3000 ms/);
  }, 2 * timeoutMs);
});

describe("the contract check's stand-in, behind prism proxy --errors", () => {
  let server: ReferenceServer;
  let prism: PrismProcess;
  beforeAll(async () => {
    server = await startReferenceServer({ keys: { ci_key: 'org_ci' } });
    prism = await startPrism({ kind: 'proxy', upstream: server.url, extraArgs: ['--errors'] });
  }, 60_000);
  afterAll(async () => {
    await prism?.stop();
    await server?.close();
  });

  it('is the file README.md shows, and runs to its end', async () => {
    const file = 'examples/contract-check/smoke.mjs';
    expect(blocksOf('README.md').some((block) => block.file === file)).toBe(true);
    const { stdout } = await run(join(root, file), { FOLD_SESSIONS_URL: prism.url, FOLD_API_KEY: 'ci_key' });
    expect(stdout).toContain('contract check passed');
  }, 2 * timeoutMs);
});
