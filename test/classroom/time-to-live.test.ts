import { Duration, Lazy } from 'aws-cdk-lib';
import {
  atExpression, checkTimeToLive, deadlineOf, formatDeadline, parseTimeToLive, TIME_TO_LIVE_RULE,
} from '../../lib/classroom/time-to-live';

const RANGE = 'A time-to-live (ttl) must be from 15 minutes to 7 days (15m to 7d, 10080m or 168h), got ';
const FORMAT = `A time-to-live (ttl) is ${TIME_TO_LIVE_RULE}, got `;

describe('parseTimeToLive', () => {
  test.each([
    ['15m', 15], ['90m', 90], ['10080m', 10_080], ['1h', 60], ['4h', 240], ['168h', 10_080], ['1d', 1_440],
    ['2d', 2_880], ['7d', 10_080],
  ])('reads %s as %d minutes', (text, minutes) => {
    expect(parseTimeToLive(text).toMinutes()).toBe(minutes);
  });

  test('ignores whitespace around the value, not inside it', () => {
    expect(parseTimeToLive(' 90m\t').toMinutes()).toBe(90);
    expect(() => parseTimeToLive('90 m')).toThrow(`${FORMAT}"90 m"`);
  });

  test.each([
    ['under 15 minutes', '14m'], ['over 7 days in minutes', '10081m'], ['over 7 days in hours', '169h'],
    ['over 7 days in days', '8d'], ['far over 7 days', '99999999999999999999m'],
  ])('fails on a time-to-live %s (%s), saying the range and quoting the value', (_name, text) => {
    expect(() => parseTimeToLive(text)).toThrow(`${RANGE}"${text}"`);
  });

  test.each([
    ['zero', '0m'], ['a negative number', '-5m'], ['a sign', '+90m'], ['a fraction', '1.5h'],
    ['a leading zero', '090m'], ['no unit', '90'], ['a space before the unit', '90 m'],
    ['an uppercase unit (M is months elsewhere)', '90M'], ['an uppercase hour', '4H'], ['seconds', '900s'],
    ['weeks', '1w'], ['two units', '1h30m'], ['a doubled unit', '90mm'], ['no number', 'm'], ['nothing', ''],
    ['only spaces', '   '], ['a word', 'forever'],
  ])('fails on %s (%s), saying what is allowed and quoting the value', (_name, text) => {
    expect(() => parseTimeToLive(text)).toThrow(`${FORMAT}${JSON.stringify(text)}`);
  });

  test('says what is allowed in the message, with examples', () => {
    expect(TIME_TO_LIVE_RULE).toBe('<n>m, <n>h or <n>d (minutes, hours or days) with a whole number n, '
      + 'from 15m to 7d (10080m, 168h), for example 90m, 4h or 2d');
  });
});

describe('checkTimeToLive', () => {
  test.each([
    ['15 minutes', Duration.minutes(15)], ['7 days', Duration.days(7)], ['900 seconds', Duration.seconds(900)],
  ])('passes %s', (_name, ttl) => {
    expect(checkTimeToLive(ttl)).toBe(ttl);
  });

  test.each([
    ['899 seconds', Duration.seconds(899), '14 minutes 59 seconds'],
    ['7 days and a second', Duration.seconds(7 * 86_400 + 1), '7 days 1 second'],
  ])('fails on %s, saying the range', (_name, ttl, shown) => {
    expect(() => checkTimeToLive(ttl)).toThrow(`${RANGE}${shown}`);
  });

  test('fails on a duration known only at deploy', () => {
    expect(() => checkTimeToLive(Duration.minutes(Lazy.number({ produce: () => 90 }))))
      .toThrow('A time-to-live must be known at synth, got a token');
  });
});

describe('deadlineOf', () => {
  const at = (iso: string) => new Date(iso);

  test('keeps a deadline that falls on a whole minute', () => {
    expect(deadlineOf(at('2026-11-28T06:00:00.000Z'), Duration.minutes(90)).toISOString())
      .toBe('2026-11-28T07:30:00.000Z');
  });

  test('rounds a deadline one millisecond after a whole minute up to the next minute', () => {
    expect(deadlineOf(at('2026-11-28T06:00:00.001Z'), Duration.minutes(90)).toISOString())
      .toBe('2026-11-28T07:31:00.000Z');
  });

  test('rounds a deadline one millisecond before a whole minute up to that minute, never down', () => {
    expect(deadlineOf(at('2026-11-28T05:59:59.999Z'), Duration.minutes(90)).toISOString())
      .toBe('2026-11-28T07:30:00.000Z');
    expect(deadlineOf(at('2026-11-28T05:59:00.001Z'), Duration.minutes(90)).toISOString())
      .toBe('2026-11-28T07:30:00.000Z');
  });

  test('counts days across a month and a year', () => {
    expect(deadlineOf(at('2026-12-28T23:59:30Z'), Duration.days(7)).toISOString()).toBe('2027-01-05T00:00:00.000Z');
  });

  test('fails on an invalid date', () => {
    expect(() => deadlineOf(new Date('not a date'), Duration.minutes(90)))
      .toThrow('A time-to-live counts from a valid date, got Invalid Date');
  });
});

describe('formatDeadline and atExpression', () => {
  test('writes ISO 8601 in UTC to the second, with Z', () => {
    expect(formatDeadline(new Date('2026-11-28T07:30:00.000Z'))).toBe('2026-11-28T07:30:00Z');
    expect(formatDeadline(new Date('2027-01-05T03:04:05.000Z'))).toBe('2027-01-05T03:04:05Z');
  });

  test('drops milliseconds', () => {
    expect(formatDeadline(new Date('2026-11-28T07:30:00.999Z'))).toBe('2026-11-28T07:30:00Z');
    expect(atExpression(new Date('2026-11-28T07:30:00.999Z'))).toBe('at(2026-11-28T07:30:00)');
  });

  test('writes Scheduler\'s one-time expression without a zone', () => {
    expect(atExpression(new Date('2026-11-28T07:30:00Z'))).toBe('at(2026-11-28T07:30:00)');
    expect(atExpression(new Date('2027-01-05T03:04:05Z'))).toBe('at(2027-01-05T03:04:05)');
  });

  test('reads the date in UTC, never in the machine\'s zone', () => {
    // The tests may well run in UTC, where local and UTC fields agree: the local ones are made to fail instead.
    const date = new Date('2026-11-28T07:30:00Z');
    for (const getter of ['getFullYear', 'getMonth', 'getDate', 'getHours', 'getMinutes', 'getSeconds']) {
      Object.defineProperty(date, getter, { value: () => { throw new Error(`${getter} reads the local zone`); } });
    }
    expect(formatDeadline(date)).toBe('2026-11-28T07:30:00Z');
    expect(atExpression(date)).toBe('at(2026-11-28T07:30:00)');
  });
});
