import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { parseArgs } from '../../bin/bench';
import { createFloorApp } from '../../lib/bench/floor-app';
import { runCommand } from '../helpers/run-command';

// npm run bench itself takes minutes and the whole machine; these check its command line and its floor app.
jest.setTimeout(60_000);

test('reads --help and -h, runs with no arguments, and refuses anything else', () => {
  expect(parseArgs([])).toBe('run');
  expect(parseArgs(['--help'])).toBe('help');
  expect(parseArgs(['-h'])).toBe('help');
  expect(() => parseArgs(['--quick'])).toThrow('unknown option --quick');
});

test('npm run bench -- --help prints its usage and exits 0 without measuring anything', async () => {
  const { code, stdout, stderr } = await runCommand('bin/bench.ts', ['--help']);
  expect(stdout).toMatch(/^Usage: npm run bench/);
  expect(stdout).toContain('the floor');
  expect(stderr).toBe('');
  expect(code).toBe(0);
});

describe('the floor app', () => {
  let assemblyDir: string;

  beforeAll(() => {
    assemblyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-floor-test-'));
    const app = new App({ outdir: assemblyDir, builtinCloudFormationValidation: false });
    const one = new Stack(app, 'OneLab');
    new dynamodb.Table(one, 'Table', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new sqs.Queue(new Stack(app, 'TwoLab'), 'Queue');
    app.synth();
  });

  afterAll(() => fs.rmSync(assemblyDir, { recursive: true, force: true }));

  test('has one stack per stack of the assembly, each with the same resources, parameters and rules', () => {
    // test/app.test.ts runs the validator
    const floor = createFloorApp(assemblyDir, { builtinCloudFormationValidation: false }).synth();
    expect(floor.stacks.map((stack) => stack.stackName).sort()).toEqual(['OneLab', 'TwoLab']);
    for (const stack of floor.stacks) {
      const original = JSON.parse(fs.readFileSync(path.join(assemblyDir, `${stack.stackName}.template.json`), 'utf-8'));
      expect(stack.template).toEqual(original);
    }
  });
});
