import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, createConfig } from '../../sdk/src/generated/client/index.js';
import { createSession } from '../../sdk/src/generated/sdk.gen.js';
import { zSession } from 'fold-sessions/zod';
import { sessionBody } from './support/stub-server.js';

interface Seen {
  method?: string;
  url?: string;
  authorization?: string;
  contentType?: string;
  body: string;
}

const seen: Seen[] = [];
const session = sessionBody();

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
}

const stub = createServer(async (req, res) => {
  seen.push({
    method: req.method,
    url: req.url,
    authorization: req.headers.authorization,
    contentType: req.headers['content-type'],
    body: await readBody(req),
  });
  res.writeHead(201, { 'content-type': 'application/json', 'x-request-id': 'req_stub' });
  res.end(JSON.stringify(session));
});

let baseUrl = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => stub.close(() => resolve())));

describe('the generated client', () => {
  it('makes a real call with bearer auth and a JSON body', async () => {
    const client = createClient(createConfig({ baseUrl, auth: () => 'key_123' }));
    const result = await createSession({ client, body: { name: 'stub', ttl_seconds: 60 } });

    expect(result.response?.status).toBe(201);
    expect(zSession.parse(result.data)).toEqual(session);
    expect(seen.at(-1)).toEqual({
      method: 'POST',
      url: '/sessions',
      authorization: 'Bearer key_123',
      contentType: 'application/json',
      body: JSON.stringify({ name: 'stub', ttl_seconds: 60 }),
    });
  });
});
