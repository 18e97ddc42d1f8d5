import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createApp } from '../../bin/labs';
import { reviewStack } from '../../lib/review/stack-review';
import { testAppProps } from '../helpers/synth';

// The users function's asset hash depends on its code only: not on the folder synth writes to, nor on where the
// checkout lives. Otherwise `npm run review` reports a change where there is none, and `cdk deploy` from a second
// clone of the same commit uploads the function again.
jest.setTimeout(240_000);

const ROOT = path.join(__dirname, '..', '..');
const LAB = 'LambdaUsersLab';
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'node-bundling-test-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** The lab's template, synthesized in this process into `outdir`, and the folder of the function's bundle. */
function synthInto(outdir: string): { template: any; bundle: string } {
  const assembly = createApp({ ...testAppProps(), outdir }, [LAB]).synth();
  const template = assembly.getStackByName(LAB).template;
  return { template, bundle: path.join(outdir, `asset.${functionAssetHash(template)}`) };
}

/** The asset hash of the users function, from its S3 key `<hash>.zip`. */
function functionAssetHash(template: any): string {
  const functions = Object.values<any>(template.Resources).filter((resource) => resource.Type === 'AWS::Lambda::Function' && resource.Properties.Environment?.Variables?.TABLE_NAME);
  expect(functions).toHaveLength(1);
  return /^([0-9a-f]{64})\.zip$/.exec(functions[0].Properties.Code.S3Key)![1];
}

const near = synthInto(path.join(scratch, 'out'));
const far = synthInto(path.join(scratch, 'a', 'much', 'deeper', 'output', 'folder'));

test('two synths into different output folders give the users function the same asset hash', () => {
  expect(functionAssetHash(far.template)).toBe(functionAssetHash(near.template));
});

test('npm run review compares them as unchanged, with no asset-only change', () => {
  const review = reviewStack(LAB, near.template, far.template);
  expect({ status: review.status, assetOnly: review.assetOnly }).toEqual({ status: 'unchanged', assetOnly: [] });
});

test('the source map names files from the project root, which a stack trace shows below /var/task/', () => {
  const map = JSON.parse(fs.readFileSync(path.join(near.bundle, 'index.js.map'), 'utf-8'));
  expect(map.sources).toEqual(expect.arrayContaining(['lambda/users/handler.ts', 'lambda/users/users.ts', 'lambda/users/users-repository.ts']));
  expect(map.sources.filter((source: string) => source.startsWith('..') || path.isAbsolute(source))).toEqual([]);
  expect(map.sources.filter((source: string) => !source.startsWith('lambda/users/')).every((source: string) => source.startsWith('node_modules/'))).toBe(true);
});

describe('a second checkout of the same code, its node_modules linked to this one (as npm run review does)', () => {
  const checkout = path.join(scratch, 'second', 'checkout');
  beforeAll(() => {
    for (const entry of ['bin', 'lib', 'labs', 'lambda', 'cdk.json', 'package.json', 'tsconfig.json', 'package-lock.json']) {
      fs.cpSync(path.join(ROOT, entry), path.join(checkout, entry), { recursive: true });
    }
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(checkout, 'node_modules'), 'dir');
    fs.writeFileSync(path.join(checkout, 'synth-users.ts'), [
      "import { createApp } from './bin/labs';",
      "import { cdkJsonContext } from './lib/cdk-json';",
      `const app = createApp({ context: cdkJsonContext(), outdir: process.argv[2], builtinCloudFormationValidation: false }, ['${LAB}']);`,
      `process.stdout.write(JSON.stringify(app.synth().getStackByName('${LAB}').template));`,
    ].join('\n'));
  });

  const synthInCheckout = (outdir: string) => {
    const result = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'synth-users.ts', outdir], { cwd: checkout, encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
    if (result.status !== 0) throw new Error(`synth in the second checkout failed:\n${result.stderr}`);
    return JSON.parse(result.stdout);
  };

  test('gives the users function the same asset hash', () => {
    expect(functionAssetHash(synthInCheckout(path.join(scratch, 'second-out')))).toBe(functionAssetHash(near.template));
  });

  test('gives it another asset hash once its code changes (the hash still follows the code)', () => {
    fs.appendFileSync(path.join(checkout, 'lambda', 'users', 'handler.ts'), '\nconsole.log("a changed handler");\n');
    expect(functionAssetHash(synthInCheckout(path.join(scratch, 'changed-out')))).not.toBe(functionAssetHash(near.template));
  });
});
