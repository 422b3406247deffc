import { describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import * as generated from '../../sdk/src/generated/zod.gen.js';
import { deref, loadSpec, operations, type Json } from '../support/spec.js';

const spec = loadSpec();
const zodSchemas = generated as unknown as Record<string, ZodType>;

function zodFor(schemaRef: Json): ZodType {
  const name = String(schemaRef.$ref ?? '').split('/').pop();
  const schema = name ? zodSchemas[`z${name}`] : undefined;
  if (!schema) throw new Error(`No generated zod schema for ${JSON.stringify(schemaRef)}`);
  return schema;
}

interface ExampleCase {
  where: string;
  schema: ZodType;
  value: unknown;
}

function examplesOf(where: string, media: Json): ExampleCase[] {
  const examples = Object.entries<Json>(media.examples ?? {});
  if (examples.length === 0) throw new Error(`${where} has no example`);
  return examples.map(([name, example]) => ({
    where: `${where} ${name}`,
    schema: zodFor(media.schema),
    value: deref(spec, example).value,
  }));
}

const cases: ExampleCase[] = [];
for (const { operationId, operation } of operations(spec)) {
  if (operation.requestBody) {
    cases.push(...examplesOf(`${operationId} request`, operation.requestBody.content['application/json']));
  }
  for (const [status, ref] of Object.entries<Json>(operation.responses)) {
    const media = deref(spec, ref).content?.['application/json'];
    if (!media) throw new Error(`${operationId} ${status} has no JSON body`);
    cases.push(...examplesOf(`${operationId} ${status}`, media));
  }
}

describe('every example in the spec', () => {
  it('covers every request and response body', () => {
    expect(cases.length).toBeGreaterThanOrEqual(80);
  });

  it.each(cases.map((c) => [c.where, c] as const))('%s validates against its own schema', (_where, c) => {
    const result = c.schema.safeParse(c.value);
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it('would catch an example that breaks its schema', () => {
    const broken = { ...(deref(spec, spec.components.examples.ActiveSession).value as object), status: 'paused' };
    expect(zodFor({ $ref: '#/components/schemas/Session' }).safeParse(broken).success).toBe(false);
  });
});
