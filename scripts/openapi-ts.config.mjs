/**
 * The one generator configuration. `npm run generate` writes into sdk/src/generated;
 * `npm run check:generated` writes the same thing elsewhere and compares.
 */
export function generatorConfig(output) {
  return {
    input: './openapi/sessions.yaml',
    output: { path: output, clean: true, module: { extension: '.js' } },
    logs: { level: 'silent' },
    plugins: [
      '@hey-api/client-fetch',
      '@hey-api/typescript',
      '@hey-api/sdk',
      'zod',
    ],
  };
}
