/** One line of the checklist: a named check of a deployed lab. */
export interface Check {
  readonly name: string;
  /** Resolves with what was seen when the check passes; throws an error saying what was seen when it fails. */
  readonly run: () => Promise<string>;
}

export interface ChecklistOptions {
  /** After this, a failing check is not tried again (every check is still tried once). */
  readonly timeLimitMs: number;
  /** Pause between two tries of a failing check. */
  readonly retryDelayMs: number;
  /** Receives each line of the checklist as it is decided. */
  readonly print: (line: string) => void;
}

export interface CheckResult {
  readonly name: string;
  readonly passed: boolean;
  /** What was seen: the check's result, or the last error. */
  readonly seen: string;
  readonly tries: number;
}

/**
 * Runs the checks in order, retrying each failing one until it passes or the time limit is reached: a lab that was
 * just deployed needs minutes before its targets are healthy. Prints one line per check.
 */
export async function runChecklist(checks: readonly Check[], options: ChecklistOptions): Promise<CheckResult[]> {
  const deadline = Date.now() + options.timeLimitMs;
  const results: CheckResult[] = [];
  for (const check of checks) {
    const result = await runWithRetries(check, deadline, options.retryDelayMs);
    options.print(`${result.passed ? 'PASS' : 'FAIL'}  ${check.name}: ${result.seen}`
      + `${result.tries > 1 ? ` (try ${result.tries})` : ''}`);
    results.push(result);
  }
  return results;
}

async function runWithRetries(check: Check, deadline: number, retryDelayMs: number): Promise<CheckResult> {
  for (let tries = 1; ; tries++) {
    try {
      return { name: check.name, passed: true, seen: await check.run(), tries };
    } catch (error) {
      if (Date.now() + retryDelayMs >= deadline) {
        return { name: check.name, passed: false, seen: describeError(error), tries };
      }
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
    }
  }
}

/** A one-line description of why something failed, without a stack trace. */
export function describeError(error: unknown): string {
  // Duck-typed: errors from fetch may come from another realm (a test sandbox), where instanceof fails.
  if (typeof error !== 'object' || error === null || !('message' in error)) return String(error);
  const { name, message, cause } = error as {
    name?: string; message: string; cause?: { code?: string; message?: string }
  };
  // fetch hides the network error (ECONNREFUSED, ENOTFOUND, ...) in its cause.
  if (message === 'fetch failed' && cause) return `no answer (${cause.code ?? cause.message})`;
  if (name === 'TimeoutError') return 'no answer within the request timeout';
  return message;
}
