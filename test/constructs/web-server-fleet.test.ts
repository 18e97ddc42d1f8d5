import { CfnParameter } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import { LabVpc } from '../../lib/constructs/lab-vpc';
import { fixedImage, WebServerFleet, WebServerFleetProps } from '../../lib/constructs/web-server-fleet';
import { constructTestStack } from '../helpers/construct-app';

/** A WebServerFleet in a bare stack: its validations throw in the constructor, so nothing is synthesized. */
function fleet(props: Omit<WebServerFleetProps, 'vpc'> = {}) {
  const stack = constructTestStack({}, 'Default');
  const built = new WebServerFleet(stack, 'WebServers', { vpc: new LabVpc(stack, 'Network').vpc, ...props });
  const group = built.autoScalingGroup.node.defaultChild as autoscaling.CfnAutoScalingGroup;
  const policy = stack.node.findAll()
    .find((construct) => construct instanceof autoscaling.CfnScalingPolicy) as autoscaling.CfnScalingPolicy;
  return {
    stack,
    sizes: { min: group.minSize, max: group.maxSize, desired: group.desiredCapacity },
    cpuTarget: (stack.resolve(policy.targetTrackingConfiguration) as any).targetValue,
  };
}

const wholeNumberMessage = (name: string, value: number) => new Error(
  `${name} must be a whole number of instances, 0 or more, got ${value}`,
);
const cpuMessage = (value: number) => new Error(`cpuTargetPercent must be more than 0 and at most 100, got ${value}`);
const amiMessage = (value: string) => new Error(
  'amiId must be an AMI id such as "ami-0abcdef1234567890" (ami- and 8 or 17 hex digits), '
    + `got ${JSON.stringify(value)}`,
);

describe('capacities', () => {
  test('keep 2 to 4 instances by default, starting at the minimum with no desired capacity', () => {
    expect(fleet().sizes).toEqual({ min: '2', max: '4', desired: undefined });
  });

  test.each<[Omit<WebServerFleetProps, 'vpc'>, string, { min: string; max: string }]>([
    [{ minCapacity: 3 }, 'a raised minimum, which is how the group starts with more', { min: '3', max: '4' }],
    [{ minCapacity: 4, maxCapacity: 4 }, 'minimum equal to maximum', { min: '4', max: '4' }],
    [{ minCapacity: 0, maxCapacity: 0 }, 'zero', { min: '0', max: '0' }],
    [{ minCapacity: 0 }, 'a minimum of zero', { min: '0', max: '4' }],
  ])('accept %p (%s), never writing a desired capacity', (props, _label, sizes) => {
    expect(fleet(props).sizes).toEqual({ ...sizes, desired: undefined });
  });

  test.each([
    [{ minCapacity: 5 }, 'minCapacity (5) must not be more than maxCapacity (4)'],
    [{ minCapacity: 3, maxCapacity: 2 }, 'minCapacity (3) must not be more than maxCapacity (2)'],
    [{ minCapacity: 1, maxCapacity: 0 }, 'minCapacity (1) must not be more than maxCapacity (0)'],
  ])('fail on %p, a minimum above the maximum', (props, message) => {
    expect(() => fleet(props)).toThrow(new Error(message));
  });

  test.each([
    ['minCapacity', -1],
    ['minCapacity', 1.5],
    ['maxCapacity', -1],
    ['maxCapacity', 4.5],
  ] as const)('fail on %s %p, not a whole number of instances', (name, value) => {
    expect(() => fleet({ [name]: value })).toThrow(wholeNumberMessage(name, value));
  });

  test.each([
    ['minCapacity', 'maxCapacity'],
    ['maxCapacity', 'minCapacity'],
  ] as const)('are left to CloudFormation when %s is only known at deploy time', (deployTime, known) => {
    const stack = constructTestStack({}, 'Default');
    const parameter = new CfnParameter(stack, 'Capacity', { type: 'Number' }).valueAsNumber;
    const built = new WebServerFleet(stack, 'WebServers', {
      vpc: new LabVpc(stack, 'Network').vpc,
      [deployTime]: parameter,
      [known]: 1,
    });
    const group = built.autoScalingGroup.node.defaultChild as autoscaling.CfnAutoScalingGroup;
    expect(stack.resolve({ min: group.minSize, max: group.maxSize }))
      .toEqual({ min: '1', max: '1', [deployTime === 'minCapacity' ? 'min' : 'max']: { Ref: 'Capacity' } });
  });
});

describe('cpuTargetPercent', () => {
  test('is 50 by default', () => {
    expect(fleet().cpuTarget).toBe(50);
  });

  test.each([0.1, 100])('accepts %p', (cpuTargetPercent) => {
    expect(fleet({ cpuTargetPercent }).cpuTarget).toBe(cpuTargetPercent);
  });

  test.each([0, -1, 100.1, NaN])('fails on %p', (cpuTargetPercent) => {
    expect(() => fleet({ cpuTargetPercent })).toThrow(cpuMessage(cpuTargetPercent));
  });

  test('is left to Auto Scaling when only known at deploy time', () => {
    const stack = constructTestStack({}, 'Default');
    const cpuTargetPercent = new CfnParameter(stack, 'CpuTarget', { type: 'Number' }).valueAsNumber;
    new WebServerFleet(stack, 'WebServers', { vpc: new LabVpc(stack, 'Network').vpc, cpuTargetPercent });
    const policy = stack.node.findAll()
      .find((construct) => construct instanceof autoscaling.CfnScalingPolicy) as autoscaling.CfnScalingPolicy;
    expect((stack.resolve(policy.targetTrackingConfiguration) as any).targetValue).toEqual({ Ref: 'CpuTarget' });
  });
});

describe('fixedImage (amiId)', () => {
  test.each(['ami-12345678', 'ami-0f9a0f9a', 'ami-0abcdef1234567890', 'ami-9f0a9f0a9f0a9f0a9'])(
    'launches %s (8 or 17 hex digits, each from 0 to 9 and a to f)', (amiId) => {
      expect(fixedImage(amiId).getImage(constructTestStack({}, 'Default')).imageId).toBe(amiId);
    });

  test.each([
    ['ami-1234567', '7 digits'],
    ['ami-123456789', '9 digits'],
    ['ami-0abcdef123456789', '16 digits'],
    ['ami-0abcdef12345678901', '18 digits'],
    ['ami-ABCDEF12', '8 digits in uppercase'],
    ['ami-0ABCDEF1234567890', '17 digits in uppercase'],
    ['ami-0abcdefg', 'a letter that is not hex'],
    ['0abcdef1234567890', 'no ami- prefix'],
    [' ami-12345678', 'a leading space'],
  ])('fails on %p (%s)', (amiId) => {
    expect(() => fixedImage(amiId)).toThrow(amiMessage(amiId));
  });
});
