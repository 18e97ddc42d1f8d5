import { Check, CheckResult, runChecklist } from '../../lib/verify/checklist';
import type { LabVerifier } from '../../lib/verify/lab-verifier';
import { endWaitWhenSettled, StandIns, STILL } from './end-wait-when-settled';

// The test helper that ends verify's wait for a failing check once its verdict can no longer change: it must never
// end the wait while the verdict could still change, or the tests of the labs' failures would check a stale one.

const TIME_LIMIT_MS = 60_000;

/** Runs the checks as verify does, through the helper, with a time limit far beyond the test's timeout. */
async function runSettling(checks: Check[], standIns: StandIns, timeLimitMs = TIME_LIMIT_MS): Promise<CheckResult[]> {
  const verifier: LabVerifier = { outputs: [], checks: () => ({ checks }) };
  const endWait = endWaitWhenSettled(verifier, standIns, timeLimitMs);
  try {
    const { checks: wrapped } = verifier.checks({ stackName: 'Lab', outputs: {}, aws: {} as never });
    return await runChecklist(wrapped, { timeLimitMs, retryDelayMs: 1, print: () => undefined });
  } finally {
    endWait();
  }
}

const failing = (name: string, message: (tries: number) => string) => {
  const check = { name, tries: 0, run: async (): Promise<string> => { throw new Error(message(++check.tries)); } };
  return check;
};

test('ends the wait once a check fails alike twice with the stand-ins idle, then tries each later check once',
  async () => {
    const results = await runSettling([failing('down', () => 'no record yet'), failing('after', () => 'none')], STILL);
    expect(results.map(({ name, passed, seen, tries }) => [name, passed, seen, tries]))
      .toEqual([['down', false, 'no record yet', 2], ['after', false, 'none', 1]]);
  });

test('keeps trying while the stand-ins are busy, and ends two alike failures after they are idle', async () => {
  const check = failing('waits', () => 'still RUNNING');
  // Busy until the third try has ended: tries 4 and 5 are the first two with the stand-ins idle.
  const results = await runSettling([check], { started: () => 0, busy: () => check.tries < 3 });
  expect(results[0]).toEqual(expect.objectContaining({ passed: false, tries: 5 }));
});

test('keeps trying while the stand-ins start work during a try, though idle before and after it', async () => {
  let started = 0;
  const check = failing('moving', () => 'no record yet');
  // A piece of work starts during each of the first four tries.
  const results = await runSettling([check], {
    started: () => (check.tries < 4 ? ++started : started),
    busy: () => false,
  });
  expect(results[0].tries).toBe(5);
});

test('keeps trying while each failure differs from the one before, up to the real time limit', async () => {
  const check = failing('counting', (tries) => `${tries} of 20 recorded`);
  const started = Date.now();
  const results = await runSettling([check], STILL, 200);
  expect(results[0].tries).toBeGreaterThan(2);
  expect(Date.now() - started).toBeGreaterThanOrEqual(150);
});

test('lets a check pass that failed alike while the stand-ins worked, and ends a later check\'s wait on its own',
  async () => {
    const check = {
      name: 'warms up',
      tries: 0,
      run: async () => {
        if (++check.tries < 4) throw new Error('down');
        return 'up';
      },
    };
    const results = await runSettling([check, failing('after', () => 'none')],
      { started: () => 0, busy: () => check.tries < 3 });
    expect(results.map(({ passed, tries }) => [passed, tries])).toEqual([[true, 4], [false, 2]]);
  });

test('puts Date.now and the verifier back when it ends', async () => {
  const verifier: LabVerifier = { outputs: [], checks: () => ({ checks: [failing('down', () => 'x')] }) };
  const checks = verifier.checks;
  const endWait = endWaitWhenSettled(verifier, STILL, TIME_LIMIT_MS);
  const [wrapped] = verifier.checks({ stackName: 'Lab', outputs: {}, aws: {} as never }).checks;
  await expect(wrapped.run()).rejects.toThrow('x');
  await expect(wrapped.run()).rejects.toThrow('x');
  expect(Date.now() - performance.timeOrigin - performance.now()).toBeGreaterThan(TIME_LIMIT_MS - 1_000);
  endWait();
  expect(Math.abs(Date.now() - performance.timeOrigin - performance.now())).toBeLessThan(1_000);
  expect(verifier.checks).toBe(checks);
});
