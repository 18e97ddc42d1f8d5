import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeImagesCommand, DescribeSnapshotsCommand } from '@aws-sdk/client-ec2';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { parseArgs } from '../../bin/leftovers';
import { findLeftovers } from '../../lib/leftovers/find-leftovers';
import { formatLeftovers, hasLeftovers } from '../../lib/leftovers/report';
import { environmentWithoutAws, runCommand } from '../helpers/run-command';
import { ACCOUNT, clients, cloudFormation, ec2, iam, logs, s3, tagging } from './leftovers-mocks';

// What is left of the students' copies of a lab in classroom mode (-c student=<name>): one student's with
// --student, everyone's by student without it. The AWS API answers are mocked: there is no AWS account here.
jest.setTimeout(30_000);

const TOOLKIT_ID = `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/CDKToolkit/0a1b2c3d`;
const SETUP_ID = `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/ClassroomSetup/4e5f6a7b`;
const table = (name: string) => `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/${name}`;
const logGroup = (name: string) => `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${name}`;
const stack = (name: string) => `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/${name}/0c1d2e3f`;

interface Account {
  /** Tagged resources: ARN -> the value of their student tag, or null for none. */
  readonly tagged?: Record<string, string | null>;
  /** Log groups by the prefix DescribeLogGroups is asked for. */
  readonly byPrefix?: Record<string, string[]>;
  /** Log groups whose names hold `-<Lab>-`, as DescribeLogGroups answers a logGroupNamePattern. */
  readonly byPattern?: Record<string, string[]>;
  /** Stacks that still exist, besides the CDK bootstrap stack. */
  readonly stacks?: Record<string, string>;
}

/** An account where the CDK is bootstrapped and `stacks` exist; the rest is what the tagging and logs APIs list. */
function account({ tagged = {}, byPrefix = {}, byPattern = {}, stacks = {} }: Account = {}) {
  cloudFormation.on(DescribeStacksCommand).rejects(
    Object.assign(new Error('Stack with id x does not exist'), { name: 'ValidationError' }));
  for (const [name, StackId] of Object.entries({ CDKToolkit: TOOLKIT_ID, ...stacks })) {
    cloudFormation.on(DescribeStacksCommand, { StackName: name }).resolves({ Stacks: [{
      StackName: name, StackId, StackStatus: 'CREATE_COMPLETE', CreationTime: new Date(),
    }] });
  }
  tagging.on(GetResourcesCommand).resolves({
    ResourceTagMappingList: Object.entries(tagged).map(([ResourceARN, student]) => ({
      ResourceARN,
      Tags: [{ Key: 'lab', Value: 'x' }, ...student === null ? [] : [{ Key: 'student', Value: student }]],
    })),
  });
  logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [] });
  const answer = (names: string[]) => ({
    logGroups: names.map((name) => ({ logGroupName: name, arn: `${logGroup(name)}:*` })),
  });
  for (const [prefix, names] of Object.entries(byPrefix)) {
    logs.on(DescribeLogGroupsCommand, { logGroupNamePrefix: prefix }).resolves(answer(names));
  }
  for (const [pattern, names] of Object.entries(byPattern)) {
    logs.on(DescribeLogGroupsCommand, { logGroupNamePattern: pattern }).resolves(answer(names));
  }
  ec2.on(DescribeImagesCommand).resolves({ Images: [] });
  ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
  s3.on(ListBucketsCommand).resolves({ Buckets: [] });
  iam.on(GetRoleCommand).rejects(Object.assign(new Error('no role'), { name: 'NoSuchEntityException' }));
}

beforeEach(() => [cloudFormation, tagging, logs, ec2, s3, iam].forEach((mock) => mock.reset()));

const WELCOME = '/aws/apigateway/welcome';

describe('one student\'s copy, with --student (AWS API mocked)', () => {
  test('finds nothing of a destroyed copy, asking for that student\'s tag and stack name only', async () => {
    account();
    const report = await findLeftovers('LambdaUsersLab', clients(), { student: 'alice' });
    expect(hasLeftovers(report)).toBe(false);
    expect(tagging.commandCalls(GetResourcesCommand)[0].args[0].input).toEqual({
      TagFilters: [{ Key: 'lab', Values: ['LambdaUsersLab'] }, { Key: 'student', Values: ['alice'] }],
    });
    expect(cloudFormation.commandCalls(DescribeStacksCommand).map((call) => call.args[0].input.StackName))
      .toContain('alice-LambdaUsersLab');
    expect(logs.commandCalls(DescribeLogGroupsCommand).map((call) => call.args[0].input)).toEqual([
      { logGroupNamePrefix: '/aws/lambda/alice-LambdaUsersLab-' },
      { logGroupNamePrefix: 'alice-LambdaUsersLab-' },
      { logGroupNamePrefix: WELCOME },
    ]);
    expect(formatLeftovers(report).split('\n')[0]).toBe('Nothing of alice-LambdaUsersLab is left in us-east-1: '
      + 'no resource tagged lab=LambdaUsersLab and student=alice, no log group named after it.');
  });

  test('lists the student\'s tagged resources and the log groups named after their stack', async () => {
    account({
      tagged: { [table('alice-LambdaUsersLab-UsersTable-X1')]: 'alice' },
      byPrefix: {
        '/aws/lambda/alice-LambdaUsersLab-': ['/aws/lambda/alice-LambdaUsersLab-UsersApiFunction-F1'],
        'alice-LambdaUsersLab-': ['alice-LambdaUsersLab-UsersApiAccessLogs-L1'],
      },
    });
    const report = await findLeftovers('LambdaUsersLab', clients(), { student: 'alice' });
    expect(report.leftovers).toEqual([
      {
        arn: table('alice-LambdaUsersLab-UsersTable-X1'),
        why: 'tagged lab=LambdaUsersLab and student=alice',
        deleteWith: 'aws dynamodb delete-table --table-name alice-LambdaUsersLab-UsersTable-X1',
        student: 'alice',
      },
      {
        arn: logGroup('/aws/lambda/alice-LambdaUsersLab-UsersApiFunction-F1'),
        why: 'log group named after the lab\'s resources (/aws/lambda/alice-LambdaUsersLab-...)',
        deleteWith: 'aws logs delete-log-group --log-group-name /aws/lambda/alice-LambdaUsersLab-UsersApiFunction-F1',
        student: 'alice',
      },
      {
        arn: logGroup('alice-LambdaUsersLab-UsersApiAccessLogs-L1'),
        why: 'log group named after the lab\'s resources (alice-LambdaUsersLab-...)',
        deleteWith: 'aws logs delete-log-group --log-group-name alice-LambdaUsersLab-UsersApiAccessLogs-L1',
        student: 'alice',
      },
    ]);
    expect(formatLeftovers(report)).toMatch(/^Left over from alice-LambdaUsersLab in us-east-1 \(3\):\n {2}arn:/);
  });

  test('says to destroy the student\'s stack first, with the student\'s context value', async () => {
    account({ stacks: { 'alice-FargateServiceLab': stack('alice-FargateServiceLab') } });
    const report = await findLeftovers('FargateServiceLab', clients(), { student: 'alice' });
    expect(hasLeftovers(report)).toBe(true);
    expect(formatLeftovers(report).split('\n')[0]).toBe('The stack alice-FargateServiceLab still exists in us-east-1 '
      + '(CREATE_COMPLETE): run `npx cdk destroy FargateServiceLab -c student=alice` first.');
  });

  test('does not take the lab\'s own stack, deployed without a student, for the student\'s', async () => {
    account({ stacks: { FargateServiceLab: stack('FargateServiceLab') } });
    const report = await findLeftovers('FargateServiceLab', clients(), { student: 'alice' });
    expect(report.stackStatus).toBeUndefined();
    expect(hasLeftovers(report)).toBe(false);
  });

  test('names API Gateway\'s welcome log group as shared: one for the account, not one student\'s', async () => {
    account({ byPrefix: { [WELCOME]: [WELCOME] } });
    const report = await findLeftovers('LambdaUsersLab', clients(), { student: 'alice' });
    expect(hasLeftovers(report)).toBe(false);
    expect(report.shared).toEqual([
      expect.objectContaining({ arn: TOOLKIT_ID }),
      {
        arn: logGroup(WELCOME),
        why: 'API Gateway created it, not the stack, when the lab set the account\'s CloudWatch role; '
          + 'it never expires; one for the whole account, not one student\'s',
      },
    ]);
  });

  test('finds the student\'s AMIs by their tags, not by the guide\'s name, which says nothing of whose they are',
    async () => {
      account({ tagged: { 'arn:aws:ec2:us-east-1::image/ami-0aaaaaaaaaaaaaaa1': 'alice' } });
      ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [{
        SnapshotId: 'snap-0ccccccccccccccc3',
        Description: 'Created by CreateImage(i-0ddddddddddddddd4) for ami-0aaaaaaaaaaaaaaa1',
      }] });
      const report = await findLeftovers('Ec2WebServerLab', clients(), { student: 'alice' });
      expect(ec2.commandCalls(DescribeImagesCommand)).toEqual([]);
      expect(report.leftovers.map(({ arn, student }) => [arn, student])).toEqual([
        ['arn:aws:ec2:us-east-1::image/ami-0aaaaaaaaaaaaaaa1', 'alice'],
        ['arn:aws:ec2:us-east-1::snapshot/snap-0ccccccccccccccc3', 'alice'],
      ]);
    });

  test('names the class\'s ClassroomSetup stack as shared while it exists', async () => {
    account({ stacks: { ClassroomSetup: SETUP_ID } });
    const report = await findLeftovers('S3UploadsLab', clients(), { student: 'bob' });
    expect(report.shared).toEqual([
      expect.objectContaining({ arn: TOOLKIT_ID }),
      {
        arn: SETUP_ID,
        why: 'the class\'s stack (its network and account settings): the students\' stacks use it; '
          + 'the instructor deletes it once every student\'s stack is gone',
      },
    ]);
    expect(hasLeftovers(report)).toBe(false);
  });
});

describe('every student\'s copy, without --student (AWS API mocked)', () => {
  /** A class where alice and bob left things, and the lab deployed without a student left a table. */
  function classAccount() {
    account({
      tagged: {
        [table('alice-LambdaUsersLab-UsersTable-A1')]: 'alice',
        [table('bob-LambdaUsersLab-UsersTable-B1')]: 'bob',
        [table('LambdaUsersLab-UsersTable-N1')]: null,
        [stack('bob-LambdaUsersLab')]: 'bob',
      },
      byPrefix: { [WELCOME]: [WELCOME] },
      byPattern: {
        '-LambdaUsersLab-': [
          '/aws/lambda/alice-LambdaUsersLab-UsersApiFunction-F1',
          'bob-LambdaUsersLab-UsersApiAccessLogs-L1',
          // Look-alikes: no student's name before the lab's (uppercase, an underscore), or the lab's own stack's.
          '/aws/lambda/Alice-LambdaUsersLab-UsersApiFunction-F2',
          'team_3-LambdaUsersLab-Logs-L2',
          '/aws/lambda/LambdaUsersLab-Other-LambdaUsersLab-F3',
        ],
      },
      stacks: { ClassroomSetup: SETUP_ID },
    });
  }

  test('finds everything tagged with the lab, and each student\'s log groups by their names', async () => {
    classAccount();
    const report = await findLeftovers('LambdaUsersLab', clients());
    expect(tagging.commandCalls(GetResourcesCommand)[0].args[0].input)
      .toEqual({ TagFilters: [{ Key: 'lab', Values: ['LambdaUsersLab'] }] });
    expect(report.leftovers.map(({ arn, student }) => [arn, student])).toEqual([
      [stack('bob-LambdaUsersLab'), 'bob'],
      [table('alice-LambdaUsersLab-UsersTable-A1'), 'alice'],
      [table('bob-LambdaUsersLab-UsersTable-B1'), 'bob'],
      [table('LambdaUsersLab-UsersTable-N1'), undefined],
      [logGroup(WELCOME), undefined],
      [logGroup('/aws/lambda/alice-LambdaUsersLab-UsersApiFunction-F1'), 'alice'],
      [logGroup('bob-LambdaUsersLab-UsersApiAccessLogs-L1'), 'bob'],
    ]);
  });

  test('groups the remains by student, those of no student last, and lists the shared resources once', async () => {
    classAccount();
    const text = formatLeftovers(await findLeftovers('LambdaUsersLab', clients()));
    expect(text.split('\n').filter((line) => !line.startsWith(' '))).toEqual([
      'Left over from LambdaUsersLab in us-east-1 (7), by student:',
      'student alice (2):',
      'student bob (3):',
      'without a student (2):',
      '',
      'Shared, not the lab\'s (left in place on purpose):',
    ]);
    expect(text.match(new RegExp(`^ {2}${TOOLKIT_ID}$`, 'gm'))).toHaveLength(1);
    expect(text.match(new RegExp(`^ {2}${SETUP_ID}$`, 'gm'))).toHaveLength(1);
    expect(text).toContain(`student bob (3):\n  ${stack('bob-LambdaUsersLab')}\n      tagged lab=LambdaUsersLab\n`
      + '      delete: npx cdk destroy LambdaUsersLab -c student=bob\n');
  });

  test('keeps the report ungrouped while no remain carries a student\'s name', async () => {
    account({ tagged: { [table('LambdaUsersLab-UsersTable-N1')]: null, [stack('LambdaUsersLab')]: null } });
    const report = await findLeftovers('LambdaUsersLab', clients());
    expect(formatLeftovers(report).split('\n').filter((line) => !line.startsWith(' ')))
      .toEqual([
        'Left over from LambdaUsersLab in us-east-1 (2):', '', 'Shared, not the lab\'s (left in place on purpose):',
      ]);
    expect(report.leftovers.find((found) => found.arn === stack('LambdaUsersLab'))?.deleteWith)
      .toBe('npx cdk destroy LambdaUsersLab');
  });

  test('names no destroy command for a stack that only looks like a lab\'s', async () => {
    account({ tagged: { [stack('Alice-LambdaUsersLab')]: null, [stack('LambdaUsersLabX')]: null } });
    const report = await findLeftovers('LambdaUsersLab', clients());
    expect(report.leftovers.map(({ arn, deleteWith }) => [arn, deleteWith])).toEqual([
      [stack('Alice-LambdaUsersLab'), undefined],
      [stack('LambdaUsersLabX'), undefined],
    ]);
  });

  test('gives a snapshot the student of the AMI it backs', async () => {
    account({
      tagged: {
        'arn:aws:ec2:us-east-1::image/ami-0aaaaaaaaaaaaaaa1': 'alice',
        'arn:aws:ec2:us-east-1::image/ami-0bbbbbbbbbbbbbbb2': null,
      },
    });
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [
      { SnapshotId: 'snap-0ccccccccccccccc3', Description: 'Created by CreateImage(i-0d) for ami-0aaaaaaaaaaaaaaa1' },
      { SnapshotId: 'snap-0eeeeeeeeeeeeeee5', Description: 'Created by CreateImage(i-0d) for ami-0bbbbbbbbbbbbbbb2' },
    ] });
    const report = await findLeftovers('Ec2WebServerLab', clients());
    expect(report.leftovers.map(({ arn, student }) => [arn, student])).toEqual([
      ['arn:aws:ec2:us-east-1::image/ami-0aaaaaaaaaaaaaaa1', 'alice'],
      ['arn:aws:ec2:us-east-1::image/ami-0bbbbbbbbbbbbbbb2', undefined],
      ['arn:aws:ec2:us-east-1::snapshot/snap-0ccccccccccccccc3', 'alice'],
      ['arn:aws:ec2:us-east-1::snapshot/snap-0eeeeeeeeeeeeeee5', undefined],
    ]);
  });
});

describe('--student on the command line', () => {
  test('reads the lab and the student, in either order', () => {
    expect(parseArgs(['LambdaUsersLab', '--student', 'alice'])).toEqual({ lab: 'LambdaUsersLab', student: 'alice' });
    expect(parseArgs(['--student', 'a', 'LambdaUsersLab'])).toEqual({ lab: 'LambdaUsersLab', student: 'a' });
    expect(parseArgs(['LambdaUsersLab', '--student', 'abcdefghijklmnopqrst']))
      .toEqual({ lab: 'LambdaUsersLab', student: 'abcdefghijklmnopqrst' });
  });

  test.each([
    ['an empty name', ''],
    ['a name of 21 characters', 'abcdefghijklmnopqrstu'],
    ['uppercase', 'Alice'],
    ['a leading digit', '3team'],
  ])('fails on %s, saying what a name may be', (_, name) => {
    expect(() => parseArgs(['LambdaUsersLab', '--student', name]))
      .toThrow(`A student name is 1-20 lowercase letters, digits or hyphens, starting with a letter (for example alice `
        + `or team-3), got ${JSON.stringify(name)}`);
  });

  test('fails on --student without a name, and on an unknown option', () => {
    expect(() => parseArgs(['LambdaUsersLab', '--student'])).toThrow('--student needs a name');
    expect(() => parseArgs(['LambdaUsersLab', '--students', 'alice'])).toThrow('unknown option --students');
  });

  test('exits 2 with the rule and the usage on a bad name, before looking at AWS', async () => {
    const { code, stderr } = await runCommand(
      'bin/leftovers.ts', ['LambdaUsersLab', '--student', 'Alice'], environmentWithoutAws({ AWS_REGION: 'us-east-1' }),
    );
    expect(stderr).toMatch(/^A student name is .*got "Alice"\n\nUsage: npm run leftovers -- <LabStack> \[--student/);
    expect(code).toBe(2);
  });
});
