// Starts the API reference: Swagger UI (from the swagger-ui-dist package, served by this server)
// over openapi/sessions.yaml, with "try it" pointed at this server.

import './docs.css';
import { pointAtServer } from './servers.js';

interface SwaggerSystem {
  specActions: { updateSpec(text: string): void };
}

declare const SwaggerUIBundle: ((options: Record<string, unknown>) => SwaggerSystem) & { presets: { apis: unknown } };

async function start(): Promise<void> {
  const target = document.getElementById('reference')!;
  const response = await fetch('/__fold/docs/sessions.yaml');
  if (!response.ok) {
    target.textContent = `The API description could not be read (HTTP ${response.status}): ${await response.text()}`;
    return;
  }
  const yaml = pointAtServer(await response.text(), location.origin);
  const ui = SwaggerUIBundle({
    dom_id: '#reference',
    presets: [SwaggerUIBundle.presets.apis],
    // No calls to the public validator: the page works offline.
    validatorUrl: null,
    deepLinking: false,
  });
  ui.specActions.updateSpec(yaml);
  // Swagger UI's server picker has no label of its own.
  const label = () => document.querySelector('.servers select:not([aria-label])')?.setAttribute('aria-label', 'Server');
  new MutationObserver(label).observe(target, { childList: true, subtree: true });
}

void start();
