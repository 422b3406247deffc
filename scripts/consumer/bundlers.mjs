// Bundles a small app that imports fold-sessions, in a project where zod (the SDK's optional peer)
// is not installed, with the bundler's defaults for a browser app. Fails on any error and on any
// warning that mentions zod; reports the gzipped size of the JavaScript written.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const app = `import { FoldSessions } from 'fold-sessions';

async function main() {
  const fold = new FoldSessions({ apiKey: 'key' });
  const session = await fold.sessions.create({ name: 'bundled' });
  console.log(await fold.sessions.get(session.id));
}
main();
`;

const builders = {
  async vite(dir, outDir) {
    const { build } = await import('vite');
    const messages = [];
    const collect = (kind) => (message) => messages.push(`${kind}: ${message}`);
    const customLogger = {
      info() {},
      warn: collect('warning'),
      warnOnce: collect('warning'),
      error: collect('error'),
      clearScreen() {},
      hasErrorLogged: () => false,
      hasWarned: false,
    };
    try {
      await build({ root: dir, configFile: false, logLevel: 'warn', customLogger, build: { outDir, emptyOutDir: true } });
    } catch (error) {
      messages.push(`error: ${error.message}`);
    }
    return messages;
  },
  async esbuild(dir, outdir) {
    const { build } = await import('esbuild');
    try {
      const result = await build({
        entryPoints: [join(dir, 'src/main.js')],
        absWorkingDir: dir,
        bundle: true,
        minify: true,
        splitting: true,
        format: 'esm',
        platform: 'browser',
        outdir,
        logLevel: 'silent',
      });
      return result.warnings.map((w) => `warning: ${w.text}`);
    } catch (error) {
      return (error.errors ?? [error]).map((e) => `error: ${e.text ?? e.message}`);
    }
  },
  async webpack(dir, outDir) {
    const { default: webpack } = await import('webpack');
    return new Promise((resolve) => {
      webpack(
        { mode: 'production', context: dir, entry: './src/main.js', target: 'web', output: { path: outDir, clean: true } },
        (error, stats) => {
          if (error) return resolve([`error: ${error.message}`]);
          const { errors = [], warnings = [] } = stats.toJson({ all: false, errors: true, warnings: true });
          resolve([...errors.map((e) => `error: ${e.message}`), ...warnings.map((w) => `warning: ${w.message}`)]);
        },
      );
    });
  },
};

export async function bundleWithoutZod({ dir, bundler }) {
  // An app folder per bundler inside the project, so the three can build side by side.
  const appDir = join(dir, `app-${bundler}`);
  mkdirSync(join(appDir, 'src'), { recursive: true });
  writeFileSync(join(appDir, 'src/main.js'), app);
  writeFileSync(join(appDir, 'index.html'), '<!doctype html><title>app</title><script type="module" src="/src/main.js"></script>\n');
  const outDir = join(appDir, 'dist');
  rmSync(outDir, { recursive: true, force: true });
  console.log(`$ ${bundler} build of src/main.js   (in ${appDir}, ${bundler} from the workspace)`);
  const messages = await builders[bundler](appDir, outDir);
  for (const message of messages) console.log(`  ${message.split('\n').slice(0, 6).join('\n  ')}`);
  const bad = messages.filter((m) => m.startsWith('error') || /zod/i.test(m));
  if (bad.length) throw new Error(`${bad.length} error(s) or zod warning(s): ${bad[0].split('\n')[0]}`);
  const files = readdirSync(outDir, { recursive: true }).filter((file) => String(file).endsWith('.js'));
  const code = files.map((file) => readFileSync(join(outDir, String(file))));
  // The SDK's default base URL: proof the bundle holds the client, not an empty shell.
  if (!code.some((bytes) => bytes.includes('https://api.fold.run'))) throw new Error('the bundle does not contain the SDK');
  const gzipBytes = code.reduce((sum, bytes) => sum + gzipSync(bytes, { level: 9 }).length, 0);
  return { gzipBytes, files: files.length };
}
