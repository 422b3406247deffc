import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// `fold-sessions-source`, an export condition private to this repository, resolves the workspace
// packages to their TypeScript sources, so tests need no build.
export default defineConfig({
  resolve: { conditions: ['fold-sessions-source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['fold-sessions-source', ...defaultServerConditions] } },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/packages/**', '**/node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: process.env.CI ? { json: 'test-results.json' } : undefined,
  },
});
