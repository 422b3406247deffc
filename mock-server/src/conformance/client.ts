import { operationSpecs, type OperationId } from '../api/spec.gen.js';

/** One answer of the server under test, checked against the spec as it arrives. */
export interface Answer {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

/** A failed expectation of a conformance case. */
export class ConformanceFailure extends Error {
  override readonly name = 'ConformanceFailure';
}

export function expectThat(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ConformanceFailure(message);
}

export interface CallOptions {
  body?: unknown;
  raw?: string;
  key?: string | null;
  headers?: Record<string, string>;
}

/** Sends requests to the deployment under test and checks every answer against the spec. */
export class ConformanceClient {
  readonly created: Array<{ id: string; key: string }> = [];
  requests = 0;

  constructor(
    readonly baseURL: string,
    readonly key: string,
  ) {}

  async call(operationId: OperationId, path: string, options: CallOptions = {}): Promise<Answer> {
    const spec = operationSpecs[operationId];
    const headers: Record<string, string> = { ...options.headers };
    const key = options.key === undefined ? this.key : options.key;
    if (key !== null) headers.authorization = `Bearer ${key}`;
    const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${this.baseURL}${path}`, { method: spec.method, headers, ...(body !== undefined && { body }), signal: AbortSignal.timeout(30_000) });
    this.requests += 1;
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    const where = `${spec.method} ${path} → ${response.status}`;
    const documented = spec.responses[response.status];
    expectThat(documented, `${where}: ${operationId} does not document status ${response.status} (${text.slice(0, 200)})`);
    if (documented.schema) {
      const checked = documented.schema.safeParse(parsed);
      expectThat(checked.success, `${where}: the body breaks the spec's schema: ${checked.error?.issues[0]?.path.join('.')} ${checked.error?.issues[0]?.message}`);
    }
    for (const header of documented.headers.filter((h) => h.required)) {
      expectThat(response.headers.has(header.name), `${where}: no ${header.name} header`);
    }
    if (operationId === 'createSession' && response.status === 201) this.created.push({ id: (parsed as { id: string }).id, key: key ?? this.key });
    return { status: response.status, headers: response.headers, body: parsed, text };
  }

  /** Deletes every session the run created, whatever state it ended in. */
  async cleanUp(): Promise<number> {
    let deleted = 0;
    for (const { id, key } of this.created.splice(0)) {
      const answer = await fetch(`${this.baseURL}/sessions/${encodeURIComponent(id)}`, { method: 'DELETE', headers: { authorization: `Bearer ${key}` } }).catch(() => undefined);
      if (answer?.status === 200) deleted += 1;
    }
    return deleted;
  }
}
