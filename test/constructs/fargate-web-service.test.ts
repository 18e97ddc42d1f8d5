import { CfnParameter } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { FargateWebService, FargateWebServiceProps } from '../../lib/constructs/fargate-web-service';
import { constructTestStack } from '../helpers/construct-app';

// Validation throws in the constructor: a bare stack (no bundling of the service-linked role's handler) is enough.
const newStack = () => constructTestStack({}, 'Default');
const build = (props: Omit<FargateWebServiceProps, 'vpc'>, stack = newStack()) => {
  new FargateWebService(stack, 'WebApp', { vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 0 }), ...props });
  return stack;
};

/** Fargate's sizes: cpu, its lowest and highest memory (MiB), and the step between. */
const SIZES: [number, number, number, number][] = [
  [256, 512, 2048, 512],
  [512, 1024, 4096, 1024],
  [1024, 2048, 8192, 1024],
  [2048, 4096, 16384, 1024],
  [4096, 8192, 30720, 1024],
  [8192, 16384, 61440, 4096],
  [16384, 32768, 122880, 8192],
];

describe.each(SIZES)('cpu %d', (cpu, lowest, highest, step) => {
  test(`accepts its lowest memory, ${lowest} MiB, and its highest, ${highest} MiB`, () => {
    expect(() => build({ cpu, memoryLimitMiB: lowest })).not.toThrow();
    expect(() => build({ cpu, memoryLimitMiB: highest })).not.toThrow();
  });

  test(`fails one step below and above: ${lowest - step} and ${highest + step} MiB`, () => {
    // Only cpu 256 skips a step, and only its message lists its sizes.
    const allowed = `for cpu ${cpu}: ${lowest}-${highest} MiB in steps of ${step}`
      + (cpu === 256 ? ' (512, 1024 or 2048)' : '');
    expect(() => build({ cpu, memoryLimitMiB: lowest - step }))
      .toThrow(new Error(`Fargate does not offer cpu ${cpu} with memory ${lowest - step} MiB; ${allowed}`));
    expect(() => build({ cpu, memoryLimitMiB: highest + step }))
      .toThrow(new Error(`Fargate does not offer cpu ${cpu} with memory ${highest + step} MiB; ${allowed}`));
  });

  test(`fails between two steps: ${lowest + step / 2} MiB`, () => {
    expect(() => build({ cpu, memoryLimitMiB: lowest + step / 2 }))
      .toThrow(`Fargate does not offer cpu ${cpu} with memory ${lowest + step / 2} MiB`);
  });
});

test('fails on cpu 256 with 1536 MiB, the one step Fargate does not offer', () => {
  expect(() => build({ cpu: 256, memoryLimitMiB: 1536 })).toThrow(
    'Fargate does not offer cpu 256 with memory 1536 MiB; for cpu 256: 512-2048 MiB in steps of 512 '
      + '(512, 1024 or 2048)',
  );
  expect(() => build({ cpu: 256, memoryLimitMiB: 1024 })).not.toThrow();
});

test('fails on a cpu size Fargate does not offer', () => {
  expect(() => build({ cpu: 128, memoryLimitMiB: 512 })).toThrow('Fargate does not offer cpu 128 with memory 512 MiB; '
    + 'cpu is one of 256, 512, 1024, 2048, 4096, 8192, 16384');
});

test.each([
  ['cpu', { cpu: 'Cpu' }, { Cpu: { Ref: 'Cpu' }, Memory: '1024' }],
  ['memory', { memoryLimitMiB: 'Memory' }, { Cpu: '512', Memory: { Ref: 'Memory' } }],
])('leaves the size to ECS when the %s is only known at deploy time', (_label, parameters, expected) => {
  const stack = newStack();
  const props = Object.fromEntries(Object.entries(parameters).map(([prop, id]) =>
    [prop, new CfnParameter(stack, id, { type: 'Number' }).valueAsNumber]));
  Template.fromStack(build(props, stack)).hasResourceProperties('AWS::ECS::TaskDefinition', expected);
});

test('leaves a desiredCount known only at deploy time to ECS', () => {
  const stack = newStack();
  const desiredCount = new CfnParameter(stack, 'Count', { type: 'Number' }).valueAsNumber;
  Template.fromStack(build({ desiredCount }, stack))
    .hasResourceProperties('AWS::ECS::Service', { DesiredCount: { Ref: 'Count' } });
});

test('accepts a desiredCount of 0 (the service stays, with no task)', () => {
  Template.fromStack(build({ desiredCount: 0 })).hasResourceProperties('AWS::ECS::Service', { DesiredCount: 0 });
});

test.each([-1, 2.5])('fails on a desiredCount of %p', (desiredCount) => {
  expect(() => build({ desiredCount }))
    .toThrow(`desiredCount must be a whole number of tasks, 0 or more, got ${desiredCount}`);
});

test.each([0, 2, 4])('fails on a desiredCount of %p with autoScaling: the scaler owns the count', (desiredCount) => {
  expect(() => build({ desiredCount, autoScaling: true })).toThrow('desiredCount cannot be set with autoScaling, '
    + `got ${desiredCount}: the scaler owns the task count (2-4), and a desiredCount in the template would reset it `
    + 'on every deploy; leave desiredCount out');
});

test('accepts autoScaling without a desiredCount, and leaves DesiredCount out of the template', () => {
  const service = Object.values(Template.fromStack(build({ autoScaling: true })).findResources('AWS::ECS::Service'))[0];
  expect(service.Properties).not.toHaveProperty('DesiredCount');
});

test('runs 2 tasks by default, and the given desiredCount without autoScaling', () => {
  Template.fromStack(build({})).hasResourceProperties('AWS::ECS::Service', { DesiredCount: 2 });
  Template.fromStack(build({ desiredCount: 4, autoScaling: false }))
    .hasResourceProperties('AWS::ECS::Service', { DesiredCount: 4 });
});
