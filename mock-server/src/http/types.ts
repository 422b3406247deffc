export { operationIds, type OperationId } from '../spec/spec.gen.js';
import type { OperationId } from '../spec/spec.gen.js';

/** An HTTP request as plain data: what any framework adapter (Express, MSW, fetch) can build. */
export interface ApiRequest {
  method: string;
  /** The path without query string, e.g. `/sessions/sess_123/messages`. */
  path: string;
  query?: URLSearchParams | Record<string, string | string[] | undefined>;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  /** The body exactly as received; undefined or empty when there is none. */
  rawBody?: string | Uint8Array | undefined;
  /** Set by an adapter that stopped reading the body because it passed the size limit. */
  bodyTooLarge?: boolean;
  /** A request id the adapter already chose (for its logs); otherwise the handler picks one. */
  requestId?: string;
}

/** The answer: `body` is a JSON value for the adapter to serialise, or null for no body. */
export interface ApiResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: unknown;
  /**
   * The body's bytes exactly as they are to be sent, when they must not be serialised again (an
   * answer a proxy passes on); `body` is then their JSON value (or text), for the journal.
   */
  rawBody?: Uint8Array;
  /** The operation the request was routed to; undefined for an unknown route. */
  operationId?: OperationId | undefined;
  /**
   * Set by an injected network fault: the adapter must drop the connection (Express) or answer
   * with a network error (MSW) instead of sending this response.
   */
  networkError?: true;
  /** Set when the answer came from an injected fault or an override, for the adapter's logs. */
  injected?: 'fault' | 'override';
}

export type ApiHandler = (request: ApiRequest) => Promise<ApiResponse>;
