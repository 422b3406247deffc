import './styles.css';
import { connectControl, ControlError } from '../../src/control/index.js';
import { controlsView } from './controls-view.js';
import { h, replace } from './dom.js';
import { startLive, type Live } from './live.js';
import { requestsView } from './requests-view.js';
import { sessionsView } from './sessions-view.js';
import { countdown } from './format.js';
import { forgetToken, readToken, saveToken } from './token.js';

const app = document.getElementById('app')!;

/** Asks for the control token when the URL had none (or the server refused it). */
function askForToken(problem?: string): void {
  const input = h('input', { id: 'token', type: 'password', autocomplete: 'off', required: true });
  const form = h(
    'form',
    {
      class: 'card token-form',
      onsubmit: (event: Event) => {
        event.preventDefault();
        saveToken(input.value.trim());
        start(input.value.trim());
      },
    },
    h('h1', {}, 'fold-sessions inspector'),
    h('p', {}, 'Open the inspector link the server printed at start-up, or give the control token here.'),
    problem ? h('p', { class: 'error', role: 'alert' }, problem) : null,
    h('label', { for: 'token' }, 'Control token'),
    input,
    h('button', { type: 'submit' }, 'Open'),
  );
  replace(app, h('main', {}, form));
  input.focus();
}

type ViewName = 'sessions' | 'requests' | 'controls';

/** Stops the polling and the clock of the inspector that is showing, if any. */
let stopShowing: (() => void) | undefined;

function start(token: string): void {
  stopShowing?.();
  const control = connectControl({ baseURL: location.origin, token });
  const problem = h('p', { class: 'error banner', role: 'alert', hidden: true });
  let live: Live;

  const sessions = sessionsView(() => live.now());
  const requests = requestsView(
    (filter) => live.setRequestFilter(filter),
    (id) => {
      show('sessions');
      sessions.open(id);
    },
  );
  const views = { sessions, requests };
  const tabs = new Map<ViewName, HTMLButtonElement>();
  const main = h('main', { id: 'main', tabindex: -1 });

  let controls: ReturnType<typeof controlsView>;
  function show(name: ViewName): void {
    for (const [tab, button] of tabs) button.setAttribute('aria-current', tab === name ? 'page' : 'false');
    replace(main, name === 'controls' ? controls.element : views[name].element);
  }

  const tab = (name: ViewName, label: string) => {
    const button = h('button', { type: 'button', class: 'tab', 'data-view': name, onclick: () => show(name) }, label);
    tabs.set(name, button);
    return button;
  };
  replace(
    app,
    h('a', { class: 'skip', href: '#main' }, 'Skip to content'),
    h(
      'header',
      { class: 'bar' },
      h('h1', {}, 'fold-sessions inspector'),
      h('nav', { 'aria-label': 'Views' }, tab('sessions', 'Sessions'), tab('requests', 'Requests'), tab('controls', 'Controls'), h('a', { class: 'tab', href: '/__fold/docs' }, 'API reference')),
    ),
    problem,
    main,
  );

  live = startLive(
    control,
    (data) => {
      problem.hidden = true;
      sessions.update(data);
      requests.update(data);
      controls.update(data);
    },
    (error) => {
      if (error instanceof ControlError && error.status === 401) {
        stopShowing?.();
        forgetToken();
        askForToken('The server refused this control token.');
        return;
      }
      problem.hidden = false;
      problem.textContent = `Cannot read the server: ${error instanceof Error ? error.message : String(error)}. Retrying…`;
    },
  );
  controls = controlsView(control, live);
  show('sessions');

  // Countdowns and computed statuses move with the server's clock between reads.
  const ticker = setInterval(() => {
    const now = live.now();
    for (const element of document.querySelectorAll<HTMLElement>('[data-expires]')) element.textContent = countdown(Number(element.dataset.expires), now);
    sessions.tick();
    controls.tick(now);
  }, 1000);
  stopShowing = () => {
    live.stop();
    clearInterval(ticker);
    stopShowing = undefined;
  };
}

const token = readToken();
if (token) start(token);
else askForToken();
