/**
 * The deadlines of every attempt in flight, kept by one timer. A timer per attempt costs more than
 * its callback in Node: Node keeps a list of timers per duration, built and dropped whenever the
 * only timer of a duration is set and cleared, which a run of sequential calls did on every call.
 * The one timer is set for the earliest deadline and ends exactly the attempts whose deadlines have
 * passed when it fires. While nothing is in flight it is `unref`'d, or cleared where timers have no
 * `unref` (browsers, Deno), so it never keeps a process alive.
 */
type Timer = ReturnType<typeof setTimeout> & { ref?(): unknown; unref?(): unknown };

const deadlines = new Map<() => void, number>();
let timer: Timer | undefined;
// The `setTimeout` that made `timer`: a timer of another (fake timers installed or removed since)
// may never fire, so the next deadline gets a timer of its own.
let madeBy: typeof setTimeout | undefined;
let due = Infinity;

/** Calls `onExpiry` after `ms`, unless {@link clearDeadline} comes first; a new deadline replaces its last. */
export function setDeadline(onExpiry: () => void, ms: number): void {
  const deadline = performance.now() + ms;
  deadlines.set(onExpiry, deadline);
  if (deadline < due || madeBy !== setTimeout) schedule(deadline);
  else timer?.ref?.();
}

/** Forgets the deadline of `onExpiry`, if it has one. */
export function clearDeadline(onExpiry: () => void): void {
  if (deadlines.delete(onExpiry) && !deadlines.size) {
    if (timer?.unref) timer.unref();
    else schedule(Infinity);
  }
}

/** Sets the timer for `deadline`, or for none when it is `Infinity`. */
function schedule(deadline: number) {
  if (madeBy === setTimeout) clearTimeout(timer);
  due = deadline;
  madeBy = setTimeout;
  timer = deadline < Infinity ? (setTimeout(expire, deadline - performance.now()) as Timer) : undefined;
}

function expire() {
  due = Infinity;
  timer = undefined;
  const now = performance.now();
  for (const [onExpiry, deadline] of deadlines) {
    if (deadline <= now) {
      deadlines.delete(onExpiry);
      onExpiry();
    } else if (deadline < due) schedule(deadline);
  }
}
