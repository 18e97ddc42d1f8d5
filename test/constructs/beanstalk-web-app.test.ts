import * as path from 'path';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { BeanstalkAppLab, BeanstalkAppLabProps } from '../../labs/beanstalk-app/beanstalk-app-stack';
import { BeanstalkPlatform } from '../../lib/constructs/beanstalk-platform';
import { BeanstalkWebApp, BeanstalkWebAppProps } from '../../lib/constructs/beanstalk-web-app';
import { constructTestApp, constructTestStack } from '../helpers/construct-app';

// Validation throws in the constructors: bare stacks are enough, and fast.
const APP_FOLDER = path.join(__dirname, '..', '..', 'labs', 'beanstalk-app', 'app');
const PLATFORM_ARN = 'arn:aws:elasticbeanstalk:us-east-1::platform/Node.js 22 running on 64bit Amazon Linux 2023/6.6.0';

const webApp = (props: Partial<BeanstalkWebAppProps>) => {
  const stack = constructTestStack({}, 'Default');
  return new BeanstalkWebApp(stack, 'WebApp', {
    vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 0 }),
    sourcePath: APP_FOLDER,
    platformArn: PLATFORM_ARN,
    ...props,
  });
};
const platform = (branchName: string | undefined, lookupToken?: string) => new BeanstalkPlatform(
  constructTestStack({}, 'Default'),
  'Platform',
  { branchName, lookupToken },
);
const lab = (props: BeanstalkAppLabProps) => new BeanstalkAppLab(constructTestApp(), 'Lab', props);

describe('BeanstalkWebApp', () => {
  test.each(['/', '/health', '/status/ready.json', '/a_b-c'])('accepts the health-check path %p', (healthCheckPath) => {
    expect(() => webApp({ healthCheckPath })).not.toThrow();
  });

  test.each([
    '', 'health', 'app/health', '/health?full=1', '/he alth', '/health#x', '/\\evil.example',
  ])('fails on the health-check path %p', (healthCheckPath) => {
    expect(() => webApp({ healthCheckPath })).toThrow(
      `healthCheckPath must be a URL path starting with "/", got ${JSON.stringify(healthCheckPath)}`,
    );
  });

  test('accepts an environment variable name of 128 characters, and one of 1', () => {
    expect(() => webApp({ environmentVariables: { ['A'.repeat(128)]: 'x', _: 'y' } })).not.toThrow();
  });

  test.each(['A', 'Z', 'a', 'z', '_', 'xAZaz09_'])('accepts the environment variable name %p', (name) => {
    expect(() => webApp({ environmentVariables: { [name]: 'x' } })).not.toThrow();
  });

  test('fails on an environment variable name of 129 characters', () => {
    expect(() => webApp({ environmentVariables: { ['A'.repeat(129)]: 'x' } })).toThrow(
      'environment variable names must be 1-128 letters, digits and _, not starting with a digit, '
        + `got "${'A'.repeat(129)}" (129 characters)`,
    );
  });

  test.each(['', '1APP_COLOR', 'APP-COLOR', 'APP COLOR'])('fails on the environment variable name %p', (name) => {
    expect(() => webApp({ environmentVariables: { [name]: 'x' } })).toThrow(
      'environment variable names must be 1-128 letters, digits and _, not starting with a digit',
    );
  });
});

describe('BeanstalkPlatform', () => {
  test('accepts a branch name of 100 characters, of 1, and the default branch', () => {
    expect(() => platform('N'.repeat(100))).not.toThrow();
    expect(() => platform('N')).not.toThrow();
    expect(() => platform(undefined)).not.toThrow();
  });

  test('accepts every character a branch name may have: letters, digits, spaces, ".", "_", "-", "(" and ")"', () => {
    expect(() => platform('Docker running on 64bit Amazon Linux 2023 (v4.1_beta-2)')).not.toThrow();
  });

  test.each(['N'.repeat(101), '', 'Node.js/22'])('fails on the branch name %p, saying what a name may be',
    (branchName) => {
      expect(() => platform(branchName)).toThrow(new Error('branchName must be an Elastic Beanstalk platform branch '
        + 'name such as "Node.js 22 running on 64bit Amazon Linux 2023" (1-100 letters, digits, spaces, ".", "_", "-", '
        + `"(" or ")"), got ${JSON.stringify(branchName)}`));
    });

  test('accepts a lookup token of 1 and of 32 characters', () => {
    expect(() => platform(undefined, '1')).not.toThrow();
    expect(() => platform(undefined, 'a'.repeat(32))).not.toThrow();
    expect(() => platform(undefined, '2026-11-27_v1.2')).not.toThrow();
  });

  test.each(['', 'a'.repeat(33), '2026 11 27', '$(date)', 'a/b'])('fails on the lookup token %p', (token) => {
    expect(() => platform(undefined, token)).toThrow(
      'lookupToken must be 1-32 letters, digits, ".", "_" or "-" (such as a date, $(date +%F)), '
        + `got ${JSON.stringify(token)}`,
    );
  });
});

describe('BeanstalkAppLab', () => {
  test.each(['blue', 'rebeccapurple', '#369', '#336699', '#ABCDEF'])('accepts the appColor %p', (appColor) => {
    expect(() => lab({ appColor })).not.toThrow();
  });

  test.each([
    '', 'bluish', '#36', '#3369', '#3366990', '#gggggg', 'red;background:url(x)',
  ])('fails on the appColor %p', (appColor) => {
    expect(() => lab({ appColor })).toThrow(
      'appColor must be a CSS colour name (e.g. "red", "rebeccapurple") or a #rgb/#rrggbb value, '
        + `got ${JSON.stringify(appColor)}`,
    );
  });

  test.each([
    PLATFORM_ARN,
    'arn:aws-cn:elasticbeanstalk:cn-north-1::platform/Node.js 22 running on 64bit Amazon Linux 2023/6.6.0',
    'arn:aws-us-gov:elasticbeanstalk:us-gov-west-1::platform/Node.js 22 running on 64bit Amazon Linux 2023/6.6.0',
  ])('accepts the platformArn %p', (platformArn) => {
    expect(() => lab({ platformArn })).not.toThrow();
  });

  test.each([
    '64bit Amazon Linux 2023 v6.6.0 running Node.js 22',
    'arn:aws:elasticbeanstalk:us-east-1::platform/',
    'arn:aws:elasticbeanstalk:us-east-1::solutionstack/64bit Amazon Linux 2023 v6.6.0 running Node.js 22',
    'arn:aws:ec2:us-east-1::platform/Node.js 22 running on 64bit Amazon Linux 2023/6.6.0',
  ])('fails on the platformArn %p', (platformArn) => {
    expect(() => lab({ platformArn })).toThrow(
      `platformArn must be an Elastic Beanstalk platform ARN such as "${PLATFORM_ARN}", `
        + `got ${JSON.stringify(platformArn)}`,
    );
  });

  test('accepts a platformLookup of 1 and of 32 characters', () => {
    expect(() => lab({ platformLookup: '1' })).not.toThrow();
    expect(() => lab({ platformLookup: 'a'.repeat(32) })).not.toThrow();
  });

  test.each(['', 'a'.repeat(33), '27 Nov', '$(reboot)'])('fails on the platformLookup %p', (platformLookup) => {
    expect(() => lab({ platformLookup })).toThrow(
      'platformLookup must be 1-32 letters, digits, ".", "_" or "-" (such as a date, $(date +%F)), '
        + `got ${JSON.stringify(platformLookup)}`,
    );
  });

  test('fails on a platformLookup with a platformArn, which fixes the version', () => {
    expect(() => lab({ platformLookup: '2026-11-27', platformArn: PLATFORM_ARN })).toThrow(
      'platformLookup ("2026-11-27") looks the recommended platform version up again, '
        + 'which platformArn replaces with a fixed version: set one of them',
    );
  });
});
