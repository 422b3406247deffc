import type { AddMessageRequest, Context, CreateSessionRequest, FoldSessions, MemoryQueryRequest, SessionListParams } from 'fold-sessions';
import type { OperationId } from './tools.gen.js';

/** A tool's arguments, split the way the spec sends them. */
export interface OperationInput {
  path: Record<string, string>;
  query: Record<string, unknown>;
  /** Undefined for an operation without a body. */
  body: unknown;
}

/** What an operation answered: the JSON body and the response's request id. */
export interface OperationResult {
  data: unknown;
  requestId: string | undefined;
}

type Call = (client: FoldSessions, input: OperationInput) => Promise<OperationResult>;

const withId = (promise: { withResponse(): Promise<{ data: unknown; requestId: string | undefined }> }): Promise<OperationResult> =>
  promise.withResponse().then(({ data, requestId }) => ({ data, requestId }));

// Arguments are passed on as the model wrote them, typed only by assertion: the API validates
// them and answers 400 `VALIDATION_ERROR` with the path of each problem, which is what lets a
// model correct itself.

/**
 * Each operation of the spec, through the SDK method that performs it (so retries, idempotency
 * keys and typed errors apply). Keyed by the generated `OperationId`: a new operation in the spec
 * fails the type check here until it is bound.
 */
export const operations: { readonly [K in OperationId]: Call } = {
  createSession: (client, { body }) => withId(client.sessions.create(body as CreateSessionRequest)),
  listSessions: async (client, { query }) => {
    const page = await client.sessions.list(query as SessionListParams);
    // The SDK turns the list body into a page; this is the body again, as the spec shapes it.
    return {
      data: { sessions: page.items, count: page.items.length, has_more: page.nextCursor !== null, next_cursor: page.nextCursor },
      requestId: page.response?.headers.get('x-request-id') ?? undefined,
    };
  },
  getSession: (client, { path }) => withId(client.sessions.get(path.id!)),
  deleteSession: (client, { path }) => withId(client.sessions.delete(path.id!)),
  addMessage: (client, { path, body }) => withId(client.sessions.messages.add(path.id!, body as AddMessageRequest)),
  updateContext: (client, { path, body }) => withId(client.sessions.updateContext(path.id!, body as Context)),
  closeSession: (client, { path }) => withId(client.sessions.close(path.id!)),
  completeSession: (client, { path }) => withId(client.sessions.complete(path.id!)),
  queryMemory: (client, { body }) => withId(client.memory.query(body as MemoryQueryRequest)),
};
