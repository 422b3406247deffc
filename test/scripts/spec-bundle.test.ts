// scripts/spec-bundle.mjs: control.yaml read as one document, for the breaking-change diff.
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs module of the repository's scripts, without types
import { inlineReferences, loadBundledSpec } from '../../scripts/spec-bundle.mjs';

const refsOf = (node: unknown): string[] =>
  Array.isArray(node) ? node.flatMap(refsOf) : typeof node === 'object' && node !== null ? Object.entries(node).flatMap(([key, value]) => (key === '$ref' ? [value as string] : refsOf(value))) : [];

describe('loadBundledSpec', () => {
  const spec = loadBundledSpec('openapi/control.yaml');
  const schemas = spec.components.schemas;

  it('copies what control.yaml $refs from sessions.yaml into its components, every reference local', () => {
    expect(refsOf(spec).filter((ref) => !ref.startsWith('#/'))).toEqual([]);
    expect(refsOf(spec).filter((ref) => spec.components[ref.split('/')[2]!]?.[ref.split('/')[3]!] === undefined)).toEqual([]);
    expect(schemas.SessionDocument.properties.session).toEqual({ $ref: '#/components/schemas/Session' });
    expect(schemas.Session.required).toContain('message_count');
  });

  it("keeps control.yaml's own component of a name and names the pulled one after its file", () => {
    expect(schemas.ErrorCode.enum).not.toContain('CONFLICT');
    expect(schemas.SessionsErrorCode.enum).toContain('CONFLICT');
    expect(schemas.SessionsError.properties.code).toEqual({ $ref: '#/components/schemas/SessionsErrorCode' });
  });

  it('replaces a component that only refers to the pulled one by it', () => {
    expect(spec.components.headers.RequestId).toMatchObject({ required: true, schema: { $ref: '#/components/schemas/RequestId' } });
  });
});

describe('inlineReferences', () => {
  it('replaces local references by their targets and merges an allOf of one schema', () => {
    const spec = { components: { schemas: { A: { type: 'string' }, B: { allOf: [{ $ref: '#/components/schemas/A' }], readOnly: true } } } };
    expect(inlineReferences(spec).components.schemas.B).toEqual({ type: 'string', readOnly: true });
  });
});
