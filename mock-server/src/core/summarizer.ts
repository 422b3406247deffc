import type { Message, Session } from './types.js';

/** What a summarizer gets: the closed session and every message, oldest first. */
export interface SummaryInput {
  session: Session;
  messages: Message[];
}

/**
 * Turns a closed session into the text stored in memory. The real service uses a model; plug in
 * your own here. A throw (or a rejected promise) marks the session's summary `failed`.
 *
 * @example
 * const summarizer: Summarizer = { summarize: ({ session }) => `Session ${session.name}` };
 */
export interface Summarizer {
  summarize(input: SummaryInput): string | Promise<string>;
}

const excerptLength = 200;

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= excerptLength ? flat : `${flat.slice(0, excerptLength - 1)}…`;
}

/**
 * The default: deterministic, no network. Name, counts by role, the first user message and the
 * last assistant message, each trimmed to 200 characters.
 */
export const defaultSummarizer: Summarizer = {
  summarize({ session, messages }) {
    const users = messages.filter((message) => message.role === 'user');
    const assistants = messages.filter((message) => message.role === 'assistant');
    const parts = [`Session "${session.name}": ${users.length} user and ${assistants.length} assistant messages.`];
    const firstUser = users[0];
    const lastAssistant = assistants.at(-1);
    if (firstUser) parts.push(`First user message: ${excerpt(firstUser.content)}`);
    if (lastAssistant) parts.push(`Last assistant message: ${excerpt(lastAssistant.content)}`);
    return parts.join(' ');
  },
};
