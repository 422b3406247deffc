/** What the generated function settles with: the response, its body not yet read. */
export interface Sent {
  response: Response;
}

/**
 * How one call finishes, whichever way its result is asked for. Its functions need no `this`:
 * the promise hands them to `then` as they are.
 * @internal
 */
export interface Exchange<T> {
  /** Reads and checks the body of the final response, then stops the attempt's timer. */
  parse(sent: Sent): T | Promise<T>;
  /** Stops the attempt's timer: once the body is read, or handed to the caller unread. */
  release(): void;
  /** Stops the timer and throws what the caller should see instead of `error`. */
  fail(error: unknown): never;
}

/** A call's result with the response it came from. */
export interface WithResponse<T> {
  data: T;
  response: Response;
  /** The `x-request-id` of the response; quote it when reporting a problem. */
  requestId: string | undefined;
}

/**
 * What every method returns: await it for the parsed body, as with any promise, or ask for the
 * response with it. The request starts at once; the body is read when the result is asked for.
 *
 * @example
 * const { data: session, requestId, response } = await fold.sessions.get(id).withResponse();
 * console.log(requestId, response.headers.get('ratelimit'));
 */
export class APIPromise<T> extends Promise<T> {
  readonly #sent: Promise<Sent>;
  readonly #exchange: Exchange<T>;
  #data: Promise<T> | undefined;

  // then/catch/finally return plain promises.
  static override get [Symbol.species]() {
    return Promise;
  }

  constructor(sent: Promise<Sent>, exchange: Exchange<T>) {
    super(settleAtOnce);
    this.#sent = sent;
    this.#exchange = exchange;
    // Rejections reach whoever consumes the promise; one that is never consumed is not unhandled twice.
    sent.catch(ignore);
  }

  /**
   * The same exchange as `source`, its body turned into `map(data, response)`, as a `Class`: how a
   * list call becomes a page that keeps `.withResponse()` and `.asResponse()`.
   * @internal
   */
  static derive<T, U, P extends APIPromise<U>>(
    Class: new (sent: Promise<Sent>, exchange: Exchange<U>) => P,
    source: APIPromise<T>,
    map: (data: T, response: Response) => U,
  ): P {
    const exchange = source.#exchange;
    return new Class(source.#sent, { ...exchange, parse: async (sent) => map(await exchange.parse(sent), sent.response) });
  }

  /** The raw `Response`, its body unread (and no longer under the call's timeout). */
  asResponse(): Promise<Response> {
    return this.#sent.then(({ response }) => {
      this.#exchange.release();
      return response;
    }, this.#exchange.fail);
  }

  /** The parsed body, the `Response` and its request id. */
  withResponse(): Promise<WithResponse<T>> {
    return this.#sent.then(async ({ response }) => ({
      data: await this.#parsed(),
      response,
      requestId: response.headers.get('x-request-id') ?? undefined,
    }), this.#exchange.fail);
  }

  // The body can be read once: every consumer shares one parse, started on the first ask.
  #parsed(): Promise<T> {
    return (this.#data ??= this.#sent.then(this.#exchange.parse, this.#exchange.fail));
  }

  override then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#parsed().then(onFulfilled, onRejected);
  }
}

const settleAtOnce = (resolve: (value: never) => void) => resolve(undefined as never);
const ignore = () => undefined;
