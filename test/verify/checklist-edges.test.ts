import { Check, runChecklist, describeError } from '../../lib/verify/checklist';

// The checklist's retry rule on a clock the test sets: a failing check is tried again only while
// now + retryDelayMs is before the deadline (start + timeLimitMs).
let clock = 0;
beforeEach(() => {
  clock = 0;
  jest.spyOn(Date, 'now').mockImplementation(() => clock);
});
afterEach(() => jest.restoreAllMocks());

const run = async (checks: Check[], timeLimitMs = 100, retryDelayMs = 10) => {
  const lines: string[] = [];
  const results = await runChecklist(checks, { timeLimitMs, retryDelayMs, print: (line) => lines.push(line) });
  return { results, lines };
};

/** A check that fails at each of the given times, then passes. */
const failingAt = (name: string, times: number[]): Check & { calls: number } => {
  const check = {
    name,
    calls: 0,
    run: async () => {
      const time = times[check.calls++];
      if (time === undefined) return 'ready';
      clock = time;
      throw new Error(`not yet at ${time}`);
    },
  };
  return check;
};

test('passes a check on the first try without a try count', async () => {
  const { results, lines } = await run([{ name: 'up', run: async () => 'HTTP 200' }]);
  expect(results).toEqual([{ name: 'up', passed: true, seen: 'HTTP 200', tries: 1 }]);
  expect(lines).toEqual(['PASS  up: HTTP 200']);
});

test('passes a check on its second try and says "(try 2)"', async () => {
  const { results, lines } = await run([failingAt('warms up', [0])]);
  expect(results).toEqual([{ name: 'warms up', passed: true, seen: 'ready', tries: 2 }]);
  expect(lines).toEqual(['PASS  warms up: ready (try 2)']);
});

test('tries again when the pause ends 1 ms before the deadline', async () => {
  // deadline 100: failing at 89, 89 + 10 = 99 < 100, so it tries again and passes.
  const { results } = await run([failingAt('late', [89])]);
  expect(results[0]).toEqual(expect.objectContaining({ passed: true, tries: 2 }));
});

test('gives up when the pause would end exactly at the deadline, with the last error and the try count', async () => {
  // deadline 100: failing at 89 (tries again), then at 90 (90 + 10 = 100: gives up).
  const check = failingAt('never ready', [89, 90]);
  const { results, lines } = await run([check]);
  expect(results).toEqual([{ name: 'never ready', passed: false, seen: 'not yet at 90', tries: 2 }]);
  expect(check.calls).toBe(2);
  expect(lines).toEqual(['FAIL  never ready: not yet at 90 (try 2)']);
});

test('fails a check on its only try, without a try count, when the first failure is already past '
  + 'the deadline', async () => {
  const { results, lines } = await run([failingAt('down', [500])]);
  expect(results).toEqual([{ name: 'down', passed: false, seen: 'not yet at 500', tries: 1 }]);
  expect(lines).toEqual(['FAIL  down: not yet at 500']);
});

test('tries every check once after the deadline, in order, and reports each', async () => {
  const late = failingAt('second', [600]);
  const { results, lines } = await run([failingAt('first', [500]), late, { name: 'third', run: async () => 'up' }]);
  expect(results.map((result) => [result.name, result.passed, result.tries]))
    .toEqual([['first', false, 1], ['second', false, 1], ['third', true, 1]]);
  expect(late.calls).toBe(1);
  expect(lines).toEqual(['FAIL  first: not yet at 500', 'FAIL  second: not yet at 600', 'PASS  third: up']);
});

test('waits retryDelayMs between two tries', async () => {
  jest.restoreAllMocks();
  const started = performance.now();
  const times: number[] = [];
  let tries = 0;
  const lines: string[] = [];
  await runChecklist([{
    name: 'slow',
    run: async () => {
      times.push(performance.now());
      if (++tries < 2) throw new Error('no');
      return 'ok';
    },
  }], { timeLimitMs: 5_000, retryDelayMs: 60, print: (line) => lines.push(line) });
  expect(times[1] - times[0]).toBeGreaterThanOrEqual(55);
  expect(performance.now() - started).toBeLessThan(4_000);
  expect(lines).toEqual(['PASS  slow: ok (try 2)']);
});

describe('describeError', () => {
  test.each([
    ['a string', 'boom', 'boom'],
    ['a number', 42, '42'],
    ['null', null, 'null'],
    ['undefined', undefined, 'undefined'],
    ['an object without a message', { code: 'E1' }, '[object Object]'],
  ])('describes %s by its text', (_what, error, expected) => {
    expect(describeError(error)).toBe(expected);
  });

  test('describes an error by its message', () => {
    expect(describeError(new Error('GET http://x answered 500'))).toBe('GET http://x answered 500');
  });

  test('describes an error from another realm (not instanceof Error) by its message', () => {
    expect(describeError({ name: 'Error', message: 'from a sandbox' })).toBe('from a sandbox');
  });

  test('says "no answer" with the network error code that fetch hides in its cause', () => {
    expect(describeError(new TypeError('fetch failed', {
      cause: { code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND x' },
    }))).toBe('no answer (ENOTFOUND)');
  });

  test('says "no answer" with the cause\'s message when the cause has no code', () => {
    expect(describeError(new TypeError('fetch failed', { cause: { message: 'other side closed' } })))
      .toBe('no answer (other side closed)');
  });

  test('keeps "fetch failed" when fetch gives no cause', () => {
    expect(describeError(new TypeError('fetch failed'))).toBe('fetch failed');
  });

  test('keeps another message that has a cause', () => {
    expect(describeError(new Error('bad gateway', { cause: { code: 'E502' } }))).toBe('bad gateway');
  });

  test('says a timed-out request got no answer within the request timeout', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(describeError(timeout)).toBe('no answer within the request timeout');
  });

  test('describes an abort that is not a timeout by its message', () => {
    expect(describeError(new DOMException('This operation was aborted', 'AbortError')))
      .toBe('This operation was aborted');
  });
});
