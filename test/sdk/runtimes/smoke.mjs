// Run by test/sdk/runtimes.test.ts under Deno and Bun: the built SDK against a live server.
// Arguments: <path to the built SDK's index.js> <base URL> <API key>. Prints one JSON line.
const [sdkPath, baseURL, apiKey] = (globalThis.Deno?.args ?? process.argv.slice(2));
const { FoldSessions, NotFoundError } = await import(sdkPath);

const fold = new FoldSessions({ apiKey, baseURL, maxRetries: 2 });
const session = await fold.sessions.create({ name: 'runtime smoke' });
await fold.sessions.messages.add(session.id, { role: 'user', content: 'hello from a runtime' });
// The server fails the next getSession once with a 503: the SDK retries it.
const read = await fold.sessions.get(session.id);
const missing = await fold.sessions.get('sess_doesnotexist000000').catch((error) => error);
console.log(JSON.stringify({
  status: read.status,
  messages: read.messages.map((message) => message.content),
  notFound: missing instanceof NotFoundError,
  notFoundRequestId: missing.requestId ?? null,
}));
