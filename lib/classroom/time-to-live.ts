import { Duration } from 'aws-cdk-lib';

/**
 * A lab's time-to-live (`-c ttl=90m`): how long after its last deploy a stack deletes itself. This file holds the
 * rules that the app, the construct (lib/constructs/lab-time-to-live.ts) and the tools share.
 */

/** The context key of the time-to-live: `-c ttl=90m`. */
export const TTL_CONTEXT_KEY = 'ttl';

export const MIN_TIME_TO_LIVE = Duration.minutes(15);
export const MAX_TIME_TO_LIVE = Duration.days(7);

/** What a time-to-live may be. */
export const TIME_TO_LIVE_RULE = '<n>m, <n>h or <n>d (minutes, hours or days) with a whole number n, '
  + 'from 15m to 7d (10080m, 168h), for example 90m, 4h or 2d';

const TIME_TO_LIVE = /^([1-9][0-9]*)([mhd])$/;
const UNITS: Record<string, (amount: number) => Duration> = {
  m: Duration.minutes,
  h: Duration.hours,
  d: Duration.days,
};
const MINUTE_MS = 60_000;

/**
 * The time-to-live of `-c ttl=<text>`, checked; throws with what is allowed and the text received. Whitespace around
 * the text is ignored; units are lowercase only (`90M` could mean months), and the number is a whole one without a
 * sign or leading zero (`1.5h` is written `90m`).
 */
export function parseTimeToLive(text: string): Duration {
  const match = TIME_TO_LIVE.exec(text.trim());
  if (!match) throw new Error(`A time-to-live (ttl) is ${TIME_TO_LIVE_RULE}, got ${JSON.stringify(text)}`);
  const ttl = UNITS[match[2]](Number(match[1]));
  if (!inRange(ttl)) throw rangeError(JSON.stringify(text));
  return ttl;
}

/** The time-to-live, if it is from 15 minutes to 7 days inclusive; throws otherwise. */
export function checkTimeToLive(ttl: Duration): Duration {
  if (ttl.isUnresolved()) throw new Error('A time-to-live must be known at synth, got a token');
  if (!inRange(ttl)) throw rangeError(ttl.toHumanString());
  return ttl;
}

/**
 * When a stack deployed at `now` with this time-to-live deletes itself: `now + ttl` rounded UP to the next whole
 * minute (unchanged when it is one already). Up, so a stack never goes before the time it was promised; to the
 * minute, so the deadline reads plainly (`07:30:00Z`) and a schedule's `at()` (second precision) holds it exactly.
 */
export function deadlineOf(now: Date, ttl: Duration): Date {
  const start = now.getTime();
  if (Number.isNaN(start)) throw new Error('A time-to-live counts from a valid date, got Invalid Date');
  return new Date(Math.ceil((start + ttl.toMilliseconds()) / MINUTE_MS) * MINUTE_MS);
}

/** The date in UTC as ISO 8601 to the second, e.g. `2026-11-28T07:30:00Z` (milliseconds are dropped). */
export function formatDeadline(date: Date): string {
  return `${isoSeconds(date)}Z`;
}

/**
 * EventBridge Scheduler's one-time expression for the date, `at(2026-11-28T07:30:00)`: to the second (milliseconds are
 * dropped) and without a zone, so the schedule must say `ScheduleExpressionTimezone: UTC`.
 */
export function atExpression(date: Date): string {
  return `at(${isoSeconds(date)})`;
}

function isoSeconds(date: Date): string {
  return date.toISOString().slice(0, 'yyyy-mm-ddThh:mm:ss'.length);
}

function inRange(ttl: Duration): boolean {
  const ms = ttl.toMilliseconds();
  return ms >= MIN_TIME_TO_LIVE.toMilliseconds() && ms <= MAX_TIME_TO_LIVE.toMilliseconds();
}

function rangeError(received: string): Error {
  return new Error('A time-to-live (ttl) must be from 15 minutes to 7 days (15m to 7d, 10080m or 168h), '
    + `got ${received}`);
}
