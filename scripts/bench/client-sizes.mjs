// What each HTTP client adds to a browser bundle: an app that makes one GET of a session,
// bundled by esbuild (minified, ESM, browser), gzip level 9. Uses sdk/dist: `npm run build` first.
//   node scripts/bench/client-sizes.mjs     prints one JSON line of KB (1 KB = 1024 bytes) per client
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { browserBundle } from '../bundle-options.mjs';

const root = resolve(import.meta.dirname, '../..');
const dist = join(root, 'sdk/dist');
const base = 'https://api.fold.run';

export const apps = {
  'raw fetch': `
    const response = await fetch('${base}/sessions/sess_1', { headers: { authorization: 'Bearer key' } });
    console.log(await response.json());`,
  'openapi-fetch': `
    import createClient from 'openapi-fetch';
    const client = createClient({ baseUrl: '${base}', headers: { authorization: 'Bearer key' } });
    console.log((await client.GET('/sessions/{id}', { params: { path: { id: 'sess_1' } } })).data);`,
  ky: `
    import ky from 'ky';
    console.log(await ky.get('${base}/sessions/sess_1', { headers: { authorization: 'Bearer key' } }).json());`,
  'bare generated hey-api call': `
    import { client } from '${join(dist, 'generated/client.gen.js')}';
    import { getSession } from '${join(dist, 'generated/sdk.gen.js')}';
    client.setConfig({ auth: 'key' });
    console.log((await getSession({ path: { id: 'sess_1' }, throwOnError: true })).data);`,
  openai: `
    import OpenAI from 'openai';
    const client = new OpenAI({ apiKey: 'key', baseURL: '${base}', dangerouslyAllowBrowser: true });
    console.log(await client.get('/sessions/sess_1'));`,
  'fold-sessions sessions.get': `
    import { FoldSessions } from 'fold-sessions';
    const fold = new FoldSessions({ apiKey: 'key' });
    console.log(await fold.sessions.get('sess_1'));`,
};

export async function clientSizes() {
  const work = mkdtempSync(join(tmpdir(), 'client-sizes-'));
  try {
    const sizes = {};
    for (const [name, source] of Object.entries(apps)) {
      const entry = join(work, `${Object.keys(sizes).length}.mjs`);
      writeFileSync(entry, source);
      const result = await build({ ...browserBundle, entryPoints: [entry], write: false });
      // One file: no dynamic imports in any of these apps' paths that esbuild would split off.
      const bytes = result.outputFiles.reduce((sum, file) => sum + gzipSync(file.contents, { level: 9 }).length, 0);
      sizes[name] = +(bytes / 1024).toFixed(2);
    }
    return sizes;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await clientSizes()));
