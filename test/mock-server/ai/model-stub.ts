import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
}

export interface StubReply {
  status?: number;
  body?: unknown;
  /** Raw text instead of JSON. */
  text?: string;
  headers?: Record<string, string>;
  delayMs?: number;
  /** Answers only once this settles (never, if it never does): the test decides when. */
  hold?: PromiseLike<unknown>;
}

/** A local OpenAI-compatible server whose answers the test decides, recording every request. */
export async function startModelStub(reply: (request: StubRequest, seen: StubRequest[]) => StubReply) {
  const seen: StubRequest[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const request: StubRequest = { path: req.url ?? '', headers: req.headers, body: raw ? JSON.parse(raw) : undefined };
      seen.push(request);
      const answer = reply(request, seen);
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
        res.end(answer.text ?? JSON.stringify(answer.body ?? {}));
      };
      if (answer.hold) void Promise.resolve(answer.hold).then(send, send);
      else if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const chatAnswer = (text: string): StubReply => ({ body: { choices: [{ index: 0, message: { role: 'assistant', content: text } }] } });
