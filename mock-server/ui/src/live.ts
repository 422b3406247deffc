import type { RecordedRequest, RequestFilter, SessionsController, SessionsData, Stub } from '../../src/control/index.js';

/** What the views show: the server's data, its clock and the newest requests of the journal. */
export interface LiveData {
  data: SessionsData;
  requests: RecordedRequest[];
  /** The faults, delays and overrides in force, in the order they are tried. */
  stubs: Stub[];
  /** The server's clock when the data was read. */
  serverNow: number;
  /** `performance.now()` when the data was read, to move the server's clock forward locally. */
  readAt: number;
}

/** How often the views are refreshed. The issue asks for at most 1 s. */
export const pollMs = 500;

/** The newest exchanges the requests view shows. */
export const requestLimit = 200;

export interface Live {
  /** The server's clock now, moved forward locally since the last read. */
  now(): number;
  /** The filter of the requests view (operation, status, session), sent to the server. */
  setRequestFilter(filter: RequestFilter): void;
  /** Reads at once, e.g. right after a control action. */
  refresh(): Promise<void>;
  stop(): void;
}

/**
 * Polls the control API every `pollMs` (one read at a time, never overlapping) and hands each
 * result to `onData`; a failed read goes to `onError` and polling goes on.
 */
export function startLive(control: SessionsController, onData: (live: LiveData) => void, onError: (error: unknown) => void): Live {
  let filter: RequestFilter = {};
  let last: LiveData | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  async function read(): Promise<void> {
    try {
      const [serverNow, data, requests, stubs] = await Promise.all([control.clock.now(), control.snapshot(), control.requests({ ...filter, limit: requestLimit }), control.stubs()]);
      last = { data, requests, stubs, serverNow, readAt: performance.now() };
      onData(last);
    } catch (error) {
      onError(error);
    }
  }

  function tick(): void {
    if (stopped) return;
    running = read().finally(() => {
      running = undefined;
      if (!stopped) timer = setTimeout(tick, pollMs);
    });
  }

  tick();
  return {
    now: () => Math.floor(last ? last.serverNow + (performance.now() - last.readAt) : Date.now()),
    setRequestFilter(next) {
      filter = next;
      void this.refresh();
    },
    async refresh() {
      await running;
      // Another caller may have started a read meanwhile: share it.
      if (running || stopped) return running;
      clearTimeout(timer);
      tick();
      await running;
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
