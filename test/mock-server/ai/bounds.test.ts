import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelServerError, openAISummarizer } from 'fold-sessions-mock';

// A model server's answer is read up to a bound, and what it says in an error never carries a key.
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A server that streams `chunks` chunks of 64 KiB and counts how many it managed to write. */
async function endless(options: { status?: number; chunks: number; declare?: boolean; prefix?: string }) {
  const written = { chunks: 0 };
  const server = createServer((req, res) => {
    req.resume();
    const chunk = 'x'.repeat(64 * 1024);
    res.writeHead(options.status ?? 200, {
      'content-type': 'application/json',
      ...(options.declare && { 'content-length': String(options.chunks * chunk.length) }),
    });
    if (options.prefix) res.write(options.prefix);
    const next = () => {
      while (written.chunks < options.chunks) {
        written.chunks++;
        if (!res.write(chunk)) return void res.once('drain', next);
      }
      res.end();
    };
    res.on('close', () => (written.chunks = Math.min(written.chunks, options.chunks)));
    next();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, written };
}

const input = { session: { id: 'sess_aaaaaaaaaaaaaaaa', name: 'x' }, messages: [{ role: 'user', content: 'hello' }] } as never;

describe('the model server client', () => {
  it('stops reading an answer past maxAnswerBytes (default 1 MiB) and fails the summary instead of filling memory', async () => {
    const model = await endless({ chunks: 4_800 }); // 300 MiB if read whole
    const { summarize } = openAISummarizer({ baseURL: model.url, model: 'm', maxRetries: 0 });
    const error = await Promise.resolve(summarize(input)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelServerError);
    expect((error as Error).message).toMatch(/the answer is more than the 1048576 bytes read/);
    expect(model.written.chunks).toBeLessThan(4_800);
  });

  it('refuses a declared Content-Length past the bound without reading it', async () => {
    const model = await endless({ chunks: 32, declare: true });
    const { summarize } = openAISummarizer({ baseURL: model.url, model: 'm', maxRetries: 0, maxAnswerBytes: 64 * 1024 });
    await expect(summarize(input)).rejects.toThrow(/the answer is 2097152 bytes, more than the 65536 read/);
  });

  it('keeps the start of an error body only, without the key or any bearer token in it', async () => {
    const key = 'sk-live-secret-0123456789';
    const model = await endless({ status: 401, chunks: 2, prefix: `{"error":"bad key ${key}, header was Bearer ${key}","other":"Bearer abc.def"}` });
    const { summarize } = openAISummarizer({ baseURL: model.url, model: 'm', apiKey: key, maxRetries: 0 });
    const error = (await Promise.resolve(summarize(input)).catch((caught: unknown) => caught)) as ModelServerError;
    expect(error).toBeInstanceOf(ModelServerError);
    expect(error.status).toBe(401);
    expect(error.message).not.toContain(key);
    expect(error.message).not.toContain('abc.def');
    expect(error.message).toContain('bad key [redacted]');
    expect(error.message.length).toBeLessThan(400);
  });

  it('checks maxAnswerBytes', () => {
    expect(() => openAISummarizer({ baseURL: 'http://127.0.0.1:1/v1', model: 'm', maxAnswerBytes: 0 })).toThrow(/maxAnswerBytes must be a whole number >= 1, got 0/);
  });
});
