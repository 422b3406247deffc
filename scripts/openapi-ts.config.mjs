/**
 * The generator configurations. `npm run generate` writes each target's output; `npm run
 * check:generated` writes the same thing elsewhere and compares.
 */
function heyApi(input, output) {
  return {
    input,
    output: { path: output, clean: true, module: { extension: '.js' } },
    logs: { level: 'silent' },
    plugins: ['@hey-api/client-fetch', '@hey-api/typescript', '@hey-api/sdk', 'zod'],
  };
}

/** The Sessions API client: the SDK's generated layer. */
export function generatorConfig(output) {
  return heyApi('./openapi/sessions.yaml', output);
}

/** The control API client and schemas, used by `fold-sessions-mock/control` and the control handler. */
export function controlGeneratorConfig(output) {
  return heyApi('./openapi/control.yaml', output);
}

export const generatedFolders = {
  sessions: 'sdk/src/generated',
  control: 'mock-server/src/control/generated',
};

/** The route table of the Sessions API, read from the spec by scripts/api-table.mjs. */
export const apiTableFile = 'mock-server/src/api/spec.gen.ts';
