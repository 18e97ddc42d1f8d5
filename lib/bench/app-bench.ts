import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BenchSection, commandSeconds, median } from './measure';

const RUNS = 3;

function synthSeconds(extraArgs: string[]): number[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
  try {
    return commandSeconds('npx', ['cdk', 'synth', '-q', '-o', outdir, ...extraArgs], RUNS);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Whole-app synth (what `npx cdk synth` costs a student) and the full test suite. */
export const appBench: BenchSection = {
  title: 'App: synth and tests',
  async run() {
    const withValidator = synthSeconds([]);
    const withoutValidator = synthSeconds(['--no-validation']);
    const tests = commandSeconds('npx', ['jest', '--silent'], RUNS);
    return [
      { name: 'cdk synth, whole app, with the built-in validator', value: median(withValidator), unit: 's', target: 15, note: `median of ${RUNS}` },
      { name: 'cdk synth, whole app, without the validator', value: median(withoutValidator), unit: 's', note: `median of ${RUNS}` },
      { name: 'test suite (jest, all files)', value: median(tests), unit: 's', target: 60, note: `median of ${RUNS}` },
    ];
  },
};
