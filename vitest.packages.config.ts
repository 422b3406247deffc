import { defineConfig } from 'vitest/config';

// The packed tarballs, checked as published: a step of its own in `npm test`, before the unit
// tests, because packing rebuilds dist/ and must not race the tests that read it.
export default defineConfig({
  test: {
    include: ['test/packages/**/*.test.ts'],
    // Packing rebuilds dist/, which the other files of this step read.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: process.env.CI ? { json: 'test-results-packages.json' } : undefined,
  },
});
