// Versions from the npm registry: the newest release in a range, and the lowest version a
// declared range allows.
import { run } from './process.mjs';

const parts = (version) => version.split('.').map(Number);
const byVersion = (a, b) => parts(a).reduce((order, n, i) => order || n - parts(b)[i], 0);

/** The newest release (no prerelease) of `name` in `range`, e.g. newestVersion('msw', '^2'). */
export async function newestVersion(name, range, { cwd }) {
  const { stdout } = await run('npm', ['view', `${name}@${range}`, 'version', '--json'], { cwd, quiet: true });
  const releases = [JSON.parse(stdout)].flat().filter((v) => /^\d+\.\d+\.\d+$/.test(v));
  if (releases.length === 0) throw new Error(`no release of ${name}@${range} on the registry: ${stdout}`);
  return releases.sort(byVersion).at(-1);
}

/** The lowest version a declared range allows; only the shapes a manifest here uses (^x.y.z, ~x.y.z, x.y.z). */
export function lowestVersion(range) {
  const match = /^[\^~]?(\d+\.\d+\.\d+)$/.exec(range);
  if (!match) throw new Error(`cannot tell the lowest version of the range ${range}`);
  return match[1];
}
