/** One running implementation of the API that the behaviour suite can talk to. */
export interface RunningTarget {
  baseURL: string;
  /** A key of organisation A. */
  apiKey: string;
  /** A key of organisation B. */
  otherApiKey: string;
  /** Moves the implementation's clock forward (expiry without sleeping). */
  advanceClock(ms: number): void;
  /** Checks one response the suite received; throws to fail the case (e.g. Prism's `sl-violations`). */
  inspect?(response: Response, request: Request): void;
  stop(): Promise<void>;
}

export interface ContractTarget {
  name: string;
  start(): Promise<RunningTarget>;
}
