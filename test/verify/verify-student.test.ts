import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { CloudFormationClient, DescribeStacksCommand, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { parseArgs } from '../../bin/verify';
import { awsClients } from '../../lib/aws/clients';
import { CannotRunError } from '../../lib/cli';
import { timeLeftLine, verifyLab } from '../../lib/verify/verify-lab';
import { VERIFIED_LABS } from '../../lib/verify/verified-labs';
import { serveStandIn, StandIn } from '../helpers/http-stand-in';
import { environmentWithoutAws, runCommand } from '../helpers/run-command';
import { webServerPage } from '../helpers/web-server-page';

// npm run verify -- <Lab> --student <name>: the student's copy of the lab, the stack <name>-<Lab>, and the time left
// before a stack with a time-to-live deletes itself. The AWS API answers are mocked: there is no AWS account here.
jest.setTimeout(30_000);

const cloudFormation = mockClient(CloudFormationClient);
const autoScaling = mockClient(AutoScalingClient);
const elbv2 = mockClient(ElasticLoadBalancingV2Client);

const standIns: StandIn[] = [];
beforeEach(() => [cloudFormation, autoScaling, elbv2].forEach((mock) => mock.reset()));
afterEach(async () => {
  await Promise.all(standIns.splice(0).map((server) => server.close()));
});

describe('--student on the command line', () => {
  test('reads a student, and leaves it out of the arguments without one', () => {
    expect(parseArgs(['LambdaUsersLab', '--student', 'alice'], {}))
      .toEqual({ stackName: 'LambdaUsersLab', student: 'alice', localOrigin: undefined, timeLimitMs: 600_000 });
    expect(parseArgs(['--student', 'team-3', 'SqsWorkersLab', '--wait-scale-in'], {})).toEqual({
      stackName: 'SqsWorkersLab', student: 'team-3', localOrigin: undefined, timeLimitMs: 1_200_000, waitScaleIn: true,
    });
    expect(parseArgs(['LambdaUsersLab'], {})).not.toHaveProperty('student');
  });

  test('accepts names of 1 and 20 characters, digits and hyphens after a first letter', () => {
    for (const name of ['a', 'abcdefghijklmnopqrst', 'team-3', 'a-1-b']) {
      expect(parseArgs(['LambdaUsersLab', '--student', name], {})).toMatchObject({ student: name });
    }
  });

  test.each([
    ['an empty name', ''],
    ['a name of 21 characters', 'abcdefghijklmnopqrstu'],
    ['uppercase', 'Alice'],
    ['a leading digit', '3team'],
    ['a leading hyphen', '-alice'],
    ['an underscore', 'al_ice'],
  ])('fails on %s, saying what a name may be', (_, name) => {
    expect(() => parseArgs(['LambdaUsersLab', '--student', name], {}))
      .toThrow(`A student name is 1-20 lowercase letters, digits or hyphens, starting with a letter (for example alice `
        + `or team-3), got ${JSON.stringify(name)}`);
  });

  test('fails on --student without a name', () => {
    expect(() => parseArgs(['LambdaUsersLab', '--student'], {}))
      .toThrow('--student needs a name: 1-20 lowercase letters, digits or hyphens, starting with a letter');
  });

  test('fails on --student with --local, in either order: the local run belongs to no student', () => {
    const message = '--student names a student\'s stack in AWS, and --local checks npm run local on this machine, '
      + 'which has no student: use one or the other';
    expect(() => parseArgs(['LambdaUsersLab', '--student', 'alice', '--local'], {})).toThrow(message);
    expect(() => parseArgs(['LambdaUsersLab', '--local', '--student', 'alice'], {})).toThrow(message);
  });

  test('exits 2 with the rule and the usage on a bad name, before looking at AWS', async () => {
    const { code, stderr } = await runCommand(
      'bin/verify.ts', ['LambdaUsersLab', '--student', 'Alice'], environmentWithoutAws({ AWS_REGION: 'us-east-1' }),
    );
    expect(stderr).toMatch(/^A student name is 1-20 lowercase letters.*got "Alice"\n\nUsage: npm run verify -- /);
    expect(stderr).toContain('--student <name>     classroom mode: check that student\'s copy');
    expect(code).toBe(2);
  });
});

const clients = () => awsClients({
  region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

function deployed(stackName: string, outputs: Record<string, string>): void {
  cloudFormation.on(DescribeStacksCommand, { StackName: stackName }).resolves({
    Stacks: [{
      StackName: stackName,
      StackStatus: 'UPDATE_COMPLETE',
      CreationTime: new Date('2026-11-28T05:00:00Z'),
      Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
    }],
  });
}

async function verify(lab: string, options: { student?: string; now?: Date } = {}) {
  const lines: string[] = [];
  const passed = await verifyLab({
    stackName: lab,
    student: options.student,
    aws: clients(),
    timeLimitMs: 300,
    retryDelayMs: 20,
    print: (line) => lines.push(line),
    now: () => options.now ?? new Date('2026-11-28T06:18:00Z'),
  });
  return { passed, lines };
}

const described = () => cloudFormation.commandCalls(DescribeStacksCommand).map((call) => call.args[0].input.StackName);

describe('a student\'s copy of the lab (AWS API mocked)', () => {
  test.each(VERIFIED_LABS)('%s: reads the outputs of the student\'s stack alice-<Lab>, never the lab\'s own',
    async (lab) => {
      cloudFormation.on(DescribeStacksCommand).rejects(
        Object.assign(new Error('Stack with id x does not exist'), { name: 'ValidationError' }));
      deployed(`alice-${lab}`, {});
      await expect(verify(lab, { student: 'alice' }))
        .rejects.toThrow(new RegExp(`^alice-${lab} has no output \\w+`));
      expect(described()).toEqual([`alice-${lab}`]);
    });

  test('says how to deploy when the student\'s stack is not there', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(
      Object.assign(new Error('Stack with id bob-LambdaUsersLab does not exist'), { name: 'ValidationError' }));
    const failure = verify('LambdaUsersLab', { student: 'bob' });
    await expect(failure).rejects.toEqual(expect.any(CannotRunError));
    await expect(failure).rejects.toThrow(/^bob-LambdaUsersLab is not deployed in us-east-1\./);
  });

  test('passes the web server lab on the student\'s stack, with the time left before it deletes itself', async () => {
    const instance = await serveStandIn((_, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html' }).end(webServerPage('i-0123456789abcdef0'));
    });
    standIns.push(instance);
    deployed('alice-Ec2WebServerLab', {
      Url: instance.origin, InstanceId: 'i-0123456789abcdef0', Deadline: '2026-11-28T07:30:00Z',
    });
    expect(await verify('Ec2WebServerLab', { student: 'alice' })).toEqual({
      passed: true,
      lines: [
        'Checking alice-Ec2WebServerLab in us-east-1 (retrying for up to 0 s while it warms up)',
        'INFO  time left: 1 h 12 min (deletes itself at 2026-11-28T07:30:00Z)',
        `PASS  the web server answers 200 with its page: ${instance.origin} served by i-0123456789abcdef0`,
        '1 of 1 checks passed.',
      ],
    });
  });

  test('counts the time left on the system\'s clock when given none', async () => {
    const instance = await serveStandIn((_, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html' }).end(webServerPage('i-0123456789abcdef0'));
    });
    standIns.push(instance);
    // Two hours and half a minute from now, to the second: 2 h left, rounded down, for the next half minute.
    const deadline = `${new Date(Date.now() + 2 * 3_600_000 + 30_000).toISOString().slice(0, 19)}Z`;
    deployed('Ec2WebServerLab', { Url: instance.origin, InstanceId: 'i-0123456789abcdef0', Deadline: deadline });
    const lines: string[] = [];
    await verifyLab({
      stackName: 'Ec2WebServerLab', aws: clients(), timeLimitMs: 300, retryDelayMs: 20,
      print: (line) => lines.push(line),
    });
    expect(lines[1]).toBe(`INFO  time left: 2 h (deletes itself at ${deadline})`);
  });

  test('prints no time left for a stack deployed without a time-to-live', async () => {
    const instance = await serveStandIn((_, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html' }).end(webServerPage('i-0123456789abcdef0'));
    });
    standIns.push(instance);
    deployed('Ec2WebServerLab', { Url: instance.origin, InstanceId: 'i-0123456789abcdef0' });
    const { lines } = await verify('Ec2WebServerLab');
    expect(lines[0]).toBe('Checking Ec2WebServerLab in us-east-1 (retrying for up to 0 s while it warms up)');
    expect(lines.filter((line) => line.includes('time left'))).toEqual([]);
    expect(described()).toEqual(['Ec2WebServerLab']);
  });

  test('checks the size the student\'s Auto Scaling group was deployed with in the student\'s template', async () => {
    const loadBalancer = await serveStandIn((_, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html' }).end(webServerPage('i-0aaaaaaaaaaaaaaa1'));
    });
    standIns.push(loadBalancer);
    deployed('bob-Ec2AsgAlbLab', {
      Url: loadBalancer.origin,
      GroupName: 'bob-Ec2AsgAlbLab-Fleet-1',
      TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/1',
    });
    cloudFormation.on(GetTemplateCommand, { StackName: 'bob-Ec2AsgAlbLab' }).resolves({ TemplateBody: JSON.stringify({
      Resources: { Group: { Type: 'AWS::AutoScaling::AutoScalingGroup', Properties: { MinSize: '2', MaxSize: '4' } } },
    }) });
    elbv2.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [] });
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [{
      AutoScalingGroupName: 'bob-Ec2AsgAlbLab-Fleet-1', MinSize: 2, MaxSize: 4, DesiredCapacity: 2,
      Instances: [], DefaultCooldown: 300, AvailabilityZones: [], HealthCheckType: 'ELB', CreatedTime: new Date(),
    }] });
    const { lines } = await verify('Ec2AsgAlbLab', { student: 'bob' });
    expect(lines).toContain('PASS  the Auto Scaling group has the size it was deployed with: min 2, max 4, desired 2, '
      + '0 instance(s); deployed min 2, max 4');
    // The check retries until it passes or time is up: each try reads the same template.
    expect(new Set(cloudFormation.commandCalls(GetTemplateCommand).map((call) => call.args[0].input.StackName)))
      .toEqual(new Set(['bob-Ec2AsgAlbLab']));
  });

  test('refuses --local with a student when called directly, before any AWS call', async () => {
    await expect(verifyLabLocal()).rejects.toThrow('--local checks the lab npm run local serves, '
      + 'which belongs to no student: leave out --student to check the local run, '
      + 'or --local to check the student\'s stack in AWS.');
    expect(described()).toEqual([]);
  });
});

function verifyLabLocal() {
  return verifyLab({
    stackName: 'LambdaUsersLab', student: 'alice', localOrigin: 'http://127.0.0.1:9', aws: clients(),
    timeLimitMs: 0, retryDelayMs: 0, print: () => undefined,
  });
}

describe('the time left before the stack deletes itself', () => {
  const DEADLINE = '2026-11-28T07:30:00Z';
  const at = (iso: string) => new Date(iso);

  test('counts down to the minute, rounded down, while the deadline is ahead', () => {
    expect(timeLeftLine('alice-LambdaUsersLab', DEADLINE, at('2026-11-28T06:17:30Z')))
      .toBe('INFO  time left: 1 h 12 min (deletes itself at 2026-11-28T07:30:00Z)');
    expect(timeLeftLine('alice-LambdaUsersLab', DEADLINE, at('2026-11-28T07:29:00Z')))
      .toBe('INFO  time left: 1 min (deletes itself at 2026-11-28T07:30:00Z)');
  });

  test('says under a minute is left one millisecond before the deadline', () => {
    expect(timeLeftLine('alice-LambdaUsersLab', DEADLINE, at('2026-11-28T07:29:59.999Z')))
      .toBe('INFO  time left: under 1 min (deletes itself at 2026-11-28T07:30:00Z)');
  });

  test('warns from the deadline itself on that the stack should be deleting itself, and where to see why not', () => {
    const passed = (ago: string) => `WARN  time left: none, the deadline 2026-11-28T07:30:00Z passed ${ago} ago: `
      + 'the stack deletes itself within minutes of it; if it is still here later, its events say why '
      + '(aws cloudformation describe-stack-events --stack-name alice-LambdaUsersLab)';
    expect(timeLeftLine('alice-LambdaUsersLab', DEADLINE, at(DEADLINE))).toBe(passed('under 1 min'));
    expect(timeLeftLine('alice-LambdaUsersLab', DEADLINE, at('2026-11-28T07:33:00Z'))).toBe(passed('3 min'));
  });

  test('warns that an output it cannot read is not a time, without guessing', () => {
    expect(timeLeftLine('alice-LambdaUsersLab', 'tomorrow', at(DEADLINE))).toBe('WARN  time left: unknown, '
      + 'the Deadline output "tomorrow" is not a UTC time such as 2026-11-28T07:30:00Z');
  });
});
