import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '../..');
export const documents = ['README.md', 'sdk/README.md', 'mock-server/README.md', 'docs/performance.md'];
/** The documents whose TypeScript blocks are run as programs. */
export const runnableDocuments = ['README.md', 'sdk/README.md', 'mock-server/README.md'];

export interface Block {
  /** `document:line` of the opening fence. */
  where: string;
  document: string;
  lang: string;
  /** The path after `<!-- file: path -->` on the line before the block. */
  file: string | undefined;
  /** `<!-- continues -->` on the line before the block. */
  continues: boolean;
  body: string;
}

/** The fenced blocks of a document (unindented fences only), with the marker on the line before each. */
export function blocksOf(document: string): Block[] {
  const lines = readFileSync(join(root, document), 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    while (++i < lines.length && lines[i] !== '```') body.push(lines[i]!);
    const before = lines.slice(0, start).reverse().find((line) => line.trim() !== '') ?? '';
    blocks.push({
      where: `${document}:${start + 1}`,
      document,
      lang: open[1]!,
      file: /^<!-- file: (\S+) -->$/.exec(before)?.[1],
      continues: before === '<!-- continues -->',
      body: body.length ? `${body.join('\n')}\n` : '',
    });
  }
  return blocks;
}

export interface Program {
  /** Where its first block is, e.g. `sdk/README.md:17`. */
  where: string;
  /** A file name made of `where`, e.g. `sdk_README_md_17.ts`. */
  name: string;
  source: string;
}

/**
 * The programs the TypeScript blocks of a document make, in order: each block that is not an
 * announced file, followed by the blocks marked `<!-- continues -->` right after it.
 */
export function programsOf(document: string): Program[] {
  const programs: Program[] = [];
  let previous: Block | undefined;
  for (const block of blocksOf(document).filter((b) => b.lang === 'ts')) {
    const last = programs.at(-1);
    if (block.continues) {
      if (!previous || previous.file || !last) throw new Error(`${block.where}: <!-- continues --> needs a TypeScript block before it that is not an announced file`);
      last.source += `// ${block.where}\n${block.body}`;
    } else if (!block.file) {
      programs.push({ where: block.where, name: `${block.where.replace(/[/.:]/g, '_')}.ts`, source: `// ${block.where}\n${block.body}` });
    }
    previous = block;
  }
  return programs;
}
