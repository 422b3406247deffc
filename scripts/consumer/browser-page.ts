// The page the consumer checks load in headless Chromium, bundled there against the installed
// tarballs; type-checked here by `npm run typecheck`.
import { setupWorker } from 'msw/browser';
import { createSessionsHandlers } from 'fold-sessions-mock/msw';
import { ConflictError, FoldSessions } from 'fold-sessions';

const { handlers, controller } = createSessionsHandlers();
const worker = setupWorker(...handlers);

async function run() {
  await worker.start({ onUnhandledFrame: 'error', quiet: true });
  const fold = new FoldSessions({ apiKey: 'test' });
  const session = await fold.sessions.create({ name: 'In the browser', ttl_seconds: 60 });
  await fold.sessions.messages.add(session.id, { role: 'user', content: 'hello from a Service Worker' });
  const read = await fold.sessions.get(session.id);
  await controller.clock.advance(61_000);
  const late = await fold.sessions.messages.add(session.id, { role: 'user', content: 'late' }).catch((error: unknown) => error);
  return {
    status: session.status,
    messages: read.messages.map((m) => m.content),
    expired: late instanceof ConflictError,
    stored: (await controller.snapshot()).sessions.length,
    controlled: navigator.serviceWorker.controller !== null,
  };
}

declare global {
  interface Window {
    run: typeof run;
  }
}
window.run = run;
