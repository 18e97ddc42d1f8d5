/**
 * Ages and deadlines as `npm run verify` and `npm run class -- status` print them. The clock is the caller's, so that
 * a test can pin it; nothing here reads the time itself.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * `under 1 min`, `59 min`, `1 h`, `1 h 12 min`, `2 d`, `2 d 3 h`: the two largest units, rounded down, so that a time
 * left is never overstated. A negative duration (a clock behind AWS's) reads as `under 1 min`.
 */
export function formatDuration(ms: number): string {
  if (!(ms >= MINUTE_MS)) return 'under 1 min';
  const days = Math.floor(ms / DAY_MS);
  const hours = Math.floor((ms % DAY_MS) / HOUR_MS);
  const minutes = Math.floor((ms % HOUR_MS) / MINUTE_MS);
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  return `${minutes} min`;
}

/** The form of the `Deadline` output: UTC, ISO 8601 without milliseconds (`2026-11-28T07:30:00Z`). */
const DEADLINE_FORMAT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** Where a stack stands against its deadline. */
export type DeadlineState =
  | { readonly state: 'left'; readonly deadline: string; readonly left: string }
  | { readonly state: 'passed'; readonly deadline: string; readonly ago: string }
  | { readonly state: 'unreadable'; readonly deadline: string };

/**
 * The time left until `deadline` (the `Deadline` output) at `now`; `passed` from the deadline itself on, when the
 * schedule fires. A value not in the output's form is `unreadable`, not guessed at.
 */
export function deadlineState(deadline: string, now: Date): DeadlineState {
  const at = DEADLINE_FORMAT.test(deadline) ? Date.parse(deadline) : NaN;
  // Date.parse accepts 2026-02-30 as 2 March: a deadline that does not print back as itself is not a real time.
  if (Number.isNaN(at) || new Date(at).toISOString().replace('.000Z', 'Z') !== deadline) {
    return { state: 'unreadable', deadline };
  }
  const left = at - now.getTime();
  return left > 0
    ? { state: 'left', deadline, left: formatDuration(left) }
    : { state: 'passed', deadline, ago: formatDuration(-left) };
}
