import * as v8 from 'v8';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { createApp, LABS } from '../bin/labs';
import { CLASSROOM_SETUP_STACK } from '../lib/classroom/student';
import { WITHOUT_BUNDLING } from '../lib/cdk-json';
import { synthesize, testAppProps } from './helpers/synth';

// The one test file that runs aws-cdk-lib's built-in CloudFormation validator: its engine starts once per
// process, so the whole app is checked here (as `cdk synth` builds it, and in classroom mode with a time-to-live)
// and the per-lab files synthesize without it. Neither bundles the functions' code: the validator reads templates,
// and the shared synth of each lab (test/helpers/synth.ts) bundles it as `cdk synth` does.
//
// The validator is 9 MB of WebAssembly that runs for a few seconds. V8's optimizing tier recompiles its hot functions
// in the background, for longer than the checks run: its baseline compiler alone costs this file about 2.5 s less CPU
// (13.1 and 14.4 s against 15.6 and 16.6 s in alternate runs). It is set before the first synth compiles the engine.
v8.setFlagsFromString('--liftoff-only');
const whole = synthesize(createApp(testAppProps({ validator: true, context: WITHOUT_BUNDLING })));
const classroom = synthesize(createApp(testAppProps({
  validator: true, context: { ...WITHOUT_BUNDLING, student: 'alice', ttl: '2h' },
})));

test('synthesizes every lab with zero findings: validator errors and warnings, cdk-nag, lab guardrails', () => {
  expect(whole.error).toBeUndefined();
  expect(whole.violations).toEqual([]);
});

test('synthesizes a student\'s labs with a time-to-live with zero findings too', () => {
  expect(classroom.error).toBeUndefined();
  expect(classroom.violations).toEqual([]);
  expect(Object.keys(classroom.templates).sort()).toEqual(Object.keys(LABS).map((lab) => `alice-${lab}`).sort());
});

test('writes one template per registered lab, each named <Thing>Lab, and the instructor\'s ClassroomSetup', () => {
  const labs = Object.keys(whole.templates).filter((name) => name !== CLASSROOM_SETUP_STACK);
  expect(labs.sort()).toEqual(Object.keys(LABS).sort());
  expect(Object.keys(whole.templates)).toContain(CLASSROOM_SETUP_STACK);
  for (const name of labs) expect(name).toMatch(/^[A-Z][A-Za-z0-9]*Lab$/);
});

test('keeps every lab environment-agnostic', () => {
  for (const environment of Object.values(whole.environments))
    expect(environment).toBe('aws://unknown-account/unknown-region');
});

test('has no NAT gateway and nothing kept after delete in any template', () => {
  for (const template of [...Object.values(whole.templates), ...Object.values(classroom.templates)]) {
    for (const resource of Object.values<any>(template.Resources)) {
      expect(resource.Type).not.toBe('AWS::EC2::NatGateway');
      expect(['Retain', 'Snapshot', 'RetainExceptOnCreate']).not.toContain(resource.DeletionPolicy);
      expect(['Retain', 'Snapshot', 'RetainExceptOnCreate']).not.toContain(resource.UpdateReplacePolicy);
    }
  }
});

describe('the built-in validator, configured by cdk.json', () => {
  function synthWithValidator(build: (stack: Stack) => void) {
    const app = new App(testAppProps({ validator: true }));
    build(new Stack(app, 'TestLab'));
    return synthesize(app);
  }

  test('fails synth on an error: a retired Lambda runtime', () => {
    const result = synthWithValidator((stack) => new lambda.CfnFunction(stack, 'Fn', {
      code: { zipFile: 'exports.handler = async () => 1;' },
      handler: 'index.handler',
      runtime: 'nodejs14.x',
      role: 'arn:aws:iam::123456789012:role/lab',
    }));
    expect(result.error).toBeDefined();
    expect(result.violations).toContainEqual(expect.objectContaining({
      plugin: 'CloudFormation Validate',
      rule: 'E2531',
      severity: 'error',
    }));
  });

  test('reports a warning: SSH open to the world', () => {
    // aws-cdk-lib prints the warnings it reports on stderr: here the warning is the expected result, checked, not
    // shown.
    const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const result = synthWithValidator((stack) => new ec2.CfnSecurityGroup(stack, 'Ssh', {
        groupDescription: 'SSH from anywhere',
        securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '0.0.0.0/0' }],
      }));
      expect(result.violations).toContainEqual(expect.objectContaining({
        plugin: 'CloudFormation Validate',
        rule: 'W2508',
        severity: 'warning',
      }));
      expect(printed.mock.calls.flat().join('\n')).toMatch(/W2508/);
    } finally {
      printed.mockRestore();
    }
  });
});
