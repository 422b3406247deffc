import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll } from 'vitest';

/** What the stub does with the next request, before falling back to its small happy path. */
export type Fault =
  | { status: number; headers?: Record<string, string>; body?: unknown }
  /** Never answers. */
  | { hang: true }
  /** Handles the request (so a message is stored), then destroys the socket before answering. */
  | { resetAfterHandling: true };

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface StoredMessage {
  id: string;
  role: string;
  content: string;
  tool_call_id: null;
  tool_name: null;
  created_at: number;
}

/**
 * A real HTTP server on 127.0.0.1 that plays scripted faults first, then answers like a tiny
 * Sessions API: POST /sessions, GET /sessions/:id, POST /sessions/:id/messages (deduplicated by
 * Idempotency-Key), GET /sessions (one page, or two with `?cursor`).
 */
export interface StubServer {
  url: string;
  /** Every request the server saw, in order. */
  seen: SeenRequest[];
  /** The requests of `seen` that it holds without ever answering (`{ hang: true }`). */
  held: SeenRequest[];
  /**
   * Resolves with the `count`-th request (1-based) as soon as the server has received it: a hook
   * for tests that must act only once a request has arrived, whatever the machine's load.
   */
  whenSeen(count: number): Promise<SeenRequest>;
  /** Messages stored by POST /sessions/:id/messages. */
  messages: StoredMessage[];
  /** Queues what the next requests get. */
  fail(...faults: Fault[]): void;
  /** Forgets requests, messages and unused faults. */
  reset(): void;
  /** Replaces the happy-path body of the next successful response (to break the spec). */
  nextBody(body: unknown): void;
  close(): Promise<void>;
}

export const SESSION_ID = 'sess_AAAAAAAAAAAAAAAA';

export function sessionBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: SESSION_ID,
    name: 'stub',
    status: 'active',
    ttl_seconds: 60,
    expires_at: 60_000,
    message_count: 0,
    context: {},
    created_at: 0,
    updated_at: 0,
    closed_at: null,
    completed_at: null,
    summary_status: 'none',
    ...overrides,
  };
}

export async function startStubServer(): Promise<StubServer> {
  const seen: SeenRequest[] = [];
  const held: SeenRequest[] = [];
  const waiters: Array<{ count: number; resolve: (request: SeenRequest) => void }> = [];
  const messages: StoredMessage[] = [];
  const faults: Fault[] = [];
  const replies = new Map<string, StoredMessage>();
  const sockets = new Set<import('node:net').Socket>();
  let override: { body: unknown } | undefined;

  const happyPath = (request: SeenRequest): { status: number; body: unknown } => {
    const { method, path } = request;
    if (method === 'POST' && path === '/sessions') return { status: 201, body: sessionBody() };
    if (method === 'GET' && (path === '/sessions' || path.startsWith('/sessions?'))) {
      const second = path.includes('cursor=');
      return {
        status: 200,
        body: {
          sessions: [sessionBody({ id: second ? 'sess_BBBBBBBBBBBBBBBB' : SESSION_ID })],
          count: 1,
          has_more: !second,
          next_cursor: second ? null : 'page2',
        },
      };
    }
    if (method === 'POST' && /^\/sessions\/[^/]+\/messages$/.test(path)) {
      const key = String(request.headers['idempotency-key'] ?? '');
      const replay = key ? replies.get(key) : undefined;
      if (replay) return { status: 201, body: replay };
      const { role, content } = JSON.parse(request.body) as { role: string; content: string };
      const message: StoredMessage = {
        id: `msg_${String(messages.length).padStart(16, '0')}`,
        role,
        content,
        tool_call_id: null,
        tool_name: null,
        created_at: 0,
      };
      messages.push(message);
      if (key) replies.set(key, message);
      return { status: 201, body: message };
    }
    if (method === 'GET' && path.startsWith('/sessions/')) {
      return { status: 200, body: { ...sessionBody({ message_count: messages.length }), messages } };
    }
    return { status: 404, body: { error: `No route ${method} ${path}`, code: 'NOT_FOUND', details: null } };
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_${seen.length}`, ...headers });
    res.end(JSON.stringify(body));
  };

  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const request: SeenRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
    seen.push(request);
    const fault = faults.shift();
    if (fault && 'hang' in fault) held.push(request);
    for (const waiter of waiters.filter(({ count }) => count === seen.length)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(request);
    }
    if (fault && 'hang' in fault) return;
    if (fault && 'status' in fault) return send(res, fault.status, fault.body ?? {}, fault.headers);
    const reply = happyPath(request);
    if (fault && 'resetAfterHandling' in fault) return req.socket.destroy();
    if (override && reply.status < 300) {
      reply.body = override.body;
      override = undefined;
    }
    send(res, reply.status, reply.body);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    held,
    whenSeen: (count) =>
      seen.length >= count ? Promise.resolve(seen[count - 1]!) : new Promise((resolve) => waiters.push({ count, resolve })),
    messages,
    fail: (...next) => faults.push(...next),
    reset: () => {
      seen.length = 0;
      held.length = 0;
      waiters.length = 0;
      messages.length = 0;
      faults.length = 0;
      replies.clear();
      override = undefined;
    },
    nextBody: (next) => {
      override = { body: next };
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * One stub for the calling test file: started before its tests, reset after each test, closed
 * after the last. Returns a getter, since the stub exists only once the file's tests start.
 */
export function useStubServer(): () => StubServer {
  let stub: StubServer | undefined;
  beforeAll(async () => {
    stub = await startStubServer();
  });
  afterEach(() => stub?.reset());
  afterAll(() => stub?.close());
  return () => {
    if (!stub) throw new Error('The stub server starts in beforeAll; use it inside a test');
    return stub;
  };
}
