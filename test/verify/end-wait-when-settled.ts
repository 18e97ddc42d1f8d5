import { Check, describeError } from '../../lib/verify/checklist';
import type { LabVerifier } from '../../lib/verify/lab-verifier';
import { verifyLab, VerifyOptions } from '../../lib/verify/verify-lab';

/** What a test's stand-ins of a lab (its task, its workers, its function) are doing. */
export interface StandIns {
  /** How many pieces of work they have started so far. */
  started(): number;
  /** Whether some of it is still under way. */
  busy(): boolean;
}

/** Stand-ins that never change: a check that fails twice alike fails for good. */
export const STILL: StandIns = { started: () => 0, busy: () => false };

/**
 * verifyLab with `verifier`'s wait for a failing check ended once settled (endWaitWhenSettled): whether it passed,
 * and the lines it printed.
 */
export async function verifySettling(
  verifier: LabVerifier,
  standIns: StandIns,
  options: Omit<VerifyOptions, 'print'>,
): Promise<{ passed: boolean; lines: string[] }> {
  const lines: string[] = [];
  const endWait = endWaitWhenSettled(verifier, standIns, options.timeLimitMs);
  const passed = await verifyLab({ ...options, print: (line) => lines.push(line) }).finally(endWait);
  return { passed, lines };
}

/**
 * For one run of `verifier`'s checks: ends the checklist's wait for a failing check once its verdict can no longer
 * change, so that a test of a failure lasts as long as the failure takes to show rather than the whole time limit.
 * That is when the check has failed twice in a row with the same error, both times with the stand-ins idle from the
 * start of the try to its end: the world it looks at stood still, so a further try would see the same. Date.now then
 * skips `timeLimitMs` ahead, as if the time limit had been reached; the checklist still tries each later check once.
 * A failure seen while the stand-ins work is retried on the real clock, up to the real time limit.
 *
 * Sound only where the test's mocks answer every call alike: a mock whose answer changes from one call to the next
 * is a stand-in that is busy until it has given its last answer. Returns the function that ends it.
 */
export function endWaitWhenSettled(verifier: LabVerifier, standIns: StandIns, timeLimitMs: number): () => void {
  const realNow = Date.now;
  let skippedMs = 0;
  const now = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + skippedMs);
  const labChecks = verifier.checks.bind(verifier);
  const skip = () => { skippedMs = timeLimitMs; };
  const checks = jest.spyOn(verifier, 'checks').mockImplementation((context) => {
    const lab = labChecks(context);
    return { ...lab, checks: lab.checks.map((check) => untilSettled(check, standIns, skip)) };
  });
  return () => {
    now.mockRestore();
    checks.mockRestore();
  };
}

/** The check, calling `settled` when it fails as it failed on its previous try, the stand-ins idle both times. */
function untilSettled(check: Check, standIns: StandIns, settled: () => void): Check {
  let previous: string | undefined;
  return {
    name: check.name,
    run: async () => {
      const startedBefore = standIns.started();
      const idleBefore = !standIns.busy();
      try {
        return await check.run();
      } catch (error) {
        const stoodStill = idleBefore && !standIns.busy() && standIns.started() === startedBefore;
        const seen = stoodStill ? describeError(error) : undefined;
        if (seen !== undefined && seen === previous) settled();
        previous = seen;
        throw error;
      }
    },
  };
}
