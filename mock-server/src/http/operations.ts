import type { SessionsService } from '../core/service.js';
import type { ChangeTag } from '../core/store.js';
import {
  zAddMessageBodyStrict,
  zCreateSessionBodyStrict,
  zGetSessionPath,
  zListSessionsQuery,
  zQueryMemoryBodyStrict,
  zUpdateContextBody,
} from '../spec/schemas.js';
import type { FieldPaths } from './error-response.js';
import type { OperationId } from './types.js';
import { assertJsonDepth } from './depth.js';
import { parseOrThrow } from './validation.js';

/** A request that passed routing, auth and body reading; `body` is the parsed JSON. */
export interface OperationInput {
  orgId: string;
  sessionId: string | undefined;
  query: Record<string, unknown>;
  body: unknown;
  /** Present when the request carries an `Idempotency-Key`: marks the change it makes. */
  tag?: ChangeTag | undefined;
}

export interface OperationResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

type Operation = (service: SessionsService, input: OperationInput) => Promise<OperationResult>;

// Every operation's path takes the same `id` schema (1..255 characters).
function sessionId(input: OperationInput): string {
  return parseOrThrow(zGetSessionPath, { id: input.sessionId }, 'path').id;
}

// zod rebuilds a record by assignment, which would turn a `__proto__` key into a prototype and
// drop it. Context is arbitrary JSON data, so once validated, the parsed JSON object is kept.
function rawContext(body: unknown): Record<string, unknown> | undefined {
  const context = (body as { context?: unknown } | undefined)?.context;
  return context as Record<string, unknown> | undefined;
}

const ok = (body: unknown): OperationResult => ({ status: 200, body });
const created = (body: unknown): OperationResult => ({ status: 201, body });

/** Each operation: validate its inputs with the generated schemas, call the service. */
export const operations: Record<OperationId, Operation> = {
  async createSession(service, input) {
    const body = parseOrThrow(zCreateSessionBodyStrict, input.body, 'body');
    const context = rawContext(input.body);
    assertJsonDepth(context, 'body.context');
    return created(await service.createSession(input.orgId, context === undefined ? body : { ...body, context }, input.tag));
  },
  async listSessions(service, input) {
    return ok(await service.listSessions(input.orgId, parseOrThrow(zListSessionsQuery, input.query, 'query')));
  },
  async getSession(service, input) {
    return ok(await service.getSession(input.orgId, sessionId(input)));
  },
  async deleteSession(service, input) {
    return ok(await service.deleteSession(input.orgId, sessionId(input)));
  },
  async addMessage(service, input) {
    const id = sessionId(input);
    return created(await service.addMessage(input.orgId, id, parseOrThrow(zAddMessageBodyStrict, input.body, 'body'), input.tag));
  },
  async updateContext(service, input) {
    const id = sessionId(input);
    parseOrThrow(zUpdateContextBody, input.body, 'body');
    assertJsonDepth(input.body, 'body');
    return ok(await service.updateContext(input.orgId, id, input.body as Record<string, unknown>));
  },
  async closeSession(service, input) {
    return ok(await service.closeSession(input.orgId, sessionId(input), input.tag));
  },
  async completeSession(service, input) {
    return ok(await service.completeSession(input.orgId, sessionId(input), input.tag));
  },
  async queryMemory(service, input) {
    const { ranking, ...result } = await service.queryMemory(input.orgId, parseOrThrow(zQueryMemoryBodyStrict, input.body, 'body'));
    return { status: 200, body: result, headers: { 'memory-ranking': ranking } };
  },
};

/** Where each operation's fields sit in the request, for the issues of a domain `InvalidFieldError`. */
export const fieldPaths: Record<OperationId, FieldPaths> = {
  createSession: (field) => `body.${field}`,
  listSessions: (field) => `query.${field}`,
  getSession: (field) => `path.${field}`,
  deleteSession: (field) => `path.${field}`,
  addMessage: (field) => `body.${field}`,
  // The body of updateContext is the context itself.
  updateContext: (field) => (field === 'context' ? 'body' : `body.${field}`),
  closeSession: (field) => `path.${field}`,
  completeSession: (field) => `path.${field}`,
  queryMemory: (field) => `body.${field}`,
};
