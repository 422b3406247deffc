import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs module of the repository's scripts, without types
import { findBreakingChanges, isBreakingRelease } from '../../scripts/spec-diff/breaking.mjs';

interface Break {
  operation: string;
  text: string;
}
type Spec = { components: { schemas: Record<string, { properties: Record<string, { type?: unknown }>; required: string[]; enum?: string[] }> } };

const released = parse(readFileSync('openapi/released/sessions-0.1.0.yaml', 'utf8')) as Spec;
const work = mkdtempSync(join(tmpdir(), 'check-breaking-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function changed(edit: (spec: Spec) => void): Spec {
  const spec = structuredClone(released);
  edit(spec);
  return spec;
}
const breaks = (spec: Spec): Break[] => findBreakingChanges(released, spec);
const texts = (spec: Spec) => breaks(spec).map((b) => `${b.operation}: ${b.text}`);

const removeResponseField = changed((spec) => {
  const session = spec.components.schemas.Session!;
  delete session.properties.message_count;
  session.required = session.required.filter((name) => name !== 'message_count');
});
const addRequiredRequestProperty = changed((spec) => {
  const create = spec.components.schemas.CreateSessionRequest!;
  create.properties.user_id = { type: 'string' };
  create.required.push('user_id');
});
const narrowEnum = changed((spec) => {
  spec.components.schemas.MessageRole!.enum = ['user'];
});

/** Runs the CLI on a changed spec; resolves to its exit status and output. */
function gate(spec: Spec): { status: number; output: string } {
  const file = join(work, `spec-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, stringify(spec));
  try {
    const output = execFileSync(process.execPath, ['scripts/check-breaking.mjs', '--current', file], { encoding: 'utf8', stdio: 'pipe' });
    return { status: 0, output };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { status: failed.status, output: failed.stdout + failed.stderr };
  }
}

describe('breaking changes of the spec', () => {
  it('finds none between the released spec and itself, or after adding an optional response field', () => {
    expect(breaks(released)).toEqual([]);
    const additive = changed((spec) => {
      spec.components.schemas.Session!.properties.labels = { type: 'array' };
    });
    expect(breaks(additive)).toEqual([]);
  });

  it('names a response field that is gone, in every operation that returns it', () => {
    const found = texts(removeResponseField);
    expect(found).toContain('POST /sessions: response 201 no longer has the field `message_count`');
    expect(found).toContain('GET /sessions: response 200 no longer has the field `sessions[].message_count`');
    expect(found).toContain('GET /sessions/{id}: response 200 no longer has the field `message_count`');
  });

  it('names a new required request property', () => {
    expect(texts(addRequiredRequestProperty)).toEqual(['POST /sessions: request body now requires the property `user_id`']);
  });

  it('names an enum value a request no longer accepts, and lets a response enum narrow', () => {
    expect(texts(narrowEnum)).toEqual(['POST /sessions/{id}/messages: `role` in the request body no longer accepts "assistant"']);
  });

  it('reads OpenAPI 3.1 type lists: a response that may now be null breaks readers, one that may no longer be does not', () => {
    const nullable = changed((spec) => {
      spec.components.schemas.Message!.properties.content!.type = ['string', 'null'];
    });
    expect(texts(nullable)).toContain(
      'POST /sessions/{id}/messages: `content` in the response 201: type "string" → ["string","null"]',
    );
    const notNull = changed((spec) => {
      spec.components.schemas.Session!.properties.closed_at!.type = 'integer';
    });
    expect(breaks(notNull)).toEqual([]);
    // A response value of any type that gets one only narrows what readers get.
    const typedCode = changed((spec) => {
      const branch = (spec.components.schemas.ValidationError as unknown as { allOf: Array<{ properties?: Record<string, { type?: string }> }> }).allOf[1]!;
      branch.properties!.code!.type = 'string';
    });
    expect(findBreakingChanges(released, typedCode)).toEqual([]);
  });

  it('knows which version raises are breaking releases', () => {
    expect(isBreakingRelease('0.1.0', '0.2.0')).toBe(true);
    expect(isBreakingRelease('0.1.0', '0.1.5')).toBe(false);
    expect(isBreakingRelease('0.1.0', '1.0.0')).toBe(true);
    expect(isBreakingRelease('1.2.0', '1.9.0')).toBe(false);
    expect(isBreakingRelease('1.2.0', '2.0.0')).toBe(true);
  });
});

describe('the gate in npm test (scripts/check-breaking.mjs)', () => {
  it('passes the working spec', () => {
    expect(gate(parse(readFileSync('openapi/sessions.yaml', 'utf8')) as Spec).status).toBe(0);
  });

  it.each([
    ['a removed response field', removeResponseField, 'response 201 no longer has the field `message_count`'],
    ['a new required request property', addRequiredRequestProperty, 'request body now requires the property `user_id`'],
    ['a narrowed enum', narrowEnum, '`role` in the request body no longer accepts "assistant"'],
  ])('fails on %s, printing it in plain words', (_name, spec, words) => {
    const { status, output } = gate(spec);
    expect(status).toBe(1);
    expect(output).toContain(words);
    expect(output).toMatch(/raise the minor version of fold-sessions \(0\.1\.0\) and fold-sessions-mock \(0\.1\.0\)/);
  });
});
