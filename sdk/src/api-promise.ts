/** A settled exchange: the response with its body not yet read, and how to finish with it. */
export interface RawResponse {
  response: Response;
  /** Stops the attempt's timer: once the body is read, or handed to the caller unread. */
  release(): void;
}

/** A call's result with the response it came from. */
export interface WithResponse<T> {
  data: T;
  response: Response;
  /** The `x-request-id` of the response; quote it when reporting a problem. */
  requestId: string | undefined;
}

type Parse<T> = (raw: RawResponse) => Promise<T>;

/**
 * What every method returns: await it for the parsed body, as with any promise, or ask for the
 * response with it. The request starts at once; the body is read when the result is asked for.
 *
 * @example
 * const { data: session, requestId, response } = await fold.sessions.get(id).withResponse();
 * console.log(requestId, response.headers.get('ratelimit'));
 */
export class APIPromise<T> extends Promise<T> {
  readonly #raw: Promise<RawResponse>;
  readonly #parse: Parse<T>;
  #data: Promise<T> | undefined;

  // then/catch/finally return plain promises.
  static override get [Symbol.species]() {
    return Promise;
  }

  constructor(raw: Promise<RawResponse>, parse: Parse<T>) {
    super(settleAtOnce);
    this.#raw = raw;
    this.#parse = parse;
    // Rejections reach whoever consumes the promise; one that is never consumed is not unhandled twice.
    raw.catch(ignore);
  }

  /**
   * The same exchange as `source`, its body turned into `map(data, response)`, as a `Class`: how a
   * list call becomes a page that keeps `.withResponse()` and `.asResponse()`.
   * @internal
   */
  static derive<T, U, P extends APIPromise<U>>(
    Class: new (raw: Promise<RawResponse>, parse: Parse<U>) => P,
    source: APIPromise<T>,
    map: (data: T, response: Response) => U,
  ): P {
    return new Class(source.#raw, async (raw) => map(await source.#parse(raw), raw.response));
  }

  /** The raw `Response`, its body unread (and no longer under the call's timeout). */
  asResponse(): Promise<Response> {
    return this.#raw.then((raw) => {
      raw.release();
      return raw.response;
    });
  }

  /** The parsed body, the `Response` and its request id. */
  withResponse(): Promise<WithResponse<T>> {
    return this.#raw.then(async (raw) => ({
      data: await this.#parsed(),
      response: raw.response,
      requestId: raw.response.headers.get('x-request-id') ?? undefined,
    }));
  }

  // The body can be read once: every consumer shares one parse.
  #parsed(): Promise<T> {
    return (this.#data ??= this.#raw.then(this.#parse));
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
