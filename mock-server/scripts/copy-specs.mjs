// Copies the API descriptions in the repository's openapi/ folder into this package's openapi/
// folder, so that they ship with it (`fold-sessions-mock/openapi/<name>.yaml`). Every top-level
// *.yaml is copied except lint configurations (dot files such as .spectral.yaml, and redocly*.yaml);
// released/ snapshots stay in the repository.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const from = resolve(packageDir, '../openapi');
const to = join(packageDir, 'openapi');

const isSpec = (name) => name.endsWith('.yaml') && !name.startsWith('.') && !/^redocly/.test(name);
const specs = readdirSync(from, { withFileTypes: true })
  .filter((entry) => entry.isFile() && isSpec(entry.name))
  .map((entry) => entry.name)
  .sort();
if (!specs.includes('sessions.yaml')) throw new Error(`no sessions.yaml in ${from}`);

rmSync(to, { recursive: true, force: true });
mkdirSync(to);
for (const name of specs) copyFileSync(join(from, name), join(to, name));
console.log(`fold-sessions-mock: copied ${specs.map((name) => `openapi/${name}`).join(', ')}`);
