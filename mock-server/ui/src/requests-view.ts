import type { RecordedRequest, RequestFilter, Stub } from '../../src/control/index.js';
import { operationIds } from '../../src/spec/operation-ids.gen.js';
import { h, keepFocus, replace } from './dom.js';
import { clockTime, headerLines, pretty, time } from './format.js';
import { requestLimit, type LiveData } from './live.js';

/** The columns of the list; the wide-only ones are left out on a narrow screen. */
const columns: Array<[name: string, wideOnly: boolean]> = [
  ['#', true],
  ['Request', false],
  ['Status', false],
  ['Flags', false],
  ['Operation', false],
  ['Stub', true],
  ['Time', true],
  ['Duration', true],
];

/** What is special about an exchange: a fault, an override, a replay, a dropped connection. */
function flags(request: RecordedRequest): string[] {
  const found: string[] = [];
  if (request.injected) found.push(request.injected);
  if (request.replayed) found.push('replay');
  if (request.network_error) found.push('network error');
  return found;
}

function statusClass(status: number | null): string {
  if (status === null) return 'status-none';
  return status >= 500 ? 'status-5xx' : status >= 400 ? 'status-4xx' : 'status-2xx';
}

/** A path that wraps only after a `/`, never inside a session id. */
function pathText(path: string): Array<string | HTMLElement> {
  return path.split(/(?<=\/)/).flatMap((segment, i) => (i === 0 ? [segment] : [h('wbr'), segment]));
}

/** What a stub does, in a few words. */
function effect(stub: Stub): string {
  if (stub.kind === 'delay') return `${stub.ms} ms`;
  if (stub.status !== null) return String(stub.status);
  return stub.kind === 'fault' ? 'network error' : 'function';
}

/** The faults, delays and overrides in force, in the order they are tried. */
function stubTable(stubs: Stub[]): HTMLElement {
  if (stubs.length === 0) return h('p', { class: 'hint' }, 'No stubs: every request reaches the API.');
  return h(
    'table',
    { class: 'stubs' },
    h('thead', {}, h('tr', {}, ...['Stub', 'Kind', 'Operation', 'Answer', 'Match', 'Priority', 'Left'].map((name) => h('th', { scope: 'col' }, name)))),
    h(
      'tbody',
      {},
      ...stubs.map((stub) =>
        h(
          'tr',
          { 'data-stub': stub.id },
          h('td', {}, stub.name ?? stub.id),
          h('td', {}, stub.kind),
          h('td', {}, stub.operation_id),
          h('td', {}, effect(stub)),
          h('td', {}, stub.match ? h('code', {}, JSON.stringify(stub.match)) : 'every call'),
          h('td', { class: 'number' }, stub.priority),
          h('td', { class: 'number' }, stub.remaining ?? '∞'),
        ),
      ),
    ),
  );
}

function block(title: string, text: string): HTMLElement {
  return h('div', { class: 'block' }, h('h4', {}, title), h('pre', { tabindex: 0 }, text));
}

function exchange(request: RecordedRequest, openSession: (id: string) => void): HTMLElement {
  const headers = request.request_headers;
  const key = headers['idempotency-key'];
  // What the SDK says about itself (X-Fold-Retry-Count and X-Fold-Timeout in the spec): which client, which attempt.
  const retry = headers['x-fold-retry-count'];
  const attempt = retry === undefined ? '(not sent)' : `${Number(retry) + 1}${retry === '0' ? ' (first)' : ` (retry ${retry})`}${headers['x-fold-timeout'] ? `, timeout ${headers['x-fold-timeout']} s` : ''}`;
  const facts: Array<[string, Node | string]> = [
    ['Request id', h('code', {}, request.request_id)],
    ['Operation', request.operation_id ?? 'unknown route'],
    ['Status', request.status === null ? 'no answer (connection dropped)' : String(request.status)],
    ['Started', time(request.started_at)],
    ['Duration', `${request.duration_ms.toFixed(1)} ms`],
    ['Fault', request.injected === 'fault' ? 'yes, injected' : 'no'],
    ['Override', request.injected === 'override' ? 'yes' : 'no'],
    ['Stub', request.stub ?? '(none)'],
    ['Idempotent replay', request.replayed ? 'yes' : 'no'],
    ['Idempotency key', key ? h('code', { class: 'idempotency-key' }, key) : '(none)'],
    ['Client', headers['user-agent'] ? h('code', { class: 'user-agent' }, headers['user-agent']) : '(none)'],
    ['Attempt', attempt],
  ];
  if (request.network_error) facts.push(['Network error', 'yes, the connection was dropped']);
  if (request.session_id) facts.push(['Session', h('button', { class: 'link', onclick: () => openSession(request.session_id!) }, request.session_id)]);
  return h(
    'article',
    { class: 'exchange', 'data-request': request.id },
    h('h2', {}, `${request.method} `, ...pathText(request.path)),
    h('dl', { class: 'facts' }, ...facts.flatMap(([name, value]) => [h('dt', {}, name), h('dd', {}, value)])),
    block('Request headers', headerLines(request.request_headers)),
    block('Request body', pretty(request.request_body)),
    block('Response headers', headerLines(request.response_headers)),
    block('Response body', pretty(request.response_body)),
  );
}

/** The journal, newest first, filterable by operation, status and session; one exchange in full beside. */
export function requestsView(setFilter: (filter: RequestFilter) => void, openSession: (id: string) => void) {
  let selected: number | undefined;
  let last: RecordedRequest[] = [];
  let shown = '';

  const operation = h('select', { id: 'request-operation', onchange: changed }, h('option', { value: '' }, 'All operations'), ...[...operationIds, 'unknown'].map((name) => h('option', { value: name }, name)));
  const status = h('input', { id: 'request-status', type: 'number', min: 100, max: 599, inputmode: 'numeric', placeholder: 'any', onchange: changed });
  const session = h('input', { id: 'request-session', type: 'text', placeholder: 'sess_…', spellcheck: 'false', oninput: changed });
  const problem = h('p', { class: 'error', role: 'alert' });
  const note = h('p', { class: 'counts', 'aria-live': 'polite' });
  const list = h('div', { class: 'table-wrap' });
  const stubList = h('div', { class: 'table-wrap' });
  let stubsShown = '';
  const detail = h('section', { class: 'detail', 'aria-label': 'Request' }, h('p', { class: 'hint' }, 'Select a request to see its headers and bodies.'));
  const element = h(
    'div',
    { class: 'split' },
    h(
      'section',
      { class: 'listing', 'aria-labelledby': 'requests-heading' },
      h('h2', { id: 'requests-heading' }, 'Requests'),
      h('div', { class: 'filters' }, h('label', { for: 'request-operation' }, 'Operation'), operation, h('label', { for: 'request-status' }, 'Status'), status, h('label', { for: 'request-session' }, 'Session'), session),
      problem,
      note,
      list,
      h('h3', { id: 'stubs-heading' }, 'Active stubs'),
      stubList,
    ),
    detail,
  );

  function changed(): void {
    const filter: RequestFilter = {};
    const code = status.value.trim();
    problem.textContent = '';
    if (code !== '' && !/^[1-5]\d\d$/.test(code)) {
      problem.textContent = 'Status must be a number from 100 to 599.';
      return;
    }
    if (operation.value) filter.operationId = operation.value;
    if (code) filter.status = Number(code);
    if (session.value.trim()) filter.sessionId = session.value.trim();
    setFilter(filter);
  }

  function row(request: RecordedRequest): HTMLElement {
    const isSelected = request.id === selected;
    return h(
      'tr',
      { class: isSelected ? 'selected' : '', 'data-request': request.id },
      h('td', { class: 'number wide-only' }, request.id),
      h('td', { class: 'path' }, h('button', { class: 'link', 'data-focus': `request:${request.id}`, 'aria-current': isSelected ? 'true' : null, onclick: () => ((selected = request.id), render(true)) }, `${request.method} `, ...pathText(request.path))),
      h('td', { class: 'status-cell' }, h('span', { class: `badge ${statusClass(request.status)}` }, request.status ?? '—')),
      h('td', {}, ...flags(request).map((flag) => h('span', { class: `badge flag-${flag.replace(' ', '-')}` }, flag))),
      h('td', { class: 'operation-cell' }, request.operation_id ?? 'unknown'),
      h('td', { class: 'stub-cell wide-only' }, request.stub ?? ''),
      h('td', { class: 'nowrap wide-only', title: time(request.started_at) }, clockTime(request.started_at)),
      h('td', { class: 'number wide-only' }, `${request.duration_ms.toFixed(1)} ms`),
    );
  }

  function render(force = false): void {
    const signature = JSON.stringify([last.map((request) => request.id), selected]);
    if (!force && signature === shown) return;
    shown = signature;
    note.textContent = last.length === 0 ? 'No requests recorded yet.' : `${last.length} request${last.length === 1 ? '' : 's'}${last.length >= requestLimit ? ` (the newest ${requestLimit})` : ''}, newest first.`;
    const newest = [...last].reverse();
    keepFocus(element, () => {
      replace(
        list,
        newest.length === 0
          ? null
          : h(
              'table',
              {},
              h('thead', {}, h('tr', {}, ...columns.map(([name, wide]) => h('th', { scope: 'col', class: wide ? 'wide-only' : null }, name)))),
              h('tbody', {}, ...newest.map(row)),
            ),
      );
      const chosen = last.find((request) => request.id === selected);
      if (chosen) replace(detail, exchange(chosen, openSession));
      else if (selected !== undefined) replace(detail, h('p', { class: 'hint' }, 'This request is no longer in the list (filtered out, cleared, or dropped from the journal).'));
    });
  }

  return {
    element,
    update(live: LiveData) {
      last = live.requests;
      render();
      const stubs = JSON.stringify(live.stubs);
      if (stubs !== stubsShown) {
        stubsShown = stubs;
        replace(stubList, stubTable(live.stubs));
      }
    },
  };
}
