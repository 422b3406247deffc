// The benchmark's baseline: a bare Express 5 app doing the reference server's work in memory and
// nothing more: each organisation's sessions in a Map with their messages, every answer built and
// serialised per request; no validation, no keys checked, no limits, no durability. Its records are
// copies of the reference server's own answers (`templates.json`: a created session and an appended
// message) with fresh ids, names and times, so its bodies have the same shape and size. Usage:
//   node scripts/bench/baseline-server.mjs <port> <templates.json>
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import express from 'express';

const [port, templatesFile] = process.argv.slice(2);
const templates = JSON.parse(readFileSync(templatesFile, 'utf8'));
if (!templates.session || !templates.message) throw new Error(`${templatesFile} needs a session and a message`);

const newId = (prefix) => `${prefix}${randomBytes(15).toString('base64url')}`;
/** Sessions by organisation, told apart by their Authorization header alone. */
const organisations = new Map();
function organisation(req) {
  let found = organisations.get(req.headers.authorization);
  if (!found) organisations.set(req.headers.authorization, (found = { byId: new Map(), newestLast: [] }));
  return found;
}
const present = ({ session, messages }) => ({ ...session, message_count: messages.length });

const app = express();
app.use(express.json({ limit: '1mb' }));
app.post('/sessions', (req, res) => {
  const now = Date.now();
  const { name, ttl_seconds } = req.body;
  const record = { session: { ...templates.session, id: newId('sess_'), name, ttl_seconds, expires_at: now + ttl_seconds * 1000, created_at: now, updated_at: now }, messages: [] };
  const org = organisation(req);
  org.byId.set(record.session.id, record);
  org.newestLast.push(record);
  res.status(201).json(present(record));
});
app.get('/sessions', (req, res) => {
  const { newestLast } = organisation(req);
  const limit = Number(req.query.limit ?? 20);
  const page = newestLast.slice(-limit).reverse();
  res.json({ sessions: page.map(present), count: page.length, has_more: newestLast.length > limit, next_cursor: null });
});
app.get('/sessions/:id', (req, res) => {
  const record = organisation(req).byId.get(req.params.id);
  if (!record) return res.status(404).json({ error: { code: 'not_found' } });
  res.json({ ...present(record), messages: record.messages });
});
app.post('/sessions/:id/messages', (req, res) => {
  const record = organisation(req).byId.get(req.params.id);
  if (!record) return res.status(404).json({ error: { code: 'not_found' } });
  const now = Date.now();
  const message = { ...templates.message, id: newId('msg_'), role: req.body.role, content: req.body.content, created_at: now };
  record.messages.push(message);
  record.session.updated_at = now;
  res.status(201).json(message);
});
const server = app.listen(Number(port), '127.0.0.1', () => console.log(`baseline listening on ${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
