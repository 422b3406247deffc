// A stand-in for your test suite: a few calls through the proxy.
import assert from 'node:assert/strict';
import { FoldSessions } from 'fold-sessions';

const baseURL = process.env.FOLD_SESSIONS_URL;
const fold = new FoldSessions({ baseURL });

const session = await fold.sessions.create({ name: 'Contract check', context: { plan: 'pro' } });
await fold.sessions.messages.add(session.id, { role: 'user', content: 'Hello' });
const read = await fold.sessions.get(session.id);
assert.equal(read.messages.length, 1);
assert.equal((await fold.sessions.close(session.id)).status, 'closed');

// Prism is in the path: a request that breaks the spec never reaches the server.
const invalid = await fetch(`${baseURL}/sessions`, {
  method: 'POST',
  headers: { authorization: `Bearer ${process.env.FOLD_API_KEY}`, 'content-type': 'application/json' },
  body: JSON.stringify({ ttl_seconds: 0 }),
});
assert.equal(invalid.status, 422);
assert.match(invalid.headers.get('content-type') ?? '', /problem\+json/);
console.log('contract check passed');
