import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeLogGroupsCommand, LogGroup } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeImagesCommand, DescribeInstancesCommand, DescribeSnapshotsCommand } from '@aws-sdk/client-ec2';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { GetResourcesCommand, ResourceTagMapping } from '@aws-sdk/client-resource-groups-tagging-api';
import { GetBucketVersioningCommand, ListBucketsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { findLeftovers, Leftover, LeftoverReport } from '../../lib/leftovers/find-leftovers';
import { formatLeftovers, hasLeftovers } from '../../lib/leftovers/report';
import { ACCOUNT, clients, cloudFormation, ec2, iam, logs, s3, tagging } from './leftovers-mocks';

// The edges of each rule of `npm run leftovers`, on both sides: which tag filters, log group names, AMIs, buckets and
// shared resources count, and how the report reads and decides the exit code. The AWS API answers are mocked.
const TOOLKIT_ID = `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/CDKToolkit/0a1b2c3d`;
const table = (name: string) => `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/${name}`;
const logGroup = (name: string) => `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${name}`;
const instance = (id: string) => `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/${id}`;

interface Account {
  /** What the tagging API lists, as it answers. */
  readonly tagged?: ResourceTagMapping[];
  /** Log groups by the prefix DescribeLogGroups is asked for. */
  readonly byPrefix?: Record<string, LogGroup[]>;
  /** Log groups by the logGroupNamePattern DescribeLogGroups is asked for. */
  readonly byPattern?: Record<string, LogGroup[]>;
  /** Whether the account is bootstrapped for the CDK. */
  readonly bootstrapped?: boolean;
}

/** An account where the lab is destroyed; the rest is what the APIs list. */
function account({ tagged = [], byPrefix = {}, byPattern = {}, bootstrapped = true }: Account = {}) {
  cloudFormation.on(DescribeStacksCommand).rejects(
    Object.assign(new Error('Stack with id x does not exist'), { name: 'ValidationError' }));
  if (bootstrapped) {
    cloudFormation.on(DescribeStacksCommand, { StackName: 'CDKToolkit' }).resolves({ Stacks: [{
      StackName: 'CDKToolkit', StackId: TOOLKIT_ID, StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date(),
    }] });
  }
  tagging.on(GetResourcesCommand).resolves({ ResourceTagMappingList: tagged });
  logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [] });
  for (const [prefix, groups] of Object.entries(byPrefix)) {
    logs.on(DescribeLogGroupsCommand, { logGroupNamePrefix: prefix }).resolves({ logGroups: groups });
  }
  for (const [pattern, groups] of Object.entries(byPattern)) {
    logs.on(DescribeLogGroupsCommand, { logGroupNamePattern: pattern }).resolves({ logGroups: groups });
  }
  ec2.on(DescribeImagesCommand).resolves({ Images: [] });
  ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
  s3.on(ListBucketsCommand).resolves({ Buckets: [] });
  iam.on(GetRoleCommand).rejects(Object.assign(new Error('no role'), { name: 'NoSuchEntityException' }));
}

/** A resource as the tagging API lists it, tagged with the lab and, unless null, a student. */
const taggedWith = (arn: string, student: string | null = null): ResourceTagMapping => ({
  ResourceARN: arn,
  Tags: [{ Key: 'lab', Value: 'x' }, ...student === null ? [] : [{ Key: 'student', Value: student }]],
});

/** A log group as DescribeLogGroups answers it: its ARN twice, once with `:*`. */
const group = (name: string): LogGroup => ({ logGroupName: name, arn: `${logGroup(name)}:*` });

beforeEach(() => [cloudFormation, tagging, logs, ec2, s3, iam].forEach((mock) => mock.reset()));

describe('the lab and the student asked for (AWS API mocked)', () => {
  test('fails on a student of an unknown lab, before asking AWS anything', async () => {
    account();
    await expect(findLeftovers('UsersLab', clients(), { student: 'alice' })).rejects.toThrow('unknown lab "UsersLab"');
    expect(cloudFormation.calls()).toEqual([]);
    expect(tagging.calls()).toEqual([]);
  });

  test('fails on a student name that no stack could carry, before asking AWS anything', async () => {
    account();
    await expect(findLeftovers('LambdaUsersLab', clients(), { student: 'Alice' }))
      .rejects.toThrow('A student name is 1-20 lowercase letters, digits or hyphens, starting with a letter');
    expect(cloudFormation.calls()).toEqual([]);
  });

  test('says which student the report is of with --student, and names none without it', async () => {
    account({ bootstrapped: false });
    expect(await findLeftovers('S3UploadsLab', clients())).toStrictEqual({
      lab: 'S3UploadsLab', stackName: 'S3UploadsLab', region: 'us-east-1', stackStatus: undefined,
      leftovers: [], shared: [],
    });
    expect(await findLeftovers('S3UploadsLab', clients(), { student: 'team-3' })).toStrictEqual({
      lab: 'S3UploadsLab', student: 'team-3', stackName: 'team-3-S3UploadsLab', region: 'us-east-1',
      stackStatus: undefined, leftovers: [], shared: [],
    });
  });
});

describe('tagged resources (AWS API mocked)', () => {
  test('takes a resource listed without tags as no student\'s', async () => {
    account({ tagged: [{ ResourceARN: table('LambdaUsersLab-UsersTable-N1') }] });
    const report = await findLeftovers('LambdaUsersLab', clients());
    expect(report.leftovers).toStrictEqual([{
      arn: table('LambdaUsersLab-UsersTable-N1'),
      why: 'tagged lab=LambdaUsersLab',
      deleteWith: 'aws dynamodb delete-table --table-name LambdaUsersLab-UsersTable-N1',
    }]);
  });

  test('keeps the instances that run or stop in any reservation, each with its student, '
    + 'and drops the terminated ones', async () => {
    account({
      tagged: [
        taggedWith(instance('i-0aaaaaaaaaaaaaaa1'), 'alice'),
        taggedWith(instance('i-0bbbbbbbbbbbbbbb2'), 'bob'),
        taggedWith(instance('i-0ccccccccccccccc3'), 'carol'),
        taggedWith(instance('i-0ddddddddddddddd4')),
      ],
    });
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [
      { Instances: [{ InstanceId: 'i-0aaaaaaaaaaaaaaa1', State: { Name: 'running' } }] },
      {},
      { Instances: [
        { InstanceId: 'i-0bbbbbbbbbbbbbbb2', State: { Name: 'terminated' } },
        { InstanceId: 'i-0ccccccccccccccc3', State: { Name: 'stopping' } },
        // No state in the answer: not known to be terminated, so kept.
        { InstanceId: 'i-0ddddddddddddddd4' },
      ] },
    ] });
    const report = await findLeftovers('Ec2AsgAlbLab', clients());
    expect(report.leftovers.map(({ arn, student }) => [arn, student])).toEqual([
      [instance('i-0aaaaaaaaaaaaaaa1'), 'alice'],
      [instance('i-0ccccccccccccccc3'), 'carol'],
      [instance('i-0ddddddddddddddd4'), undefined],
    ]);
    expect(ec2.commandCalls(DescribeInstancesCommand).map((call) => call.args[0].input)).toEqual([{
      Filters: [{
        Name: 'instance-id',
        Values: ['i-0aaaaaaaaaaaaaaa1', 'i-0bbbbbbbbbbbbbbb2', 'i-0ccccccccccccccc3', 'i-0ddddddddddddddd4'],
      }],
    }]);
  });

  test('asks EC2 about no instance when none is tagged', async () => {
    account({ tagged: [taggedWith(table('Ec2AsgAlbLab-T1'))] });
    const report = await findLeftovers('Ec2AsgAlbLab', clients());
    expect(report.leftovers.map(({ arn }) => arn)).toEqual([table('Ec2AsgAlbLab-T1')]);
    expect(ec2.commandCalls(DescribeInstancesCommand)).toEqual([]);
  });
});

describe('log groups named after the stack and after the students\' stacks (AWS API mocked)', () => {
  test('gives each student\'s log group the prefix of that student\'s stack as why, with or without /aws/lambda/',
    async () => {
      account({
        byPattern: {
          '-LambdaUsersLab-': [
            group('/aws/lambda/alice-LambdaUsersLab-UsersApiFunction-F1'),
            group('team-3-LambdaUsersLab-UsersApiAccessLogs-L1'),
          ],
        },
      });
      const report = await findLeftovers('LambdaUsersLab', clients());
      expect(report.leftovers).toStrictEqual([
        {
          arn: logGroup('/aws/lambda/alice-LambdaUsersLab-UsersApiFunction-F1'),
          why: 'log group named after the lab\'s resources (/aws/lambda/alice-LambdaUsersLab-...)',
          deleteWith: 'aws logs delete-log-group --log-group-name /aws/lambda/alice-LambdaUsersLab-UsersApiFunction-F1',
          student: 'alice',
        },
        {
          arn: logGroup('team-3-LambdaUsersLab-UsersApiAccessLogs-L1'),
          why: 'log group named after the lab\'s resources (team-3-LambdaUsersLab-...)',
          deleteWith: 'aws logs delete-log-group --log-group-name team-3-LambdaUsersLab-UsersApiAccessLogs-L1',
          student: 'team-3',
        },
      ]);
      expect(logs.commandCalls(DescribeLogGroupsCommand).map((call) => call.args[0].input)).toContainEqual(
        { logGroupNamePattern: '-LambdaUsersLab-' },
      );
    });

  test('takes the student from the first mention of the lab in the name, and leaves out a name that starts with it',
    async () => {
      account({
        byPattern: {
          '-SqsWorkersLab-': [
            group('bob-SqsWorkersLab-SqsWorkersLab-L1'),
            group('-SqsWorkersLab-Orphan-L2'),
            group('/aws/lambda/-SqsWorkersLab-Orphan-F3'),
            group('b-SqsWorkersLab-L4'),
          ],
        },
      });
      const report = await findLeftovers('SqsWorkersLab', clients());
      expect(report.leftovers.map(({ arn, student }) => [arn, student])).toEqual([
        [logGroup('b-SqsWorkersLab-L4'), 'b'],
        [logGroup('bob-SqsWorkersLab-SqsWorkersLab-L1'), 'bob'],
      ]);
    });

  test('reads a log group\'s ARN from logGroupArn when DescribeLogGroups gives only that', async () => {
    const [OWN, BOBS] = ['EcsEventTasksLab-Logs-L1', 'bob-EcsEventTasksLab-Logs-L2'];
    account({
      byPrefix: { 'EcsEventTasksLab-': [{ logGroupName: OWN, logGroupArn: logGroup(OWN) }] },
      byPattern: { '-EcsEventTasksLab-': [{ logGroupName: BOBS, logGroupArn: logGroup(BOBS) }] },
    });
    const report = await findLeftovers('EcsEventTasksLab', clients());
    expect(report.leftovers.map(({ arn, student }) => [arn, student]))
      .toEqual([[logGroup(BOBS), 'bob'], [logGroup(OWN), undefined]]);
  });
  test('lists a log group named after the lab\'s own stack as no student\'s, and asks for no service\'s log group '
    + 'after a lab that has none', async () => {
    account({ byPrefix: { 'SqsWorkersLab-': [group('SqsWorkersLab-WorkersLogs-L1')] } });
    const report = await findLeftovers('SqsWorkersLab', clients());
    expect(report.leftovers).toStrictEqual([{
      arn: logGroup('SqsWorkersLab-WorkersLogs-L1'),
      why: 'log group named after the lab\'s resources (SqsWorkersLab-...)',
      deleteWith: 'aws logs delete-log-group --log-group-name SqsWorkersLab-WorkersLogs-L1',
    }]);
    expect(logs.commandCalls(DescribeLogGroupsCommand).map((call) => call.args[0].input)).toEqual([
      { logGroupNamePrefix: '/aws/lambda/SqsWorkersLab-' },
      { logGroupNamePrefix: 'SqsWorkersLab-' },
      { logGroupNamePattern: '-SqsWorkersLab-' },
    ]);
  });

  test('takes no other log group for API Gateway\'s welcome one, and lists that one as the lab\'s, not shared, '
    + 'without a student', async () => {
    const WELCOME = '/aws/apigateway/welcome';
    account({ byPrefix: { [WELCOME]: [group(`${WELCOME}-other`)] } });
    expect((await findLeftovers('LambdaUsersLab', clients())).leftovers).toEqual([]);
    account({ byPrefix: { [WELCOME]: [group(WELCOME)] } });
    const report = await findLeftovers('LambdaUsersLab', clients());
    expect(report.leftovers.map(({ arn }) => arn)).toEqual([logGroup(WELCOME)]);
    expect(report.shared.map(({ arn }) => arn)).toEqual([TOOLKIT_ID]);
  });
});

describe('the AMI step\'s images and snapshots (AWS API mocked)', () => {
  const IMAGE_A = 'ami-0aaaaaaaaaaaaaaa1';
  const IMAGE_B = 'ami-0bbbbbbbbbbbbbbb2';

  test('lists an AMI found by its tag and by the guide\'s name once, as tagged, '
    + 'though the tagging API\'s ARN holds the account and EC2\'s does not', async () => {
    account({ tagged: [taggedWith(`arn:aws:ec2:us-east-1:${ACCOUNT}:image/${IMAGE_A}`)] });
    ec2.on(DescribeImagesCommand).resolves({ Images: [
      { ImageId: IMAGE_A, Name: 'WebServer-AMI-1' },
      { ImageId: IMAGE_B, Name: 'WebServer-AMI-2' },
    ] });
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [
      { SnapshotId: 'snap-0ccccccccccccccc3', Description: `Created by CreateImage(i-0d) for ${IMAGE_B}` },
    ] });
    const report = await findLeftovers('Ec2WebServerLab', clients());
    expect(report.leftovers).toStrictEqual([
      {
        arn: `arn:aws:ec2:us-east-1::image/${IMAGE_B}`,
        why: 'AMI named WebServer-AMI-2, as the lab guide\'s step 4 names them',
        deleteWith: `aws ec2 deregister-image --image-id ${IMAGE_B}`,
      },
      {
        arn: 'arn:aws:ec2:us-east-1::snapshot/snap-0ccccccccccccccc3',
        why: `snapshot of the lab's AMI (Created by CreateImage(i-0d) for ${IMAGE_B})`,
        deleteWith: 'aws ec2 delete-snapshot --snapshot-id snap-0ccccccccccccccc3  # after deregistering its AMI',
      },
      {
        arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:image/${IMAGE_A}`,
        why: 'tagged lab=Ec2WebServerLab',
        deleteWith: `aws ec2 deregister-image --image-id ${IMAGE_A}`,
      },
    ]);
  });

  test('keeps the lab\'s other remains beside its AMI, and takes answers without a list as empty ones', async () => {
    const securityGroup = `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group/sg-0fffffffffffffff6`;
    const image = `arn:aws:ec2:us-east-1:${ACCOUNT}:image/${IMAGE_A}`;
    account({ tagged: [taggedWith(instance('i-0aaaaaaaaaaaaaaa1')), taggedWith(securityGroup), taggedWith(image)] });
    ec2.on(DescribeInstancesCommand).resolves({});
    ec2.on(DescribeImagesCommand).resolves({});
    ec2.on(DescribeSnapshotsCommand).resolves({});
    const report = await findLeftovers('Ec2WebServerLab', clients());
    expect(report.leftovers.map(({ arn }) => arn)).toEqual([image, securityGroup]);
    expect(ec2.commandCalls(DescribeSnapshotsCommand).map((call) => call.args[0].input)).toEqual([{
      OwnerIds: ['self'],
      Filters: [{ Name: 'description', Values: [`Created by CreateImage(*) for ${IMAGE_A}*`] }],
    }]);
  });

  test('asks for no snapshot when no AMI is left', async () => {
    account();
    const report = await findLeftovers('Ec2WebServerLab', clients());
    expect(hasLeftovers(report)).toBe(false);
    expect(ec2.commandCalls(DescribeImagesCommand)).toHaveLength(1);
    expect(ec2.commandCalls(DescribeSnapshotsCommand)).toEqual([]);
  });

  test('looks for AMIs by name only after the EC2 lab, whose guide names them', async () => {
    account({ tagged: [taggedWith(`arn:aws:ec2:us-east-1:${ACCOUNT}:image/${IMAGE_A}`, 'alice')] });
    ec2.on(DescribeImagesCommand).resolves({ Images: [{ ImageId: IMAGE_B, Name: 'WebServer-AMI-2' }] });
    const report = await findLeftovers('Ec2AsgAlbLab', clients());
    expect(ec2.commandCalls(DescribeImagesCommand)).toEqual([]);
    expect(ec2.commandCalls(DescribeSnapshotsCommand)).toEqual([]);
    expect(report.leftovers.map(({ arn, student }) => [arn, student]))
      .toEqual([[`arn:aws:ec2:us-east-1:${ACCOUNT}:image/${IMAGE_A}`, 'alice']]);
  });
});

test('takes the tagging and logs APIs\' answers without a list as empty ones (AWS API mocked)', async () => {
  account();
  tagging.on(GetResourcesCommand).resolves({});
  logs.on(DescribeLogGroupsCommand).resolves({});
  const report = await findLeftovers('LambdaUsersLab', clients());
  expect(report.leftovers).toEqual([]);
  expect(logs.commandCalls(DescribeLogGroupsCommand)).toHaveLength(4);
});

describe('buckets and what only looks like a bucket or a table (AWS API mocked)', () => {
  test('counts the objects of a bucket that S3 lists without a KeyCount as none', async () => {
    account({ tagged: [taggedWith('arn:aws:s3:::s3uploadslab-b1')] });
    s3.on(ListObjectsV2Command).resolves({});
    s3.on(GetBucketVersioningCommand).resolves({});
    const report = await findLeftovers('S3UploadsLab', clients());
    expect(report.leftovers.map(({ why }) => why)).toEqual(['tagged lab=S3UploadsLab; it holds 0 objects']);
  });

  test('names no delete command for an object or a table\'s stream, whose ARNs start like their bucket\'s '
    + 'and their table\'s', async () => {
    const object = 'arn:aws:s3:::s3uploadslab-b1/uploads/a.txt';
    const stream = `${table('S3UploadsLab-T1')}/stream/2026-11-27T10:12:00.000`;
    account({ tagged: [taggedWith(object), taggedWith(stream)] });
    const report = await findLeftovers('S3UploadsLab', clients());
    expect(report.leftovers).toStrictEqual([
      { arn: stream, why: 'tagged lab=S3UploadsLab', deleteWith: undefined },
      { arn: object, why: 'tagged lab=S3UploadsLab', deleteWith: undefined },
    ]);
    expect(s3.commandCalls(ListObjectsV2Command)).toEqual([]);
  });
});

describe('shared resources (AWS API mocked)', () => {
  test('names Elastic Beanstalk\'s bucket with why it is shared, and asks S3 for it only after the Beanstalk lab',
    async () => {
      account();
      s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: `elasticbeanstalk-us-east-1-${ACCOUNT}` }] });
      const beanstalk = await findLeftovers('BeanstalkAppLab', clients());
      expect(beanstalk.shared).toContainEqual({
        arn: `arn:aws:s3:::elasticbeanstalk-us-east-1-${ACCOUNT}`,
        why: 'Elastic Beanstalk\'s bucket for this account and region: every environment here uses it; '
          + 'Beanstalk created it, not the stack',
      });
      s3.resetHistory();
      const fargate = await findLeftovers('FargateServiceLab', clients());
      expect(fargate.shared).toEqual([expect.objectContaining({ arn: TOOLKIT_ID })]);
      expect(s3.commandCalls(ListBucketsCommand)).toEqual([]);
    });

  test('asks IAM for no service-linked role after a lab whose services make none', async () => {
    for (const lab of ['Ec2WebServerLab', 'LambdaUsersLab', 'S3UploadsLab']) {
      account();
      await findLeftovers(lab, clients());
    }
    expect(iam.commandCalls(GetRoleCommand)).toEqual([]);
  });

  test('asks IAM for Auto Scaling\'s role after the Beanstalk lab, and takes an answer without buckets as none',
    async () => {
      account();
      s3.on(ListBucketsCommand).resolves({});
      const report = await findLeftovers('BeanstalkAppLab', clients());
      expect(iam.commandCalls(GetRoleCommand).map((call) => call.args[0].input))
        .toEqual([{ RoleName: 'AWSServiceRoleForAutoScaling' }]);
      expect(report.shared.map(({ arn }) => arn)).toEqual([TOOLKIT_ID]);
    });

  test('names a service-linked role by its name when IAM answers without its ARN', async () => {
    account();
    iam.on(GetRoleCommand, { RoleName: 'AWSServiceRoleForAutoScaling' }).resolves({});
    const report = await findLeftovers('BeanstalkAppLab', clients());
    expect(report.shared.map(({ arn }) => arn)).toEqual([TOOLKIT_ID, 'AWSServiceRoleForAutoScaling']);
  });

  test('names nothing shared in an account the CDK never bootstrapped, and prints no shared heading', async () => {
    account({ bootstrapped: false });
    const report = await findLeftovers('LambdaUsersLab', clients());
    expect(report.shared).toEqual([]);
    expect(formatLeftovers(report)).toBe('Nothing of LambdaUsersLab is left in us-east-1: '
      + 'no resource tagged lab=LambdaUsersLab, no log group or AMI named after it.');
  });
});

describe('the report a student reads, and the exit decision', () => {
  const REPORT: LeftoverReport = {
    lab: 'LambdaUsersLab', stackName: 'LambdaUsersLab', region: 'eu-west-1', leftovers: [], shared: [],
  };
  const found = (arn: string, student?: string): Leftover => ({
    arn, why: `why ${arn}`, ...student === undefined ? {} : { student },
  });

  test('finds something left when the stack exists, when a resource remains, or both; nothing when neither', () => {
    expect(hasLeftovers(REPORT)).toBe(false);
    expect(hasLeftovers({ ...REPORT, stackStatus: 'DELETE_FAILED' })).toBe(true);
    expect(hasLeftovers({ ...REPORT, leftovers: [found('a')] })).toBe(true);
    expect(hasLeftovers({ ...REPORT, stackStatus: 'DELETE_FAILED', leftovers: [found('a')] })).toBe(true);
    expect(hasLeftovers({ ...REPORT, shared: [found('a')] })).toBe(false);
  });

  test('groups by student in the order of their names, those of no student last, '
    + 'whatever order the remains come in', () => {
    const text = formatLeftovers({
      ...REPORT,
      leftovers: [found('a1', 'bob'), found('a2'), found('a3', 'zoe'), found('a4', 'alice'), found('a5'),
        found('a6', 'bob')],
    });
    expect(text).toBe([
      'Left over from LambdaUsersLab in eu-west-1 (6), by student:',
      'student alice (1):', '  a4', '      why a4',
      'student bob (2):', '  a1', '      why a1', '  a6', '      why a6',
      'student zoe (1):', '  a3', '      why a3',
      'without a student (2):', '  a2', '      why a2', '  a5', '      why a5',
    ].join('\n'));
  });

  test('prints a delete line only for a remain with a delete command, and the shared ones after a blank line', () => {
    const text = formatLeftovers({
      ...REPORT,
      stackStatus: 'DELETE_FAILED',
      leftovers: [{ ...found('a1'), deleteWith: 'rm a1' }, found('a2')],
      shared: [found('s1')],
    });
    expect(text).toBe([
      'The stack LambdaUsersLab still exists in eu-west-1 (DELETE_FAILED): run `npx cdk destroy LambdaUsersLab` first.',
      'Left over from LambdaUsersLab in eu-west-1 (2):',
      '  a1', '      why a1', '      delete: rm a1',
      '  a2', '      why a2',
      '',
      'Shared, not the lab\'s (left in place on purpose):',
      '  s1', '      why s1',
    ].join('\n'));
  });

  test('keeps one student\'s report ungrouped, under their stack\'s name', () => {
    const text = formatLeftovers({
      ...REPORT, student: 'alice', stackName: 'alice-LambdaUsersLab', leftovers: [found('a1', 'alice')],
    });
    expect(text).toBe('Left over from alice-LambdaUsersLab in eu-west-1 (1):\n  a1\n      why a1');
  });
});
