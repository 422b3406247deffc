/** This package's version, as in sdk/package.json (test/sdk/identity.test.ts keeps the two equal). */
export const VERSION = '0.1.0';
