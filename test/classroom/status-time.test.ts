import { deadlineState, formatDuration } from '../../lib/classroom/class-time';

// The ages and deadlines that npm run verify and npm run class -- status print.
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

test('says "under 1 min" below a minute, and counts minutes from one on', () => {
  expect(formatDuration(0)).toBe('under 1 min');
  expect(formatDuration(MINUTE - 1)).toBe('under 1 min');
  expect(formatDuration(MINUTE)).toBe('1 min');
  expect(formatDuration(2 * MINUTE - 1)).toBe('1 min');
});

test('counts hours from one on, with the minutes when there are any', () => {
  expect(formatDuration(HOUR - 1)).toBe('59 min');
  expect(formatDuration(HOUR)).toBe('1 h');
  expect(formatDuration(HOUR + MINUTE - 1)).toBe('1 h');
  expect(formatDuration(HOUR + 12 * MINUTE + 30 * SECOND)).toBe('1 h 12 min');
});

test('counts days from one on, with the hours when there are any, and no minutes', () => {
  expect(formatDuration(DAY - 1)).toBe('23 h 59 min');
  expect(formatDuration(DAY)).toBe('1 d');
  expect(formatDuration(DAY + HOUR - 1)).toBe('1 d');
  expect(formatDuration(2 * DAY + 3 * HOUR + 59 * MINUTE)).toBe('2 d 3 h');
  expect(formatDuration(7 * DAY)).toBe('7 d');
});

test('reads a negative duration (a clock behind AWS\'s) or no number as under a minute', () => {
  expect(formatDuration(-5 * MINUTE)).toBe('under 1 min');
  expect(formatDuration(NaN)).toBe('under 1 min');
});

describe('a deadline', () => {
  const DEADLINE = '2026-11-28T07:30:00Z';
  const at = Date.parse(DEADLINE);

  test('is ahead until the millisecond before it, and passed from the deadline itself on', () => {
    expect(deadlineState(DEADLINE, new Date(at - 1)))
      .toEqual({ state: 'left', deadline: DEADLINE, left: 'under 1 min' });
    expect(deadlineState(DEADLINE, new Date(at))).toEqual({ state: 'passed', deadline: DEADLINE, ago: 'under 1 min' });
    expect(deadlineState(DEADLINE, new Date(at + 90 * MINUTE)))
      .toEqual({ state: 'passed', deadline: DEADLINE, ago: '1 h 30 min' });
    expect(deadlineState(DEADLINE, new Date(at - 7 * DAY))).toEqual({ state: 'left', deadline: DEADLINE, left: '7 d' });
  });

  test.each([
    ['with milliseconds', '2026-11-28T07:30:00.000Z'],
    ['in another zone', '2026-11-28T08:30:00+01:00'],
    ['without a time', '2026-11-28'],
    ['on a day that does not exist', '2026-02-30T07:30:00Z'],
    ['at an hour that does not exist', '2026-11-28T24:30:00Z'],
    ['not a time at all', 'in 90 minutes'],
  ])('is unreadable %s, not guessed at', (_, deadline) => {
    expect(deadlineState(deadline, new Date(at))).toEqual({ state: 'unreadable', deadline });
  });
});
