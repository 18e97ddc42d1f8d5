import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FLOOR_TEMPLATES_DIR } from './floor-app';
import { BenchSection, commandSeconds, median } from './measure';

const RUNS = 3;
const ROOT = path.join(__dirname, '..', '..');

/** The floor app, run the way cdk.json runs the labs' app (same runner, same CLI, same context and validator). */
function floorAppCommand(): string {
  const app: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf-8')).app;
  const runner = app.replace(/\s+\S+$/, ''); // e.g. "node --require tsx/cjs" of "node --require tsx/cjs bin/labs.ts"
  return `${runner} ${path.join('lib', 'bench', 'floor-app.ts')}`;
}

function cdkSynth(outdir: string, args: readonly string[] = [], env: NodeJS.ProcessEnv = {}): number {
  return commandSeconds('npx', ['cdk', 'synth', '-q', '-o', outdir, ...args], 1, env)[0];
}

/**
 * Whole-app synth (what `npx cdk synth` costs a student) and the full test suite, each against the floor: a bare
 * aws-cdk-lib app with the same resources (floor-app.ts), synthesized with the validator in the same run. Ratios,
 * because a shared machine's load moves every absolute figure; the runs alternate so load hits both alike.
 */
export const appBench: BenchSection = {
  title: 'App: synth and tests, against a bare app with the same resources',
  async run() {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
    try {
      const labsDir = path.join(scratch, 'labs');
      const withoutValidator = Array.from({ length: RUNS }, () => cdkSynth(labsDir, ['--no-validation']));
      const floor: number[] = [];
      const withValidator: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        floor.push(cdkSynth(
          path.join(scratch, 'floor'),
          ['--app', floorAppCommand()],
          { [FLOOR_TEMPLATES_DIR]: labsDir },
        ));
        withValidator.push(cdkSynth(path.join(scratch, 'app')));
      }
      const tests = commandSeconds('npm', ['test', '--silent'], RUNS);
      const floorSeconds = median(floor);
      const note = `median of ${RUNS}`;
      return [
        { name: 'floor: bare app, same resources, with the validator', value: floorSeconds, unit: 's', note },
        { name: 'cdk synth, whole app, with the built-in validator', value: median(withValidator), unit: 's', note },
        { name: 'cdk synth, whole app, --no-validation', value: median(withoutValidator), unit: 's', note },
        { name: 'npm test (type-check and every test)', value: median(tests), unit: 's', note },
        { name: 'cdk synth, whole app / floor', value: median(withValidator) / floorSeconds, unit: 'x', target: 1.5 },
        { name: 'npm test / floor', value: median(tests) / floorSeconds, unit: 'x', target: 11 },
      ];
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  },
};
