import { execFileSync } from 'child_process';

/** One measured figure, with the target it is held to (if any). */
export interface BenchRow {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The figure must not exceed this. */
  readonly target?: number;
  /** How the figure was obtained, e.g. "median of 5 runs". */
  readonly note?: string;
}

/** A group of measurements that `npm run bench` runs and prints. */
export interface BenchSection {
  readonly title: string;
  run(): Promise<BenchRow[]>;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Wall-clock seconds of a command, run `runs` times; throws if the command fails. */
export function commandSeconds(
  command: string, args: readonly string[], runs: number, env: NodeJS.ProcessEnv = {},
): number[] {
  return Array.from({ length: runs }, () => {
    const start = process.hrtime.bigint();
    execFileSync(command, args, { stdio: 'pipe', env: { ...process.env, ...env } });
    return Number(process.hrtime.bigint() - start) / 1e9;
  });
}

export function formatRow(row: BenchRow): string {
  const verdict = row.target === undefined
    ? ''
    : row.value <= row.target
      ? `  (target <= ${row.target} ${row.unit}: met)`
      : `  (target <= ${row.target} ${row.unit}: MISSED)`;
  const note = row.note ? `  [${row.note}]` : '';
  return `  ${row.name.padEnd(52)} `
    + `${row.value.toFixed(row.unit === 's' ? 2 : 3).padStart(10)} ${row.unit}${verdict}${note}`;
}
