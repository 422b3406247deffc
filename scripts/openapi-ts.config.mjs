import { readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { createClient } from '@hey-api/openapi-ts';

/**
 * The generator configurations. `npm run generate` writes each target's output; `npm run
 * check:generated` writes the same thing elsewhere and compares.
 */
function heyApi(input, output, parser) {
  return {
    input,
    output: { path: output, clean: true, module: { extension: '.js' } },
    logs: { level: 'silent' },
    ...(parser && { parser }),
    plugins: ['@hey-api/client-fetch', '@hey-api/typescript', '@hey-api/sdk', 'zod'],
  };
}

// hey-api reads a bare relative path as a hosted project's name.
const specFile = (specDir, name) => (isAbsolute(specDir) ? join(specDir, name) : `./${join(specDir, name)}`);

/** The Sessions API client: the SDK's generated layer. */
export function generatorConfig(output, specDir = 'openapi') {
  return heyApi(specFile(specDir, 'sessions.yaml'), output);
}

/** The control API client and schemas, used by `fold-sessions-mock/control` and the control handler. */
export function controlGeneratorConfig(output, specDir = 'openapi') {
  // Seed takes whole stored sessions, the Sessions API's read-only fields (ids, times, status)
  // included, so the control API's requests use the Sessions API's schemas as they are, not
  // hey-api's `…Writable` copies without those fields.
  return heyApi(specFile(specDir, 'control.yaml'), output, { transforms: { readWrite: false } });
}

export const generatedFolders = {
  sessions: 'sdk/src/generated',
  control: 'mock-server/src/control/client/generated',
};

/** The route table of the Sessions API, read from the spec by scripts/api-table.mjs. */
export const apiTableFile = 'mock-server/src/spec/spec.gen.ts';

/** The operation ids alone, for code that must not load the schemas (the inspector). */
export const operationIdsFile = 'mock-server/src/spec/operation-ids.gen.ts';

/**
 * The SDK's one post-generation step. The Sessions API has no server-sent events, but hey-api
 * 0.99's fetch client builds an `sse` method per HTTP verb into every client object, and with
 * them its whole event-stream reader (about 0.8 KB min + gzip) that no bundler can drop; no
 * option turns it off. This takes the `sse` methods out of the client and its `Client` type
 * (which then says `sse?: never`). Each edit must find its text: a new hey-api fails here loudly.
 */
export function dropServerSentEvents(output) {
  const edit = (file, edits) => {
    const path = join(output, file);
    let text = readFileSync(path, 'utf8');
    for (const [pattern, replacement] of edits) {
      if (!pattern.test(text)) throw new Error(`dropServerSentEvents: ${file} no longer matches ${pattern}; update scripts/openapi-ts.config.mjs`);
      text = text.replace(pattern, replacement);
    }
    writeFileSync(path, text);
  };
  edit('client/client.gen.ts', [
    [/^import \{ createSseClient \} from '\.\.\/core\/serverSentEvents\.gen\.js';\n/m, ''],
    [/\n {2}const makeSseFn = [\s\S]*?\n {2}\};\n/, ''],
    [/\n {4}sse: \{[^}]*\},/, ''],
  ]);
  edit('client/types.gen.ts', [[/CoreClient<RequestFn, Config, MethodFn, BuildUrlFn, SseFn>/, 'CoreClient<RequestFn, Config, MethodFn, BuildUrlFn>']]);
}

/** Generates one target into `output` from the descriptions in `specDir`: hey-api, then the SDK's post-generation step. */
export async function generateInto(config, output, specDir = 'openapi') {
  await createClient(config(output, specDir));
  if (config === generatorConfig) dropServerSentEvents(output);
}
