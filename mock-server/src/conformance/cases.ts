import { expectThat, type ConformanceClient } from './client.js';

export interface ConformanceContext {
  api: ConformanceClient;
  /** A key of another organisation, for the isolation cases. */
  otherKey: string | undefined;
}

export interface ConformanceCase {
  group: string;
  name: string;
  /** Skipped, with this reason, when it returns a string. */
  needs?: (context: ConformanceContext) => string | undefined;
  run(context: ConformanceContext): Promise<void>;
}

const newSession = async ({ api }: ConformanceContext, name = 'conformance') => {
  const created = await api.call('createSession', '/sessions', { body: { name } });
  expectThat(created.status === 201, `creating a session answered ${created.status}`);
  return created.body as { id: string; created_at: number; closed_at: number | null };
};
const at = (id: string, tail = '') => `/sessions/${encodeURIComponent(id)}${tail}`;

/**
 * The behaviour of the API that any deployment must show, written against plain HTTP. Each case
 * creates, uses and deletes its own sessions only; every answer is checked against the spec.
 */
export const conformanceCases: ConformanceCase[] = [
  {
    group: 'lifecycle',
    name: 'creates an active session with the documented defaults and a request id',
    async run(context) {
      const created = await context.api.call('createSession', '/sessions', { body: { name: 'defaults' } });
      expectThat(created.status === 201, `expected 201, got ${created.status}`);
      const session = created.body;
      expectThat(session.status === 'active' && session.ttl_seconds === 3600 && session.message_count === 0, `unexpected defaults: ${created.text}`);
      expectThat(session.expires_at === session.created_at + 3_600_000, 'expires_at is not created_at + ttl_seconds × 1000');
      expectThat(/^[A-Za-z0-9._:-]{1,128}$/.test(created.headers.get('x-request-id') ?? ''), 'no valid x-request-id');
    },
  },
  {
    group: 'lifecycle',
    name: 'stores messages oldest first, with tool calls, and counts them',
    async run(context) {
      const { id } = await newSession(context);
      const first = await context.api.call('addMessage', at(id, '/messages'), { body: { role: 'user', content: 'first' } });
      const second = await context.api.call('addMessage', at(id, '/messages'), { body: { role: 'assistant', content: 'second', tool_name: 'lookup', tool_call_id: 'call_1' } });
      expectThat(first.status === 201 && second.status === 201, 'appends did not answer 201');
      const read = await context.api.call('getSession', at(id));
      expectThat(read.body.message_count === 2, `message_count is ${read.body.message_count}`);
      expectThat(read.body.messages.map((m: { content: string }) => m.content).join() === 'first,second', 'messages are not oldest first');
      expectThat(read.body.messages[1].tool_name === 'lookup' && read.body.messages[1].tool_call_id === 'call_1', 'the tool call was not kept');
    },
  },
  {
    group: 'lifecycle',
    name: 'replaces the context entirely',
    async run(context) {
      const created = await context.api.call('createSession', '/sessions', { body: { name: 'context', context: { a: 1, b: 2 } } });
      const updated = await context.api.call('updateContext', at(created.body.id, '/context'), { body: { c: 3 } });
      expectThat(updated.status === 200 && JSON.stringify(updated.body.context) === '{"c":3}', `context is ${JSON.stringify(updated.body.context)}`);
    },
  },
  {
    group: 'lifecycle',
    name: 'closes once; closing again returns it unchanged; writes to it are 409',
    async run(context) {
      const { id } = await newSession(context);
      await context.api.call('addMessage', at(id, '/messages'), { body: { role: 'user', content: 'hello' } });
      const closed = await context.api.call('closeSession', at(id, '/close'));
      expectThat(closed.status === 200 && closed.body.status === 'closed' && closed.body.closed_at !== null, `close answered ${closed.text}`);
      expectThat(['pending', 'stored', 'failed'].includes(closed.body.summary_status), `summary_status is ${closed.body.summary_status}`);
      const again = await context.api.call('closeSession', at(id, '/close'));
      expectThat(again.status === 200 && again.body.closed_at === closed.body.closed_at, 'a second close changed the session');
      const write = await context.api.call('addMessage', at(id, '/messages'), { body: { role: 'user', content: 'late' } });
      expectThat(write.status === 409 && write.body.details?.status === 'closed', `a write to a closed session answered ${write.status}`);
      const complete = await context.api.call('completeSession', at(id, '/complete'));
      expectThat(complete.status === 409, `completing a closed session answered ${complete.status}`);
    },
  },
  {
    group: 'lifecycle',
    name: 'deletes in any state; a second delete and a read are 404',
    async run(context) {
      const { id } = await newSession(context);
      await context.api.call('completeSession', at(id, '/complete'));
      const deleted = await context.api.call('deleteSession', at(id));
      expectThat(deleted.status === 200 && deleted.body.deleted === true && deleted.body.id === id, `delete answered ${deleted.text}`);
      expectThat((await context.api.call('deleteSession', at(id))).status === 404, 'a second delete was not 404');
      expectThat((await context.api.call('getSession', at(id))).status === 404, 'a deleted session is still readable');
    },
  },
  {
    group: 'errors',
    name: 'refuses invalid input with 400 VALIDATION_ERROR naming the field',
    async run(context) {
      const answer = await context.api.call('createSession', '/sessions', { body: { name: '', ttl_seconds: 0 } });
      expectThat(answer.status === 400 && answer.body.code === 'VALIDATION_ERROR', `expected 400, got ${answer.status}`);
      const paths = answer.body.details.issues.map((issue: { path: string }) => issue.path);
      expectThat(paths.includes('body.name') && paths.includes('body.ttl_seconds'), `issues name ${paths.join(', ')}`);
      const role = await context.api.call('addMessage', at('sess_conformance00000000', '/messages'), { body: { role: 'system', content: 'x' } });
      expectThat(role.status === 400 || role.status === 404, `a bad role answered ${role.status}`);
    },
  },
  {
    group: 'errors',
    name: 'answers 401 without a token and with an unknown one',
    async run(context) {
      const none = await context.api.call('listSessions', '/sessions', { key: null });
      expectThat(none.status === 401 && none.body.code === 'AUTH_REQUIRED', `no token answered ${none.status} ${none.body?.code}`);
      const wrong = await context.api.call('listSessions', '/sessions', { key: 'conformance-not-a-key' });
      expectThat(wrong.status === 401 && wrong.body.code === 'AUTH_INVALID', `a wrong token answered ${wrong.status} ${wrong.body?.code}`);
    },
  },
  {
    group: 'errors',
    name: 'answers 404 NOT_FOUND for an unknown session',
    async run(context) {
      const answer = await context.api.call('getSession', at('sess_conformance00000000'));
      expectThat(answer.status === 404 && answer.body.code === 'NOT_FOUND', `expected 404, got ${answer.status}`);
    },
  },
  {
    group: 'idempotency',
    name: 'replays the first answer to a repeated key, and refuses the key for another request with 422',
    async run(context) {
      const key = `conformance-${Date.now()}-${Math.random().toString(36).slice(2)}`;
      const first = await context.api.call('createSession', '/sessions', { body: { name: 'once' }, headers: { 'idempotency-key': key } });
      const again = await context.api.call('createSession', '/sessions', { body: { name: 'once' }, headers: { 'idempotency-key': key } });
      expectThat(first.status === 201 && again.status === 201 && again.text === first.text, 'the repeat did not replay the first answer');
      expectThat(again.headers.get('idempotent-replayed') === 'true', 'the replay is not marked Idempotent-Replayed');
      const other = await context.api.call('createSession', '/sessions', { body: { name: 'other' }, headers: { 'idempotency-key': key } });
      expectThat(other.status === 422 && other.body.code === 'IDEMPOTENCY_KEY_REUSED', `another request with the key answered ${other.status}`);
    },
  },
  {
    group: 'listing',
    name: 'lists newest first and pages with a cursor',
    async run(context) {
      const older = await newSession(context, 'older');
      const newer = await newSession(context, 'newer');
      const page = await context.api.call('listSessions', '/sessions?limit=1');
      expectThat(page.status === 200 && page.body.count === 1 && page.body.has_more === true && page.body.next_cursor, 'limit=1 did not page');
      const ids: string[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 200 && !(ids.includes(older.id) && ids.includes(newer.id)); i++) {
        const next: { body: { sessions: Array<{ id: string }>; next_cursor: string | null } } = await context.api.call('listSessions', `/sessions?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        ids.push(...next.body.sessions.map((s) => s.id));
        cursor = next.body.next_cursor;
        if (cursor === null) break;
      }
      expectThat(ids.indexOf(newer.id) !== -1 && ids.indexOf(newer.id) < ids.indexOf(older.id), 'the newer session is not listed before the older');
    },
  },
  {
    group: 'memory',
    name: 'queries memory: matches best first, scores in [0, 1], at most top_k',
    async run(context) {
      const answer = await context.api.call('queryMemory', '/vectors/query', { body: { query_text: 'conformance check', top_k: 3 } });
      expectThat(answer.status === 200 && answer.body.matches.length <= 3, `query answered ${answer.status}`);
      const scores = answer.body.matches.map((m: { score: number }) => m.score);
      expectThat(scores.every((s: number, i: number) => s >= 0 && s <= 1 && (i === 0 || s <= scores[i - 1])), 'scores are not in [0, 1], best first');
    },
  },
  {
    group: 'cross-cutting',
    name: 'echoes a valid x-request-id',
    async run(context) {
      const answer = await context.api.call('listSessions', '/sessions?limit=1', { headers: { 'x-request-id': 'req_conformance.check-1' } });
      expectThat(answer.headers.get('x-request-id') === 'req_conformance.check-1', 'x-request-id was not echoed');
    },
  },
  {
    group: 'isolation',
    name: "another organisation's session is a 404, never a 403, and never listed",
    needs: (context) => (context.otherKey ? undefined : 'needs --second-key of another organisation'),
    async run(context) {
      const { id } = await newSession(context, 'private');
      const read = await context.api.call('getSession', at(id), { key: context.otherKey! });
      expectThat(read.status === 404, `another organisation's read answered ${read.status}`);
      const write = await context.api.call('addMessage', at(id, '/messages'), { key: context.otherKey!, body: { role: 'user', content: 'x' } });
      expectThat(write.status === 404, `another organisation's write answered ${write.status}`);
      const list = await context.api.call('listSessions', '/sessions?limit=100', { key: context.otherKey! });
      expectThat(!list.body.sessions.some((s: { id: string }) => s.id === id), "another organisation's list shows the session");
    },
  },
];
