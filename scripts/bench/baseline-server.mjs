// The benchmark's baseline: a bare Express 5 app that answers the benchmarked routes with
// pre-built bodies of the same size as the reference server's. Usage:
//   node scripts/bench/baseline-server.mjs <port> <bodies.json>
// where bodies.json maps "METHOD /route" to { status, body }.
import { readFileSync } from 'node:fs';
import express from 'express';

const [port, bodiesFile] = process.argv.slice(2);
const bodies = JSON.parse(readFileSync(bodiesFile, 'utf8'));
const app = express();
app.use(express.json({ limit: '1mb' }));

const routes = {
  'GET /sessions/:id': (router, send) => router.get('/sessions/:id', send),
  'POST /sessions/:id/messages': (router, send) => router.post('/sessions/:id/messages', send),
  'POST /sessions': (router, send) => router.post('/sessions', send),
  'GET /sessions': (router, send) => router.get('/sessions', send),
};
for (const [route, mount] of Object.entries(routes)) {
  const prebuilt = bodies[route];
  if (!prebuilt) throw new Error(`no body for ${route} in ${bodiesFile}`);
  mount(app, (_req, res) => {
    res.status(prebuilt.status).type('application/json').send(prebuilt.body);
  });
}
const server = app.listen(Number(port), '127.0.0.1', () => console.log(`baseline listening on ${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
