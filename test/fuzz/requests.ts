import fc from 'fast-check';

/** One request of a fuzzed sequence. `session` picks one of the sessions created so far. */
export interface FuzzCommand {
  kind: 'valid' | 'invalid' | 'clock';
  operationId: string;
  method: string;
  /** Path template; `{id}` is replaced by the picked session's id (or an unknown one). */
  path: string;
  session: number;
  query?: string;
  headers?: Record<string, string>;
  /** JSON value, or raw text when `raw` is set. */
  body?: unknown;
  raw?: string;
  /** Send it twice with the same Idempotency-Key: the second must replay the first byte for byte. */
  repeat?: boolean;
  /** For `clock` commands: how far the clock moves. */
  advanceMs?: number;
}

const text = (min: number, max: number) => fc.string({ unit: fc.constantFrom('a', 'é', '漢', '😀', ' ', '\n', '"', '\\', '0'), minLength: min, maxLength: max });
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), text(0, 8), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 3 }),
  object: fc.dictionary(fc.constantFrom('a', 'b', '__proto__', 'constructor', 'prototype', 'x y', ''), tie('value'), { maxKeys: 4 }),
})).value;
const context = fc.dictionary(fc.constantFrom('plan', 'step', '__proto__', 'constructor', 'toString', 'ünï'), jsonValue, { maxKeys: 4 });
const key = fc.option(fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom('a', 'b', '1', '-') }), { nil: undefined });

const createBody = fc.record(
  { name: text(1, 40), ttl_seconds: fc.integer({ min: 1, max: 2_592_000 }), context },
  { requiredKeys: ['name'] },
);
const messageBody = fc.record(
  { role: fc.constantFrom('user', 'assistant'), content: text(0, 60), tool_call_id: fc.option(text(0, 10), { nil: null }), tool_name: fc.option(text(0, 10), { nil: null }) },
  { requiredKeys: ['role', 'content'] },
);
const queryBody = fc.record({ query_text: text(1, 40), top_k: fc.integer({ min: 1, max: 100 }), namespace: fc.constant('session-memory') }, { requiredKeys: ['query_text'] });
const listQuery = fc.record({ status: fc.constantFrom('active', 'closed', 'completed', 'expired'), limit: fc.integer({ min: 1, max: 100 }) }, { requiredKeys: [] });

const base = { session: fc.nat(20) };
const post = (operationId: string, path: string, body: fc.Arbitrary<unknown>) =>
  fc.record({ ...base, body, idempotencyKey: key, repeat: fc.boolean() }).map(
    ({ session, body: value, idempotencyKey, repeat }): FuzzCommand => ({
      kind: 'valid',
      operationId,
      method: operationId === 'updateContext' ? 'PUT' : 'POST',
      path,
      session,
      body: value,
      ...(idempotencyKey !== undefined && operationId !== 'updateContext' && { headers: { 'idempotency-key': idempotencyKey }, repeat }),
    }),
  );

/** Requests the spec allows, following the links: every operation on the sessions created so far. */
export const validCommand: fc.Arbitrary<FuzzCommand> = fc.oneof(
  { weight: 4, arbitrary: post('createSession', '/sessions', createBody) },
  { weight: 5, arbitrary: post('addMessage', '/sessions/{id}/messages', messageBody) },
  { weight: 2, arbitrary: post('updateContext', '/sessions/{id}/context', context) },
  { weight: 2, arbitrary: post('closeSession', '/sessions/{id}/close', fc.constant(undefined)) },
  { weight: 1, arbitrary: post('completeSession', '/sessions/{id}/complete', fc.constant(undefined)) },
  { weight: 2, arbitrary: post('queryMemory', '/vectors/query', queryBody) },
  { weight: 3, arbitrary: fc.record(base).map(({ session }): FuzzCommand => ({ kind: 'valid', operationId: 'getSession', method: 'GET', path: '/sessions/{id}', session })) },
  { weight: 1, arbitrary: fc.record(base).map(({ session }): FuzzCommand => ({ kind: 'valid', operationId: 'deleteSession', method: 'DELETE', path: '/sessions/{id}', session })) },
  {
    weight: 2,
    arbitrary: fc.record({ ...base, query: listQuery }).map(({ session, query }): FuzzCommand => ({
      kind: 'valid', operationId: 'listSessions', method: 'GET', path: '/sessions', session,
      query: new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString(),
    })),
  },
);

/** Each breaks one rule of the spec alone; every one must be answered 4xx and change nothing. */
export const invalidCommand: fc.Arbitrary<FuzzCommand> = fc.tuple(
  fc.constantFrom<Partial<FuzzCommand>>(
    { operationId: 'createSession', body: { name: '' } },
    { operationId: 'createSession', body: { name: 'x'.repeat(257) } },
    { operationId: 'createSession', body: { name: 'x', ttl_seconds: 0 } },
    { operationId: 'createSession', body: { name: 'x', ttl_seconds: 2_592_001 } },
    { operationId: 'createSession', body: { name: 'x', ttl_seconds: 1.5 } },
    { operationId: 'createSession', body: { name: 'x', ttl_seconds: '60' } },
    { operationId: 'createSession', body: { name: 'x', extra: true } },
    { operationId: 'createSession', body: {} },
    { operationId: 'createSession', body: { name: 7 } },
    { operationId: 'createSession', body: { name: 'x', context: [] } },
    { operationId: 'createSession', body: ['name'] },
    { operationId: 'createSession', raw: '{"name": "x"' },
    { operationId: 'createSession', raw: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
    { operationId: 'createSession', body: { name: 'x' }, headers: { 'idempotency-key': 'k'.repeat(256) } },
    { operationId: 'addMessage', body: { role: 'system', content: 'x' } },
    { operationId: 'addMessage', body: { role: 'user' } },
    { operationId: 'addMessage', body: { role: 'user', content: 'x', tool_name: 'n'.repeat(257) } },
    { operationId: 'addMessage', body: { role: 'user', content: 'x', extra: 1 } },
    { operationId: 'addMessage', raw: '' },
    { operationId: 'updateContext', body: [1, 2] },
    { operationId: 'updateContext', body: 'text' },
    { operationId: 'closeSession', body: { reason: 'done' } },
    { operationId: 'queryMemory', body: { query_text: '' } },
    { operationId: 'queryMemory', body: { query_text: 'x', top_k: 0 } },
    { operationId: 'queryMemory', body: { query_text: 'x', top_k: 101 } },
    { operationId: 'queryMemory', body: { query_text: 'x', namespace: 'other' } },
    { operationId: 'listSessions', query: 'limit=0' },
    { operationId: 'listSessions', query: 'limit=abc' },
    { operationId: 'listSessions', query: 'limit=%2B5' },
    { operationId: 'listSessions', query: 'status=paused' },
    { operationId: 'listSessions', query: 'colour=red' },
    { operationId: 'listSessions', query: 'cursor=%21%21' },
    { operationId: 'getSession', path: '/sessions/' + 'x'.repeat(256) },
  ),
  fc.nat(20),
).map(([partial, session]) => {
  const paths: Record<string, [string, string]> = {
    createSession: ['POST', '/sessions'], addMessage: ['POST', '/sessions/{id}/messages'], updateContext: ['PUT', '/sessions/{id}/context'],
    closeSession: ['POST', '/sessions/{id}/close'], queryMemory: ['POST', '/vectors/query'], listSessions: ['GET', '/sessions'], getSession: ['GET', '/sessions/{id}'],
  };
  const [method, path] = paths[partial.operationId!]!;
  return { kind: 'invalid', method, path, session, ...partial } as FuzzCommand;
});

export const clockCommand: fc.Arbitrary<FuzzCommand> = fc
  .constantFrom(1_000, 60_000, 3_600_000, 86_400_000)
  .map((advanceMs): FuzzCommand => ({ kind: 'clock', operationId: 'clock', method: '', path: '', session: 0, advanceMs }));

export const command = fc.oneof({ weight: 14, arbitrary: validCommand }, { weight: 5, arbitrary: invalidCommand }, { weight: 1, arbitrary: clockCommand });
