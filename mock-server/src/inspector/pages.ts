/**
 * The HTML shells of the inspector, the API reference and the index page. They hold no data:
 * the inspector reads everything through the control API, with the token from the URL fragment.
 */

const head = (title: string, extra = '') =>
  '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
  '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
  `<title>${title}</title>\n<link rel="icon" href="data:,">\n${extra}</head>\n`;

/** `GET /` while the control API is on: the Sessions API has no route there. */
export const indexPage =
  head('fold-sessions-mock', '<link rel="stylesheet" href="/__fold/ui/inspector.css">\n') +
  '<body class="index">\n<main>\n<h1>fold-sessions-mock</h1>\n' +
  '<p>The reference server of the Sessions API is running here. Its routes are under <code>/sessions</code> and <code>/vectors/query</code>.</p>\n' +
  '<ul>\n<li><a href="/__fold/ui">Inspector</a>: sessions, transcripts, the request journal and controls. ' +
  'Open the link the server printed at start-up: it carries the control token.</li>\n' +
  '<li><a href="/__fold/docs">API reference</a>: every operation of <code>openapi/sessions.yaml</code>, with “try it” against this server.</li>\n' +
  '</ul>\n</main>\n</body>\n</html>\n';

/** `GET /__fold/ui`. */
export const inspectorPage =
  head('fold-sessions inspector', '<link rel="stylesheet" href="/__fold/ui/inspector.css">\n<script type="module" src="/__fold/ui/inspector.js"></script>\n') +
  '<body>\n<div id="app"><p class="loading">Loading the inspector…</p></div>\n' +
  '<noscript><p>The inspector needs JavaScript.</p></noscript>\n</body>\n</html>\n';

/** `GET /__fold/docs`. */
export const docsPage =
  head(
    'Sessions API reference',
    '<link rel="stylesheet" href="/__fold/docs/swagger-ui.css">\n' +
      '<link rel="stylesheet" href="/__fold/docs/docs.css">\n' +
      '<script src="/__fold/docs/swagger-ui-bundle.js" defer></script>\n<script type="module" src="/__fold/docs/docs.js"></script>\n',
  ) +
  '<body class="docs">\n<header class="docs-bar"><a href="/__fold/ui">Inspector</a> · <span>API reference</span></header>\n' +
  '<div id="reference"><p class="loading">Loading the API reference…</p></div>\n</body>\n</html>\n';
