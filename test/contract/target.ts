import type { LocalController, SessionsController } from 'fold-sessions-mock';

/** An organisation of a running target and the API key that opens it. */
export interface Organisation {
  orgId: string;
  apiKey: string;
}

/** How to start an instance beyond the default (in memory, no rate limit, no faults). */
export interface InstanceOptions {
  /** Requests per minute per organisation, answered 429 past it. */
  rateLimit?: number;
  /** A share of requests answered 503 from the start, picked by a seeded generator (`--fault-rate`, `--seed`). */
  faultRate?: { rate: number; seed: number };
  /** `false` starts the server without its control API (`--no-control`); only targets with `traits.controlApi`. */
  control?: false;
}

/**
 * The limits every instance of the suite runs with (`--limit`, `limits`): low enough that a case
 * reaches one, high enough that no other case does.
 */
export const contractLimits = { messagesPerSession: 60 } as const;

/** One running implementation of the API that the behaviour suite can talk to. */
export interface RunningTarget {
  baseURL: string;
  /** Steers and inspects the instance: in-process, or over HTTP with `connectControl`. */
  controller: SessionsController;
  /** The in-process controller (function and unchecked overrides), on targets with `traits.localController`. */
  local?: LocalController;
  /** The control API's token, on targets with `traits.controlApi` started with their control API on. */
  controlToken?: string;
  /** A fresh organisation, never handed out before by this instance. */
  organisation(): Organisation;
  /** Checks one response the suite received; throws to fail the case (e.g. Prism's `sl-violations`). */
  inspect?(response: Response, request: Request): void;
  stop(): Promise<void>;
}

/** What a target can show; cases that need more run only where it is there, and say why. */
export interface TargetTraits {
  /** The controller is the control API over HTTP (`/__fold`, with a token), so its auth and bad inputs can be sent raw. */
  controlApi: boolean;
  /** `RunningTarget.local` is there. */
  localController: boolean;
  /**
   * Prism stands in front: it parses JSON bodies and resolves routes itself (answering malformed
   * JSON, unknown routes and methods with its own problem+json), and answers a connection the
   * server drops with its own 500 instead of passing the drop on.
   */
  prismInFront: boolean;
}

export interface ContractTarget {
  name: string;
  traits: TargetTraits;
  start(options?: InstanceOptions): Promise<RunningTarget>;
}

/**
 * `size` keys `contract_key_<n>` of organisations `org_<n>`, to configure an instance with, and
 * `next()` that hands out each pair once.
 */
export function organisationPool(size = 1000): { keys: Record<string, string>; next(): Organisation } {
  const keys: Record<string, string> = {};
  for (let n = 1; n <= size; n++) keys[`contract_key_${n}`] = `org_${n}`;
  let used = 0;
  return {
    keys,
    next() {
      if (used >= size) throw new Error(`All ${size} organisations of this instance are in use; raise the pool size`);
      used += 1;
      return { orgId: `org_${used}`, apiKey: `contract_key_${used}` };
    },
  };
}
