// Every fenced block of every README is one of:
//   - a copy of a tested file, announced by `<!-- file: path -->` on the line before it;
//   - TypeScript (`ts`), type-checked here against the packages' sources and run as a program in
//     programs.test.ts (which says how, and how `<!-- continues -->` joins a block to the one before);
//   - shell (`sh`): `curl` commands are run against the reference server, npm and npx commands
//     must name scripts, packages and flags that exist;
//   - `text`: output, a diagram or a synopsis, not code.
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceUsage, usage } from '../../mock-server/src/cli-options.js';
import { type ReferenceServer, startReferenceServer } from '../support/reference-server.js';
import { type Block, blocksOf, documents, programsOf, root } from './blocks.js';

const blocks = documents.flatMap(blocksOf);
const ofKind = (lang: string) => blocks.filter((block) => block.lang === lang && !block.file);

/** Shell commands of a block, with `\` continuations joined and comments dropped. */
const commandsOf = (block: Block) =>
  block.body
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .flatMap((line) => line.split(' && '));

describe('README code blocks', () => {
  it('finds the blocks, each with a known language', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(20);
    expect(blocks.filter((block) => !['ts', 'js', 'sh', 'text'].includes(block.lang)).map((b) => `${b.where} ${b.lang}`)).toEqual([]);
  });

  it('shows every announced file exactly as it is', () => {
    const copies = blocks.filter((block) => block.file);
    expect(copies.length).toBeGreaterThanOrEqual(3);
    for (const block of copies) expect(block.body, block.where).toBe(readFileSync(join(root, block.file!), 'utf8'));
  });

  it('has no JavaScript block that is neither a tested file nor TypeScript', () => {
    expect(ofKind('js').map((block) => block.where)).toEqual([]);
  });

  it('marks only TypeScript blocks as the continuation of another', () => {
    expect(blocks.filter((block) => block.continues && (block.lang !== 'ts' || block.file)).map((block) => block.where)).toEqual([]);
  });

  it('type-checks every TypeScript block, and would notice a wrong one', () => {
    const dir = join(root, '.tmp/readme-blocks');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const names = documents.flatMap(programsOf).map(({ name, source }) => {
      writeFileSync(join(dir, name), `${source}export {};\n`);
      return name;
    });
    expect(names.length).toBeGreaterThanOrEqual(4);
    // The control: a block with a misspelt option must fail, or this test proves nothing.
    writeFileSync(
      join(dir, 'control.ts'),
      "import { FoldSessions } from 'fold-sessions';\nawait new FoldSessions({ apiKey: 'k' }).sessions.create({ nam: 'x' });\nexport {};\n",
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { noEmit: true, types: ['node'] }, include: ['*.ts'] }),
    );
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
    const errors = tsc.stdout.split('\n').filter((line) => /error TS/.test(line));
    expect(errors.filter((line) => !line.includes('control.ts')), tsc.stdout).toEqual([]);
    expect(errors.some((line) => line.includes('control.ts') && line.includes("'nam'")), tsc.stdout).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('names only npm scripts, packages, commands and flags that exist', () => {
    const manifests = ['package.json', 'sdk/package.json', 'mock-server/package.json'].map((file) =>
      JSON.parse(readFileSync(join(root, file), 'utf8')),
    );
    const [workspace, , mock] = manifests;
    const installable = new Set(
      manifests.slice(1).flatMap((m) => [m.name, ...Object.keys(m.peerDependencies ?? {})]).concat('@stoplight/prism-cli'),
    );
    const flags = new Set(usage.match(/--[a-z-]+/g));
    const problems: string[] = [];
    const commands = ofKind('sh').flatMap((block) => commandsOf(block).map((command) => ({ block, command })));
    for (const { block, command } of commands) {
      const [tool, verb, ...rest] = command.split(/\s+/);
      if (tool === 'curl') continue; // run in the next test
      if (tool === 'npm' && (verb === 'start' || verb === 'test')) {
        if (!workspace.scripts[verb]) problems.push(`${block.where}: no script ${verb}`);
      } else if (tool === 'npm' && verb === 'run') {
        if (!workspace.scripts[rest[0]!]) problems.push(`${block.where}: no script ${rest[0]}`);
      } else if (tool === 'npm' && verb === 'install') {
        for (const name of rest.filter((word) => !word.startsWith('-'))) {
          if (!installable.has(name)) problems.push(`${block.where}: ${name} is neither a package here nor a peer of one`);
        }
      } else if (tool === 'npx' && verb === 'fold-sessions-mock') {
        if (!mock.bin['fold-sessions-mock']) problems.push(`${block.where}: no fold-sessions-mock bin`);
        const known = rest[0] === 'conformance' ? new Set(conformanceUsage.match(/--[a-z-]+/g)) : flags;
        for (const flag of rest.filter((word) => word.startsWith('--'))) {
          if (!known.has(flag)) problems.push(`${block.where}: fold-sessions-mock ${rest[0] === 'conformance' ? 'conformance ' : ''}has no ${flag}`);
        }
      } else {
        problems.push(`${block.where}: no check knows the command "${command}"`);
      }
    }
    expect(commands.length).toBeGreaterThan(5);
    expect(problems).toEqual([]);
  });

  it('lists only real CLI flags in the CLI synopsis', () => {
    const synopses = ofKind('text').filter((block) => block.body.startsWith('fold-sessions-mock ['));
    expect(synopses).toHaveLength(1);
    const flags = new Set(usage.match(/--[a-z-]+/g));
    expect(synopses[0]!.body.match(/--[a-z-]+/g)!.filter((flag) => !flags.has(flag))).toEqual([]);
  });
});

describe('README curl commands, run against the reference server', () => {
  let server: ReferenceServer;
  beforeAll(async () => {
    server = await startReferenceServer({ keys: { fold_dev_key: 'org_dev' } });
  });
  afterAll(() => server?.close());

  const curls = ofKind('sh').flatMap((block) =>
    commandsOf(block)
      .filter((command) => command.startsWith('curl '))
      .map((command) => ({ block, command })),
  );

  it('finds them', () => {
    expect(curls.length).toBeGreaterThanOrEqual(3);
  });

  it('answers each one with a session or a message', async () => {
    let sessionId = '';
    for (const { block, command } of curls) {
      const runnable = command.replaceAll('http://127.0.0.1:4010', server.url).replaceAll('<id>', sessionId);
      // Asynchronously: the server answers from this very process.
      const { stdout: output } = await promisify(execFile)('bash', ['-c', `${runnable} --fail-with-body --max-time 10`]);
      const body = JSON.parse(output) as { id: string };
      expect(body.id, `${block.where}: ${output}`).toMatch(/^(sess|msg)_/);
      if (body.id.startsWith('sess_')) sessionId = body.id;
    }
  });
});
