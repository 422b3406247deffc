/**
 * The spec (YAML text) with `origin` listed first under its top-level `servers`, so that the
 * reference's "try it" calls the server that serves it. A spec without `servers` gets one.
 */
export function pointAtServer(yaml: string, origin: string): string {
  const entry = `  - url: ${origin}\n    description: This server (fold-sessions-mock)\n`;
  return /^servers:[ \t]*\r?\n/m.test(yaml) ? yaml.replace(/^servers:[ \t]*\r?\n/m, (line) => `${line}${entry}`) : `${yaml.trimEnd()}\nservers:\n${entry}`;
}
