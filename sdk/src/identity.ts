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
  const { Deno, Bun, process } = globalThis as Host;
  // Deno and Bun also define `process`: ask for them first.
  const [runtime, version, os] = Deno?.version?.deno
    ? ['deno', Deno.version.deno, Deno.build?.os]
    : Bun?.version
      ? ['bun', Bun.version, process?.platform]
      : ['node', process?.versions?.node, process?.platform];
  return version && `fold-sessions/${VERSION} (${runtime}/${version}; ${os})`;
}

/** `X-Fold-Timeout`: an attempt's timeout in seconds. */
export const timeoutHeader = (ms: number): string => String(ms / 1000);
