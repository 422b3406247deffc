import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
// @ts-expect-error: a plain .mjs script without type declarations
import { loadTools } from '../../scripts/mcp-tools.mjs';
import { loadSpec } from '../support/spec.js';

const scratch = mkdtempSync(join(tmpdir(), 'fold-mcp-tools-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The real spec with `change` applied, written to a file the generator can read. */
function specWith(change: (spec: any) => void): string {
  const spec = loadSpec();
  change(spec);
  const file = join(scratch, `spec-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, stringify(spec));
  return file;
}

describe('scripts/mcp-tools.mjs', () => {
  it('reads one tool per operation of the real spec', () => {
    expect(loadTools().map((tool: { name: string }) => tool.name)).toHaveLength(9);
  });

  it("takes an operation's x-mcp annotations over what its method implies", () => {
    const file = specWith((spec) => {
      spec.paths['/sessions'].post['x-mcp'] = { annotations: { idempotentHint: true } };
      delete spec.paths['/vectors/query'].post['x-mcp'];
    });
    const tools = Object.fromEntries(loadTools(file).map((tool: any) => [tool.name, tool]));
    expect(tools.createSession.annotations.idempotentHint).toBe(true);
    expect(tools.queryMemory.annotations).toMatchObject({ readOnlyHint: false, idempotentHint: false });
  });

  it('refuses a body field with the name of a parameter', () => {
    const file = specWith((spec) => {
      spec.components.schemas.AddMessageRequest.properties.id = { type: 'string' };
    });
    expect(() => loadTools(file)).toThrow('addMessage: input property id appears twice');
  });

  it('refuses a schema that refers to itself, which cannot be inlined', () => {
    const file = specWith((spec) => {
      spec.components.schemas.Context = { type: 'object', properties: { child: { $ref: '#/components/schemas/Context' } } };
    });
    expect(() => loadTools(file)).toThrow('Recursive $ref #/components/schemas/Context');
  });

  it('follows a change of the spec into the schemas', () => {
    const file = specWith((spec) => {
      spec.components.schemas.MessageRole.enum = ['user', 'assistant', 'system'];
    });
    const addMessage = loadTools(file).find((tool: any) => tool.name === 'addMessage');
    expect(addMessage.inputSchema.properties.role.enum).toEqual(['user', 'assistant', 'system']);
  });
});
