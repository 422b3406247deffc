import type { SessionWithMessages } from 'fold-sessions';

const time = (epochMs: number | null): string => (epochMs === null ? 'never' : new Date(epochMs).toISOString());

/** A session as a person or a model reads it: what it is, its context, then every turn. */
export function renderTranscript(session: SessionWithMessages): string {
  const lines = [
    `# ${session.name}`,
    '',
    `- id: ${session.id}`,
    `- status: ${session.status}`,
    `- messages: ${session.message_count}`,
    `- created: ${time(session.created_at)}`,
    `- expires: ${time(session.expires_at)}`,
  ];
  if (session.closed_at !== null) lines.push(`- closed: ${time(session.closed_at)} (summary: ${session.summary_status})`);
  if (session.completed_at !== null) lines.push(`- completed: ${time(session.completed_at)}`);
  lines.push('', '## Context', '', '```json', JSON.stringify(session.context, null, 2), '```', '', '## Transcript', '');
  if (session.messages.length === 0) lines.push('(no messages)');
  for (const message of session.messages) {
    const tool = [message.tool_name && `tool ${message.tool_name}`, message.tool_call_id && `call ${message.tool_call_id}`].filter(Boolean).join(', ');
    lines.push(`**${message.role}**${tool ? ` (${tool})` : ''}, ${time(message.created_at)}:`, '', message.content, '');
  }
  return lines.join('\n').trimEnd() + '\n';
}
