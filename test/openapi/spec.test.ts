import { describe, expect, it } from 'vitest';
import { deref, loadSpec, operations } from '../support/spec.js';

const spec = loadSpec();

// The operations and the errors each can return, as the product decisions fix them.
const expected = {
  createSession: { method: 'post', path: '/sessions', success: '201', errors: [400, 401, 409, 413, 415, 422, 429, 500, 503] },
  listSessions: { method: 'get', path: '/sessions', success: '200', errors: [400, 401, 429, 500, 503] },
  getSession: { method: 'get', path: '/sessions/{id}', success: '200', errors: [400, 401, 404, 429, 500, 503] },
  addMessage: { method: 'post', path: '/sessions/{id}/messages', success: '201', errors: [400, 401, 404, 409, 413, 415, 422, 429, 500, 503] },
  updateContext: { method: 'put', path: '/sessions/{id}/context', success: '200', errors: [400, 401, 404, 409, 413, 415, 429, 500, 503] },
  closeSession: { method: 'post', path: '/sessions/{id}/close', success: '200', errors: [400, 401, 404, 409, 413, 415, 422, 429, 500, 503] },
  completeSession: { method: 'post', path: '/sessions/{id}/complete', success: '200', errors: [400, 401, 404, 409, 413, 415, 422, 429, 500, 503] },
  deleteSession: { method: 'delete', path: '/sessions/{id}', success: '200', errors: [400, 401, 404, 429, 500, 503] },
  queryMemory: { method: 'post', path: '/vectors/query', success: '200', errors: [400, 401, 409, 413, 415, 422, 429, 500, 503] },
} as const;

const codesByStatus: Record<number, string[]> = {
  400: ['VALIDATION_ERROR'],
  401: ['AUTH_REQUIRED', 'AUTH_INVALID'],
  404: ['NOT_FOUND'],
  // A known path with another method: no operation documents it, the error shape does.
  405: ['METHOD_NOT_ALLOWED'],
  409: ['CONFLICT'],
  413: ['PAYLOAD_TOO_LARGE'],
  415: ['UNSUPPORTED_MEDIA_TYPE'],
  422: ['IDEMPOTENCY_KEY_REUSED'],
  429: ['RATE_LIMITED', 'USAGE_LIMIT_EXCEEDED'],
  500: ['INTERNAL_ERROR'],
  503: ['SERVICE_UNAVAILABLE'],
};

describe('openapi/sessions.yaml', () => {
  it('is OpenAPI 3.1 with bearer security', () => {
    expect(spec.openapi).toMatch(/^3\.1\./);
    expect(spec.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(spec.security).toEqual([{ bearerAuth: [] }]);
  });

  it('has exactly the nine operations of the API', () => {
    const found = operations(spec).map((op) => op.operationId).sort();
    expect(found).toEqual(Object.keys(expected).sort());
  });

  describe.each(Object.entries(expected))('%s', (operationId, want) => {
    const op = operations(spec).find((candidate) => candidate.operationId === operationId);

    it('sits at its method and path', () => {
      expect(op).toBeDefined();
      expect({ method: op!.method, path: op!.path }).toEqual({ method: want.method, path: want.path });
    });

    it('documents its success and every error it can return', () => {
      const statuses = Object.keys(op!.operation.responses).sort();
      expect(statuses).toEqual([want.success, ...want.errors.map(String)].sort());
    });

    it('declares x-request-id on every response, Retry-After on 429 and 503', () => {
      for (const [status, ref] of Object.entries<any>(op!.operation.responses)) {
        const response = deref(spec, ref);
        expect(Object.keys(response.headers ?? {}), `${operationId} ${status}`).toContain('x-request-id');
        if (status === '429' || status === '503') expect(Object.keys(response.headers)).toContain('Retry-After');
        if (status === '429') expect(Object.keys(response.headers)).toEqual(expect.arrayContaining(['RateLimit', 'RateLimit-Policy']));
      }
    });

    it('uses the error schema and the right codes on every error response', () => {
      for (const status of want.errors) {
        const response = deref(spec, op!.operation.responses[String(status)]);
        const media = response.content['application/json'];
        // Each status has its own error schema: the shared Error, with `code` narrowed to that status's codes.
        const schema = deref(spec, media.schema);
        expect(schema.allOf[0].$ref, `${operationId} ${status}`).toBe('#/components/schemas/Error');
        const code = schema.allOf[1].properties.code;
        expect(code.type, `${operationId} ${status}`).toBe('string');
        expect([...(code.enum ?? [code.const])].sort(), `${operationId} ${status}`).toEqual([...codesByStatus[status]!].sort());
        const codes = Object.values<any>(media.examples).map((example) => deref(spec, example).value.code);
        expect(codes.length, `${operationId} ${status}`).toBeGreaterThan(0);
        for (const code of codes) expect(codesByStatus[status]).toContain(code);
      }
    });

    it('applies bearer security and, on POST, accepts Idempotency-Key', () => {
      expect(op!.operation.security ?? spec.security).toEqual([{ bearerAuth: [] }]);
      const params = (op!.operation.parameters ?? []).map((p: unknown) => deref(spec, p));
      const idempotency = params.find((p: any) => p.name === 'Idempotency-Key');
      if (want.method === 'post') {
        expect(idempotency).toMatchObject({ in: 'header', schema: { minLength: 1, maxLength: 255 } });
        expect(Object.keys(deref(spec, op!.operation.responses[want.success]).headers)).toContain('Idempotent-Replayed');
      } else {
        expect(idempotency).toBeUndefined();
      }
    });
  });

  it('forbids unknown fields on request bodies, but not inside context', () => {
    const schemas = spec.components.schemas;
    for (const name of ['CreateSessionRequest', 'AddMessageRequest', 'MemoryQueryRequest']) {
      expect(schemas[name].additionalProperties, name).toBe(false);
    }
    expect(schemas.Context.additionalProperties).toBe(true);
  });

  it('encodes the documented field constraints', () => {
    const s = spec.components.schemas;
    expect(s.Session.properties.id.pattern).toBe('^sess_[A-Za-z0-9_-]{16,}$');
    expect(s.CreateSessionRequest.properties.name).toMatchObject({ minLength: 1, maxLength: 256 });
    expect(s.CreateSessionRequest.properties.ttl_seconds).toMatchObject({ minimum: 1, maximum: 2592000, default: 3600 });
    expect(s.AddMessageRequest.properties.content.maxLength).toBe(200000);
    expect(s.MessageRole.enum).toEqual(['user', 'assistant']);
    expect(s.SessionStatus.enum).toEqual(['active', 'closed', 'completed', 'expired']);
    expect(s.SummaryStatus.enum).toEqual(['none', 'pending', 'stored', 'failed']);
    expect(s.MemoryQueryRequest.properties.top_k).toMatchObject({ minimum: 1, maximum: 100, default: 5 });
    expect(s.Session.properties.closed_at.type).toEqual(['integer', 'null']);
    expect(s.ErrorCode.enum).toEqual(Object.values(codesByStatus).flat());
  });
});
