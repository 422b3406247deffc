import type { SessionsData } from '../../src/control/index.js';
import type { SessionDocument } from './types.js';
import { h } from './dom.js';
import { countdown, effectiveStatus, otherFields, plural, time } from './format.js';
import { jsonTree } from './json-tree.js';

type Message = SessionDocument['messages'][number];

function turn(message: Message, index: number): HTMLElement {
  const tool = message.tool_name !== null || message.tool_call_id !== null;
  return h(
    'li',
    { class: `turn role-${message.role}${tool ? ' tool-call' : ''}`, 'data-message': message.id },
    h(
      'div',
      { class: 'turn-head' },
      h('span', { class: 'role' }, message.role === 'user' ? 'User' : 'Assistant'),
      tool ? h('span', { class: 'tool' }, 'tool ', h('code', {}, message.tool_name ?? '—'), ' · call ', h('code', {}, message.tool_call_id ?? '—')) : null,
      h('span', { class: 'turn-meta' }, `#${index + 1} · ${time(message.created_at)}`),
    ),
    h('p', { class: 'content' }, message.content),
  );
}

function lifecycle(doc: SessionDocument, now: number): HTMLElement {
  const { session } = doc;
  const status = effectiveStatus(session, now);
  const events: Array<string | HTMLElement> = [`created ${time(session.created_at)}`];
  if (session.closed_at !== null) events.push(`closed ${time(session.closed_at)}`);
  if (session.completed_at !== null) events.push(`completed ${time(session.completed_at)}`);
  if (status === 'expired') events.push(`expired ${time(session.expires_at)}`);
  // A closed or completed session never expires: its `expires_at` no longer means anything.
  if (session.closed_at === null && session.completed_at === null) events.push(`expires_at ${time(session.expires_at)}`);
  const left = status === 'active' ? h('span', { class: 'countdown', 'data-expires': session.expires_at }, countdown(session.expires_at, now)) : null;
  return h('p', { class: 'lifecycle' }, h('span', { class: `badge status-${status}` }, status), ' ', events.join(' → '), left ? ' (' : '', left, left ? ')' : '');
}

function summary(doc: SessionDocument, memory: SessionsData['memory']): HTMLElement {
  const entry = memory.find((item) => item.metadata.session_id === doc.session.id);
  const state = doc.session.summary_status;
  return h(
    'section',
    { class: 'summary', 'aria-labelledby': 'summary-heading' },
    h('h3', { id: 'summary-heading' }, 'Summary ', h('span', { class: `badge summary-${state}` }, state)),
    entry
      ? h('div', {}, h('p', { class: 'summary-text' }, entry.text), h('p', { class: 'hint' }, `Memory entry ${entry.id} in ${entry.namespace} (${plural(entry.metadata.message_count, 'message')})`))
      : h('p', { class: 'hint' }, state === 'none' ? 'Written to memory when the session is closed.' : state === 'pending' ? 'Being written…' : state === 'failed' ? 'The summarizer failed.' : 'No memory entry.'),
  );
}

/** One session: lifecycle, the conversation as a transcript, the context tree, its other fields and the summary. */
export function sessionDetail(doc: SessionDocument, memory: SessionsData['memory'], now: number): HTMLElement {
  return h(
    'article',
    { class: 'session', 'data-session': doc.session.id },
    h('h2', {}, doc.session.name),
    h('p', { class: 'hint' }, h('code', {}, doc.session.id), ` · ${doc.org_id} · TTL ${doc.session.ttl_seconds} s`),
    lifecycle(doc, now),
    h('h3', {}, `Conversation (${doc.messages.length})`),
    doc.messages.length === 0 ? h('p', { class: 'hint' }, 'No messages yet.') : h('ol', { class: 'transcript' }, ...doc.messages.map(turn)),
    h('h3', {}, 'Context'),
    h('div', { class: 'json-tree' }, jsonTree(doc.session.context)),
    h('h3', {}, 'Fields'),
    h('div', { class: 'json-tree session-fields' }, jsonTree(otherFields(doc.session), 'session')),
    summary(doc, memory),
  );
}
