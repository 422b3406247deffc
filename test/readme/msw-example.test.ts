import { ConflictError, FoldSessions } from 'fold-sessions';
import { createSessionsHandlers } from 'fold-sessions-mock/msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';

const { handlers, controller } = createSessionsHandlers();
const server = setupServer(...handlers);

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => controller.reset());
afterAll(() => server.close());

// Any bearer token works; the SDK talks to https://api.fold.run, which MSW intercepts.
const fold = new FoldSessions({ apiKey: 'test' });

it('survives two 503s in a row thanks to the SDK retries', async () => {
  await controller.fail('addMessage', { status: 503, times: 2, retryAfter: 0 });
  const session = await fold.sessions.create({ name: 'Support chat' });

  await fold.sessions.messages.add(session.id, { role: 'user', content: 'Hello?' });

  const stored = await fold.sessions.get(session.id);
  expect(stored.messages).toHaveLength(1);
});

it('refuses messages once the session has expired', async () => {
  const session = await fold.sessions.create({ name: 'Short chat', ttl_seconds: 60 });
  await controller.clock.advance(61_000);

  await expect(
    fold.sessions.messages.add(session.id, { role: 'user', content: 'Too late' }),
  ).rejects.toBeInstanceOf(ConflictError);
});
