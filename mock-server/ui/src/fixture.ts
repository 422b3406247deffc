import type { SessionsData } from '../../src/control/index.js';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function id(prefix: string): string {
  return prefix + Array.from(crypto.getRandomValues(new Uint8Array(20)), (byte) => alphabet[byte % alphabet.length]).join('');
}

/**
 * An example conversation for the seed button: an active support chat with a tool call and a
 * context, laid out so that it is a minute old at `now` (the server's clock).
 */
export function exampleFixture(orgId: string, now: number): SessionsData {
  const createdAt = now - 60_000;
  const turns: Array<[role: 'user' | 'assistant', content: string, tool?: [name: string, callId: string]]> = [
    ['user', 'What is my current usage this month?'],
    ['assistant', 'Usage for March: 1,240 of 5,000 requests.', ['get_usage', 'call_usage_1']],
    ['user', 'Can I move to the yearly plan?'],
    ['assistant', 'Yes: the yearly plan is 10 months at the monthly price. Shall I switch you?'],
  ];
  return {
    sessions: [
      {
        org_id: orgId,
        session: {
          id: id('sess_'),
          name: 'Example support chat',
          status: 'active',
          ttl_seconds: 3600,
          expires_at: createdAt + 3_600_000,
          context: { customer: { plan: 'pro', locale: 'en-GB' }, open_tickets: [4211] },
          created_at: createdAt,
          updated_at: createdAt + 10_000 * turns.length,
          closed_at: null,
          completed_at: null,
          summary_status: 'none',
        },
        messages: turns.map(([role, content, tool], i) => ({
          id: id('msg_'),
          role,
          content,
          tool_name: tool?.[0] ?? null,
          tool_call_id: tool?.[1] ?? null,
          created_at: createdAt + 10_000 * (i + 1),
        })),
      },
    ],
    memory: [],
  };
}
