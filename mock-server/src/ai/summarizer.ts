import type { Message } from '../core/types.js';
import type { Summarizer } from '../core/summarizer.js';
import { checkModelOptions, ModelServerError, postJson, type OpenAICompatibleOptions } from './openai-compatible.js';

export interface OpenAISummarizerOptions extends OpenAICompatibleOptions {
  /** Most characters of transcript sent; the first message and the latest ones that fit are kept. @default 12000 */
  maxTranscriptChars?: number;
  /** The instruction given to the model. */
  instructions?: string;
}

const defaultInstructions =
  'You summarise a conversation between a user and an AI assistant for a long-term memory store. ' +
  'Write a short factual summary (at most 5 sentences): what the user wanted, what was found or done, and what is still open. ' +
  'Do not invent facts that are not in the conversation.';

function line(message: Message): string {
  const tool = message.tool_name ? ` (tool ${message.tool_name}${message.tool_call_id ? `, call ${message.tool_call_id}` : ''})` : '';
  return `${message.role}${tool}: ${message.content}`;
}

/**
 * The transcript as text within `budget` characters: the first message (what the conversation
 * was about) and then the latest messages that fit, with a note of how many were left out.
 */
export function trimTranscript(messages: Message[], budget: number): string {
  const lines = messages.map(line);
  if (lines.join('\n').length <= budget) return lines.join('\n');
  const first = lines[0]!.slice(0, Math.floor(budget / 2));
  const kept: string[] = [];
  let used = first.length + 40;
  for (let i = lines.length - 1; i >= 1; i--) {
    if (used + lines[i]!.length + 1 > budget) break;
    kept.unshift(lines[i]!);
    used += lines[i]!.length + 1;
  }
  const omitted = lines.length - 1 - kept.length;
  return [first, `[${omitted} message${omitted === 1 ? '' : 's'} left out]`, ...kept].join('\n');
}

/**
 * A summarizer backed by any OpenAI-compatible chat endpoint. A failure (after its retries)
 * rejects, which marks the session's `summary_status` as `failed`.
 *
 * @example
 * createSessionsApi({ summarizer: openAISummarizer({ baseURL: 'http://127.0.0.1:11434/v1', model: 'llama3.2' }) });
 */
export function openAISummarizer(options: OpenAISummarizerOptions): Summarizer {
  checkModelOptions(options, 'openAISummarizer()');
  const budget = options.maxTranscriptChars ?? 12_000;
  if (!(Number.isSafeInteger(budget) && budget >= 200)) throw new TypeError(`openAISummarizer(): maxTranscriptChars must be a whole number >= 200, got ${budget}`);
  return {
    async summarize({ session, messages }) {
      const answer = (await postJson(options, '/chat/completions', {
        model: options.model,
        temperature: 0,
        messages: [
          { role: 'system', content: options.instructions ?? defaultInstructions },
          { role: 'user', content: `Conversation "${session.name}" (${messages.length} messages):\n\n${trimTranscript(messages, budget)}` },
        ],
      })) as { choices?: Array<{ message?: { content?: unknown } }> };
      const text = answer?.choices?.[0]?.message?.content;
      if (typeof text !== 'string' || text.trim() === '') {
        throw new ModelServerError(`The chat answer has no text in choices[0].message.content: ${JSON.stringify(answer).slice(0, 200)}`, 200);
      }
      return text.trim();
    },
  };
}
