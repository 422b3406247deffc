import { VERSION } from './version.js';

interface Host {
  Deno?: { version?: { deno?: string }; build?: { os?: string } };
  Bun?: { version?: string };
  process?: { versions?: { node?: string }; platform?: string };
}

/**
 * `fold-sessions/<version> (<runtime>/<version>; <os>)` in Node, Bun and Deno; undefined
 * elsewhere (browsers, where the browser owns `User-Agent`, and unknown runtimes).
 */
export function serverUserAgent(): string | undefined {
  const host = globalThis as Host;
  // Deno and Bun also define `process`: ask for them first.
  const runtime = host.Deno?.version?.deno
    ? `deno/${host.Deno.version.deno}; ${host.Deno.build?.os}`
    : host.Bun?.version
      ? `bun/${host.Bun.version}; ${host.process?.platform}`
      : host.process?.versions?.node
        ? `node/${host.process.versions.node}; ${host.process.platform}`
        : undefined;
  return runtime && `fold-sessions/${VERSION} (${runtime})`;
}

/** `X-Fold-Timeout`: an attempt's timeout in seconds. */
export const timeoutHeader = (ms: number): string => String(ms / 1000);
