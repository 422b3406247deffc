import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpec, operations } from '../support/spec.js';
import { connect, type Connected, type TransportKind } from './connect.js';
import { expectedInputSchemas, expectedSuccessBodies } from './expected-schemas.js';

const spec = loadSpec();

describe.each<TransportKind>(['stdio', 'http'])('tools/list over %s', (kind) => {
  let server: Connected;
  beforeAll(async () => {
    server = await connect(kind, ['--sandbox'], {});
  });
  afterAll(() => server?.close());

  it("lists one tool per operation of the spec, named by operationId, with the spec's request schemas", async () => {
    const { tools } = await server.client.listTools();
    const apiTools = tools.filter((tool) => tool.name !== 'advanceClock');
    expect(apiTools.map((tool) => tool.name).sort()).toEqual(operations(spec).map((op) => op.operationId).sort());
    expect(apiTools).toHaveLength(9);
    const expected = expectedInputSchemas(spec);
    for (const tool of apiTools) expect(tool.inputSchema, tool.name).toEqual(expected[tool.name]);
  });

  it('merges path, query and body into one object, as a model fills it in', async () => {
    const { tools } = await server.client.listTools();
    const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
    expect(Object.keys(byName.addMessage!.inputSchema.properties!)).toEqual(['id', 'role', 'content', 'tool_call_id', 'tool_name']);
    expect(byName.addMessage!.inputSchema.required).toEqual(['id', 'role', 'content']);
    expect((byName.addMessage!.inputSchema.properties!.role as { enum: string[] }).enum).toEqual(spec.components.schemas.MessageRole.enum);
    expect(Object.keys(byName.updateContext!.inputSchema.properties!)).toEqual(['id', 'context']);
    expect(Object.keys(byName.closeSession!.inputSchema.properties!)).toEqual(['id']);
    expect(Object.keys(byName.listSessions!.inputSchema.properties!)).toEqual(['status', 'limit', 'cursor']);
    expect(byName.listSessions!.inputSchema.required).toBeUndefined();
    expect(byName.queryMemory!.inputSchema.required).toEqual(['query_text']);
    expect(JSON.stringify(tools)).not.toContain('$ref');
  });

  it('describes each tool with the summary and description of its operation', async () => {
    const { tools } = await server.client.listTools();
    for (const { operationId, operation } of operations(spec)) {
      const tool = tools.find((t) => t.name === operationId)!;
      expect(tool.title).toBe(operation.summary);
      expect(tool.description).toContain(operation.summary);
      expect(tool.description).toContain(operation.description.trim());
    }
  });

  it('annotates read-only, destructive and idempotent operations', async () => {
    const { tools } = await server.client.listTools();
    const hints = Object.fromEntries(tools.map((tool) => [tool.name, tool.annotations]));
    const readOnly = tools.filter((tool) => tool.annotations?.readOnlyHint).map((tool) => tool.name).sort();
    expect(readOnly).toEqual(['getSession', 'listSessions', 'queryMemory']);
    const destructive = tools.filter((tool) => tool.annotations?.destructiveHint).map((tool) => tool.name);
    expect(destructive).toEqual(['deleteSession']);
    const idempotent = tools.filter((tool) => tool.annotations?.idempotentHint).map((tool) => tool.name).sort();
    expect(idempotent).toEqual(['closeSession', 'completeSession', 'deleteSession', 'getSession', 'listSessions', 'queryMemory', 'updateContext']);
    expect(hints.createSession).toMatchObject({ readOnlyHint: false, destructiveHint: false, idempotentHint: false });
    expect(hints.addMessage).toMatchObject({ readOnlyHint: false, destructiveHint: false, idempotentHint: false });
  });

  it('declares an output schema: the success body of the spec, or the tool error', async () => {
    const { tools } = await server.client.listTools();
    const bodies = expectedSuccessBodies(spec);
    for (const tool of tools.filter((t) => t.name in bodies)) {
      expect((tool.outputSchema as unknown as { anyOf: unknown[] }).anyOf[0], tool.name).toEqual(bodies[tool.name]);
    }
    const createSession = tools.find((tool) => tool.name === 'createSession')!;
    const [success, failure] = (createSession.outputSchema as unknown as { anyOf: { required: string[] }[] }).anyOf;
    expect(success!.required).toEqual(spec.components.schemas.Session.required);
    expect(failure!.required).toEqual([...spec.components.schemas.Error.required, 'status', 'request_id']);
  });

  it('offers the sandbox clock as one more tool', async () => {
    const { tools } = await server.client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('advanceClock');
  });
});
