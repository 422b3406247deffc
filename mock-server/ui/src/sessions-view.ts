import type { SessionDocument } from './types.js';
import { h, keepFocus, replace } from './dom.js';
import { countdown, effectiveStatus, type Status } from './format.js';
import type { LiveData } from './live.js';
import { sessionDetail } from './session-view.js';

const statuses: Status[] = ['active', 'closed', 'completed', 'expired'];

function counts(docs: SessionDocument[], now: number): string {
  const tally = new Map<Status, number>(statuses.map((status) => [status, 0]));
  for (const doc of docs) tally.set(effectiveStatus(doc.session, now), tally.get(effectiveStatus(doc.session, now))! + 1);
  return statuses.map((status) => `${tally.get(status)} ${status}`).join(' · ');
}

/** A session's `expires_at` as a countdown; the clock ticks it every second. */
export function expiryCell(doc: SessionDocument, now: number): HTMLElement {
  const live = doc.session.status === 'active';
  return h('span', { class: 'countdown', 'data-expires': live ? doc.session.expires_at : null, title: new Date(doc.session.expires_at).toISOString() }, live ? countdown(doc.session.expires_at, now) : '—');
}

/**
 * Organisations and their sessions, newest first, filterable by status, with live counts; a
 * selected session opens in the panel beside (below, on a narrow screen).
 */
export function sessionsView(now: () => number) {
  let selected: string | undefined;
  let filter: Status | 'all' = 'all';
  let last: LiveData | undefined;
  let shown = '';
  let shownDetail = '';

  const select = h('select', { id: 'status-filter', onchange: () => ((filter = select.value as Status | 'all'), render(true)) }, h('option', { value: 'all' }, 'All statuses'), ...statuses.map((status) => h('option', { value: status }, status)));
  const total = h('p', { class: 'counts', 'aria-live': 'polite' });
  const list = h('div', { class: 'session-list' });
  const hint = 'Select a session to see its conversation, context and summary.';
  const detail = h('section', { class: 'detail', 'aria-label': 'Session' }, h('p', { class: 'hint' }, hint));
  const element = h(
    'div',
    { class: 'split' },
    h('section', { class: 'listing', 'aria-labelledby': 'sessions-heading' }, h('h2', { id: 'sessions-heading' }, 'Sessions'), h('div', { class: 'filters' }, h('label', { for: 'status-filter' }, 'Status'), select), total, list),
    detail,
  );

  function row(doc: SessionDocument, at: number): HTMLElement {
    const status = effectiveStatus(doc.session, at);
    const isSelected = doc.session.id === selected;
    return h(
      'tr',
      { class: isSelected ? 'selected' : '', 'data-session': doc.session.id },
      h('td', {}, h('button', { class: 'link', 'data-focus': `session:${doc.session.id}`, 'aria-current': isSelected ? 'true' : null, onclick: () => ((selected = doc.session.id), render(true)) }, doc.session.name)),
      h('td', {}, h('span', { class: `badge status-${status}` }, status)),
      h('td', { class: 'number' }, doc.messages.length),
      h('td', {}, expiryCell(doc, at)),
      h('td', {}, h('span', { class: `badge summary-${doc.session.summary_status}` }, doc.session.summary_status)),
    );
  }

  function render(force = false): void {
    if (!last) return;
    const at = now();
    const docs = last.data.sessions;
    // Statuses turn expired with time alone, so they are part of what decides a re-render.
    const signature = JSON.stringify([last.data, filter, selected, docs.map((doc) => effectiveStatus(doc.session, at))]);
    if (!force && signature === shown) return;
    shown = signature;
    total.textContent = docs.length === 0 ? 'No sessions yet.' : `${docs.length} session${docs.length === 1 ? '' : 's'}: ${counts(docs, at)}`;
    keepFocus(element, () => {
      renderList(at, docs);
      renderDetail(at, docs);
    });
  }

  function renderList(at: number, docs: SessionDocument[]): void {
    const orgs = [...new Set(docs.map((doc) => doc.org_id))].sort();
    replace(
      list,
      ...orgs.map((org) => {
        const mine = docs.filter((doc) => doc.org_id === org);
        const visible = mine.filter((doc) => filter === 'all' || effectiveStatus(doc.session, at) === filter).sort((a, b) => b.session.created_at - a.session.created_at);
        return h(
          'section',
          { class: 'org', 'aria-label': `Organisation ${org}` },
          h('h3', {}, org, ' ', h('span', { class: 'org-counts' }, counts(mine, at))),
          visible.length === 0
            ? h('p', { class: 'hint' }, `No ${filter} sessions.`)
            : h(
                'div',
                { class: 'table-wrap' },
                h(
                  'table',
                  {},
                  h('thead', {}, h('tr', {}, ...['Name', 'Status', 'Messages', 'Expires', 'Summary'].map((name) => h('th', { scope: 'col' }, name)))),
                  h('tbody', {}, ...visible.map((doc) => row(doc, at))),
                ),
              ),
        );
      }),
    );
  }

  function renderDetail(at: number, docs: SessionDocument[]): void {
    const chosen = docs.find((doc) => doc.session.id === selected);
    const memory = last!.data.memory.filter((entry) => entry.metadata.session_id === selected);
    const detailSignature = JSON.stringify([chosen, memory, chosen && effectiveStatus(chosen.session, at)]);
    // The detail is rebuilt only when its session changed, so that opened tree nodes stay open.
    if (detailSignature === shownDetail) return;
    shownDetail = detailSignature;
    replace(detail, chosen ? sessionDetail(chosen, memory, at) : h('p', { class: 'hint' }, selected ? 'This session is gone (deleted, or the server was reset).' : hint));
  }

  return {
    element,
    update(live: LiveData) {
      last = live;
      render();
    },
    /** Moves the countdowns and the computed statuses on without a read. */
    tick: () => render(),
    /** Opens a session, e.g. from the requests view. */
    open(id: string) {
      selected = id;
      render(true);
    },
  };
}
