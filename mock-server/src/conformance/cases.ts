import { ConformanceUnavailable, describeAnswer, expectAnswer, expectThat, type Answer, type ConformanceClient } from './client.js';

export interface ConformanceContext {
  api: ConformanceClient;
  /** A key of another organisation, for the isolation cases. */
  otherKey: string | undefined;
}

export interface ConformanceCase {
  /** What `--only` and `--skip` name. */
  id: string;
  /** The rule it checks; the report scores each rule. */
  group: string;
  name: string;
  /** Creates nothing, so it runs with `--read-only`. */
  readOnly?: boolean;
  /** Skipped, with this reason, when it returns a string. */
  needs?: (context: ConformanceContext) => string | undefined;
  run(context: ConformanceContext): Promise<void>;
}

const newSession = async ({ api }: ConformanceContext, name = 'conformance') => {
  const created = await api.call('createSession', '/sessions', { body: { name } });
  expectAnswer(created, created.status === 201, 'creating a session: expected 201');
  return created.body as { id: string; created_at: number; closed_at: number | null };
};
const at = (id: string, tail = '') => `/sessions/${encodeURIComponent(id)}${tail}`;
const unknownSession = 'sess_conformance00000000';
const isError = (answer: Answer, status: number, code?: string) => answer.status === status && (code === undefined || answer.body?.code === code);

/**
 * The behaviour of the API that any deployment must show, written against plain HTTP. Each case
 * creates, uses and deletes its own sessions only; every answer is checked against the spec. A
 * case fails only on what the spec or docs/decisions.md forbids.
 */
export const conformanceCases: ConformanceCase[] = [
  {
    id: 'create',
    group: 'lifecycle',
    name: 'creates an active session with the documented defaults and a request id',
    async run(context) {
      const created = await context.api.call('createSession', '/sessions', { body: { name: 'defaults' } });
      expectAnswer(created, created.status === 201, 'expected 201');
      const session = created.body;
      expectAnswer(created, session.status === 'active' && session.ttl_seconds === 3600 && session.message_count === 0, 'expected status active, ttl_seconds 3600, message_count 0');
      expectAnswer(created, session.expires_at === session.created_at + 3_600_000, 'expected expires_at = created_at + ttl_seconds × 1000');
      expectAnswer(created, /^[A-Za-z0-9._:-]{1,128}$/.test(created.headers.get('x-request-id') ?? ''), 'expected a valid x-request-id');
    },
  },
  {
    id: 'messages',
    group: 'lifecycle',
    name: 'stores messages oldest first, with tool calls, and counts them',
    async run(context) {
      const { id } = await newSession(context);
      const first = await context.api.call('addMessage', at(id, '/messages'), { body: { role: 'user', content: 'first' } });
      expectAnswer(first, first.status === 201, 'an append: expected 201');
      const second = await context.api.call('addMessage', at(id, '/messages'), { body: { role: 'assistant', content: 'second', tool_name: 'lookup', tool_call_id: 'call_1' } });
      expectAnswer(second, second.status === 201, 'an append: expected 201');
      const read = await context.api.call('getSession', at(id));
      expectAnswer(read, read.status === 200 && read.body.message_count === 2, `expected message_count 2, got ${read.body?.message_count}`);
      expectAnswer(read, read.body.messages.map((m: { content: string }) => m.content).join() === 'first,second', 'expected the messages oldest first');
      expectAnswer(read, read.body.messages[1].tool_name === 'lookup' && read.body.messages[1].tool_call_id === 'call_1', 'expected the tool call to be kept');
    },
  },
  {
    id: 'context',
    group: 'lifecycle',
    name: 'replaces the context entirely',
    async run(context) {
      const created = await context.api.call('createSession', '/sessions', { body: { name: 'context', context: { a: 1, b: 2 } } });
      expectAnswer(created, created.status === 201, 'creating a session: expected 201');
      const updated = await context.api.call('updateContext', at(created.body.id, '/context'), { body: { c: 3 } });
      expectAnswer(updated, updated.status === 200 && JSON.stringify(updated.body.context) === '{"c":3}', `expected 200 with context {"c":3}, context is ${JSON.stringify(updated.body?.context)}`);
    },
  },
  {
    id: 'close',
    group: 'lifecycle',
    name: 'closes once; closing again returns it unchanged; writes to it are 409',
    async run(context) {
      const { id } = await newSession(context);
      const hello = await context.api.call('addMessage', at(id, '/messages'), { body: { role: 'user', content: 'hello' } });
      expectAnswer(hello, hello.status === 201, 'an append: expected 201');
      const closed = await context.api.call('closeSession', at(id, '/close'));
      expectAnswer(closed, closed.status === 200 && closed.body.status === 'closed' && closed.body.closed_at !== null, 'close: expected 200 with status closed and closed_at set');
      expectAnswer(closed, ['pending', 'stored', 'failed'].includes(closed.body.summary_status), `close of a session with messages: expected summary_status pending, stored or failed, got ${closed.body.summary_status}`);
      const again = await context.api.call('closeSession', at(id, '/close'));
      expectAnswer(again, again.status === 200 && again.body.closed_at === closed.body.closed_at, 'a second close: expected 200 with the same closed_at');
      const write = await context.api.call('addMessage', at(id, '/messages'), { body: { role: 'user', content: 'late' } });
      expectAnswer(write, write.status === 409 && write.body.details?.status === 'closed', 'a write to a closed session: expected 409 naming status closed');
      const complete = await context.api.call('completeSession', at(id, '/complete'));
      expectAnswer(complete, complete.status === 409, 'completing a closed session: expected 409');
    },
  },
  {
    id: 'delete',
    group: 'lifecycle',
    name: 'deletes in any state; a second delete and a read are 404',
    async run(context) {
      const { id } = await newSession(context);
      const completed = await context.api.call('completeSession', at(id, '/complete'));
      expectAnswer(completed, completed.status === 200, 'complete: expected 200');
      const deleted = await context.api.call('deleteSession', at(id));
      // A 404 after a lost connection may be the answer to a delete that was applied: no verdict.
      if (deleted.status === 404 && deleted.lostTries > 0) throw new ConformanceUnavailable(`delete: a try lost its connection and the next found ${describeAnswer(deleted)}; cannot tell whether the delete worked`);
      expectAnswer(deleted, deleted.status === 200 && deleted.body.deleted === true && deleted.body.id === id, `delete: expected 200 with {deleted: true, id: "${id}"}`);
      const twice = await context.api.call('deleteSession', at(id));
      expectAnswer(twice, isError(twice, 404), 'a second delete: expected 404');
      const read = await context.api.call('getSession', at(id));
      expectAnswer(read, isError(read, 404), 'reading a deleted session: expected 404');
    },
  },
  {
    id: 'validation',
    group: 'errors',
    name: 'refuses invalid input with 400 VALIDATION_ERROR naming the field',
    readOnly: true,
    async run(context) {
      const answer = await context.api.call('createSession', '/sessions', { body: { name: '', ttl_seconds: 0 } });
      expectAnswer(answer, isError(answer, 400, 'VALIDATION_ERROR'), 'an empty name and ttl_seconds 0: expected 400 VALIDATION_ERROR');
      const paths = answer.body.details.issues.map((issue: { path: string }) => issue.path);
      expectAnswer(answer, paths.includes('body.name') && paths.includes('body.ttl_seconds'), `expected issues naming body.name and body.ttl_seconds, they name ${paths.join(', ')}`);
      const role = await context.api.call('addMessage', at(unknownSession, '/messages'), { body: { role: 'system', content: 'x' } });
      expectAnswer(role, role.status === 400 || role.status === 404, 'role system: expected 400 (or 404 for the unknown session)');
    },
  },
  {
    id: 'auth',
    group: 'errors',
    name: 'answers 401 without a token and with an unknown one',
    readOnly: true,
    async run(context) {
      const none = await context.api.call('listSessions', '/sessions', { key: null });
      expectAnswer(none, isError(none, 401, 'AUTH_REQUIRED'), 'no token: expected 401 AUTH_REQUIRED');
      const wrong = await context.api.call('listSessions', '/sessions', { key: 'conformance-not-a-key' });
      expectAnswer(wrong, isError(wrong, 401, 'AUTH_INVALID'), 'an unknown token: expected 401 AUTH_INVALID');
    },
  },
  {
    id: 'unknown-session',
    group: 'errors',
    name: 'answers 404 NOT_FOUND for an unknown session',
    readOnly: true,
    async run(context) {
      const answer = await context.api.call('getSession', at(unknownSession));
      expectAnswer(answer, isError(answer, 404, 'NOT_FOUND'), 'an unknown session: expected 404 NOT_FOUND');
    },
  },
  {
    id: 'idempotency',
    group: 'idempotency',
    name: 'replays the first answer to a repeated key, and refuses the key for another request with 422',
    async run(context) {
      const key = `conformance-${Date.now()}-${Math.random().toString(36).slice(2)}`;
      const first = await context.api.call('createSession', '/sessions', { body: { name: 'once' }, headers: { 'idempotency-key': key } });
      expectAnswer(first, first.status === 201, 'a create with a key: expected 201');
      const again = await context.api.call('createSession', '/sessions', { body: { name: 'once' }, headers: { 'idempotency-key': key } });
      expectAnswer(again, again.status === 201 && again.text === first.text, `the repeat: expected the first answer again (201, session ${first.body.id})`);
      expectAnswer(again, again.headers.get('idempotent-replayed') === 'true', 'the repeat: expected Idempotent-Replayed: true');
      const other = await context.api.call('createSession', '/sessions', { body: { name: 'other' }, headers: { 'idempotency-key': key } });
      expectAnswer(other, isError(other, 422, 'IDEMPOTENCY_KEY_REUSED'), 'another request with the key: expected 422 IDEMPOTENCY_KEY_REUSED');
    },
  },
  {
    id: 'list',
    group: 'listing',
    name: 'lists newest first, at most limit, with a cursor that continues',
    readOnly: true,
    async run(context) {
      const page = await context.api.call('listSessions', '/sessions?limit=2');
      expectAnswer(page, page.status === 200 && page.body.sessions.length <= 2 && page.body.count === page.body.sessions.length, 'limit=2: expected 200 with at most 2 sessions and count equal to them');
      const created = page.body.sessions.map((s: { created_at: number }) => s.created_at);
      expectAnswer(page, created.every((t: number, i: number) => i === 0 || t <= created[i - 1]), 'expected the newest first');
      expectAnswer(page, page.body.has_more === (page.body.next_cursor !== null), 'expected has_more exactly when there is a next_cursor');
      if (!page.body.next_cursor) return;
      const next = await context.api.call('listSessions', `/sessions?limit=2&cursor=${encodeURIComponent(page.body.next_cursor)}`);
      expectAnswer(next, next.status === 200, 'the next page: expected 200');
      const seen = new Set(page.body.sessions.map((s: { id: string }) => s.id));
      expectAnswer(next, !next.body.sessions.some((s: { id: string }) => seen.has(s.id)), 'the next page: expected none of the first page again');
    },
  },
  {
    id: 'pagination',
    group: 'listing',
    name: 'pages with a cursor through its own sessions, the newer listed first',
    async run(context) {
      const older = await newSession(context, 'older');
      const newer = await newSession(context, 'newer');
      const page = await context.api.call('listSessions', '/sessions?limit=1');
      expectAnswer(page, page.status === 200 && page.body.count === 1 && page.body.has_more === true && page.body.next_cursor, 'limit=1 with two sessions: expected 200 with count 1, has_more true and a next_cursor');
      const ids: string[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 200 && !(ids.includes(older.id) && ids.includes(newer.id)); i++) {
        const next: Answer = await context.api.call('listSessions', `/sessions?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expectAnswer(next, next.status === 200, 'a page: expected 200');
        ids.push(...next.body.sessions.map((s: { id: string }) => s.id));
        cursor = next.body.next_cursor;
        if (cursor === null) break;
      }
      expectThat(ids.includes(newer.id) && ids.includes(older.id), `expected ${newer.id} and ${older.id} listed; got ${ids.length} sessions without ${ids.includes(newer.id) ? older.id : newer.id}`);
      // Two sessions created in the same millisecond may be listed either way.
      if (newer.created_at > older.created_at) {
        expectThat(ids.indexOf(newer.id) < ids.indexOf(older.id), `expected ${newer.id} (created later) listed before ${older.id}; got them at ${ids.indexOf(newer.id)} and ${ids.indexOf(older.id)}`);
      }
    },
  },
  {
    id: 'query-memory',
    group: 'memory',
    name: 'queries memory: matches best first, scores in [0, 1], at most top_k',
    readOnly: true,
    async run(context) {
      const answer = await context.api.call('queryMemory', '/vectors/query', { body: { query_text: 'conformance check', top_k: 3 } });
      expectAnswer(answer, answer.status === 200 && answer.body.matches.length <= 3, 'top_k 3: expected 200 with at most 3 matches');
      const scores = answer.body.matches.map((m: { score: number }) => m.score);
      expectAnswer(answer, scores.every((s: number, i: number) => s >= 0 && s <= 1 && (i === 0 || s <= scores[i - 1])), `expected scores in [0, 1], best first; got ${scores.join(', ')}`);
    },
  },
  {
    id: 'request-id',
    group: 'cross-cutting',
    name: 'echoes a valid x-request-id',
    readOnly: true,
    async run(context) {
      const answer = await context.api.call('listSessions', '/sessions?limit=1', { headers: { 'x-request-id': 'req_conformance.check-1' } });
      expectAnswer(answer, answer.headers.get('x-request-id') === 'req_conformance.check-1', 'expected x-request-id req_conformance.check-1 echoed');
    },
  },
  {
    id: 'isolation',
    group: 'isolation',
    name: "another organisation's session is a 404, never a 403, and never listed",
    needs: (context) => (context.otherKey ? undefined : 'needs --second-key of another organisation'),
    async run(context) {
      const { id } = await newSession(context, 'private');
      const read = await context.api.call('getSession', at(id), { key: context.otherKey! });
      expectAnswer(read, isError(read, 404), "another organisation's read: expected 404");
      const write = await context.api.call('addMessage', at(id, '/messages'), { key: context.otherKey!, body: { role: 'user', content: 'x' } });
      expectAnswer(write, isError(write, 404), "another organisation's write: expected 404");
      const list = await context.api.call('listSessions', '/sessions?limit=100', { key: context.otherKey! });
      expectAnswer(list, list.status === 200 && !list.body.sessions.some((s: { id: string }) => s.id === id), "another organisation's list: expected 200 without the session");
    },
  },
];
