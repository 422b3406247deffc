import type { OperationTarget, SessionsController } from '../../src/control/index.js';
import { operationIds } from '../../src/spec/operation-ids.gen.js';
import { confirmAction } from './confirm.js';
import { h } from './dom.js';
import { exampleFixture } from './fixture.js';
import { time } from './format.js';
import type { Live, LiveData } from './live.js';

const failures = ['503', '500', '429', '409', '404', '400', 'network'] as const;

function field(id: string, label: string, control: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

/** Clock, injected failures, reset, seed and summaries: each through the control API. */
export function controlsView(control: SessionsController, live: Live) {
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const clockNow = h('span', { class: 'clock-now' }, '…');
  let orgs: string[] = [];

  async function run(done: string, action: () => Promise<unknown>): Promise<void> {
    status.className = 'status';
    status.textContent = 'Working…';
    try {
      await action();
      status.textContent = done;
      await live.refresh();
    } catch (error) {
      status.className = 'status error';
      status.textContent = error instanceof Error ? error.message : String(error);
    }
  }

  const seconds = h('input', { id: 'advance-seconds', type: 'number', min: 1, step: 1, value: 3601, inputmode: 'numeric' });
  const advance = (event: Event) => {
    event.preventDefault();
    const value = Number(seconds.value);
    if (!Number.isSafeInteger(value) || value < 1) {
      status.className = 'status error';
      status.textContent = 'Advance the clock by a whole number of seconds, at least 1.';
      return;
    }
    void run(`Clock advanced by ${value} s.`, () => control.clock.advance(value * 1000));
  };

  const operation = h('select', { id: 'fault-operation' }, ...operationIds.map((name) => h('option', { value: name, selected: name === 'addMessage' }, name)), h('option', { value: 'all' }, 'all operations'));
  const kind = h('select', { id: 'fault-kind' }, ...failures.map((name) => h('option', { value: name }, name === 'network' ? 'dropped connection' : `${name} error`)));
  const times = h('input', { id: 'fault-times', type: 'number', min: 1, step: 1, value: 1, inputmode: 'numeric' });
  const inject = (event: Event) => {
    event.preventDefault();
    const count = Number(times.value);
    if (!Number.isSafeInteger(count) || count < 1) {
      status.className = 'status error';
      status.textContent = 'Fail at least 1 call (a whole number).';
      return;
    }
    const target = operation.value as OperationTarget;
    const failure = kind.value === 'network' ? { networkError: true as const, times: count } : { status: Number(kind.value), times: count };
    void run(`The next ${count === 1 ? 'call' : `${count} calls`} of ${target} will fail (${kind.value === 'network' ? 'dropped connection' : kind.value}).`, () =>
      control.fail(target, failure as Parameters<SessionsController['fail']>[1]),
    );
  };

  const org = h('input', { id: 'seed-org', type: 'text', value: 'org_dev', spellcheck: 'false' });
  const seedText = h('textarea', { id: 'seed-json', rows: 6, spellcheck: 'false', placeholder: '{"sessions": [...], "memory": [...]}' });
  const seedExample = () => {
    const orgId = org.value.trim();
    if (orgId === '') {
      status.className = 'status error';
      status.textContent = 'Give the organisation the example session belongs to.';
      return;
    }
    void run(`Seeded an example session in ${orgId}.`, () => control.seed(exampleFixture(orgId, live.now())));
  };
  const seedJson = () => {
    let data: unknown;
    try {
      data = JSON.parse(seedText.value);
    } catch (error) {
      status.className = 'status error';
      status.textContent = `The seed data is not JSON: ${error instanceof Error ? error.message : String(error)}`;
      return;
    }
    void run('Seeded.', () => control.seed(data as Parameters<SessionsController['seed']>[0]));
  };

  const reset = async () => {
    if (await confirmAction('Reset the server? Every session, memory entry, injected failure and recorded request is dropped, and the clock goes back to where it started.', 'Reset')) {
      await run('The server was reset.', () => control.reset());
    }
  };
  const clearJournal = async () => {
    if (await confirmAction('Forget every recorded request?', 'Clear requests')) await run('The request journal was cleared.', () => control.requests.clear());
  };

  const element = h(
    'div',
    { class: 'controls' },
    h('h2', {}, 'Controls'),
    status,
    h(
      'form',
      { class: 'card', 'aria-labelledby': 'clock-heading', onsubmit: advance },
      h('h3', { id: 'clock-heading' }, 'Clock'),
      h('p', {}, 'Server time: ', clockNow),
      field('advance-seconds', 'Advance by (seconds)', seconds),
      h('button', { type: 'submit' }, 'Advance clock'),
    ),
    h(
      'form',
      { class: 'card', 'aria-labelledby': 'fault-heading', onsubmit: inject },
      h('h3', { id: 'fault-heading' }, 'Inject a failure'),
      field('fault-operation', 'Operation', operation),
      field('fault-kind', 'Failure', kind),
      field('fault-times', 'Calls to fail', times),
      h('button', { type: 'submit' }, 'Inject failure'),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'seed-heading' },
      h('h3', { id: 'seed-heading' }, 'Seed'),
      field('seed-org', 'Organisation', org),
      h('button', { type: 'button', onclick: seedExample }, 'Seed example session'),
      field('seed-json', 'Or seed data (the shape of GET /__fold/snapshot)', seedText),
      h('button', { type: 'button', onclick: seedJson }, 'Seed JSON'),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'state-heading' },
      h('h3', { id: 'state-heading' }, 'State'),
      h('button', { type: 'button', onclick: () => void run('Every background summary has finished.', () => control.summaries.flush()) }, 'Wait for summaries'),
      h('button', { type: 'button', class: 'danger', onclick: () => void clearJournal() }, 'Clear requests…'),
      h('button', { type: 'button', class: 'danger', onclick: () => void reset() }, 'Reset server…'),
    ),
  );

  return {
    element,
    update(data: LiveData) {
      const found = [...new Set(data.data.sessions.map((doc) => doc.org_id))];
      // The first organisation with data is the likeliest target of a seed.
      if (found[0] && orgs.length === 0 && org.value === 'org_dev') org.value = found[0];
      orgs = found;
    },
    tick(now: number) {
      clockNow.textContent = time(now);
    },
  };
}
