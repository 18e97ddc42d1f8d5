import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeImagesCommand, DescribeInstancesCommand, DescribeSnapshotsCommand } from '@aws-sdk/client-ec2';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { GetBucketVersioningCommand, ListBucketsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { CannotRunError } from '../../lib/cli';
import { findLeftovers } from '../../lib/leftovers/find-leftovers';
import { formatLeftovers, hasLeftovers } from '../../lib/leftovers/report';
import { ACCOUNT, clients, cloudFormation, ec2, iam, logs, s3, tagging } from './leftovers-mocks';

// What a lab leaves after `cdk destroy`, with the AWS API answers mocked: there is no AWS account here.
const notFound = (stack: string) => Object.assign(
  new Error(`Stack with id ${stack} does not exist`),
  { name: 'ValidationError' },
);
const TOOLKIT_ID = `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/CDKToolkit/0a1b2c3d`;

/** An account where the lab is destroyed and the CDK is bootstrapped; `tagged` and `logGroups` are what remains. */
function account({ tagged = [] as string[], logGroups = {} as Record<string, string[]> } = {}) {
  cloudFormation.on(DescribeStacksCommand).rejects(notFound('any'));
  cloudFormation.on(DescribeStacksCommand, { StackName: 'CDKToolkit' })
    .resolves({ Stacks: [{
      StackName: 'CDKToolkit',
      StackId: TOOLKIT_ID,
      StackStatus: 'UPDATE_COMPLETE',
      CreationTime: new Date(),
    }] });
  tagging.on(GetResourcesCommand).resolves({
    ResourceTagMappingList: tagged.map((ResourceARN) => ({ ResourceARN, Tags: [] })),
  });
  logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [] });
  for (const [prefix, names] of Object.entries(logGroups)) {
    logs.on(DescribeLogGroupsCommand, { logGroupNamePrefix: prefix }).resolves({
      logGroups: names.map((name) => ({
        logGroupName: name,
        arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${name}:*`,
      })),
    });
  }
  ec2.on(DescribeImagesCommand).resolves({ Images: [] });
  ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
  s3.on(ListBucketsCommand).resolves({ Buckets: [] });
  iam.on(GetRoleCommand).rejects(Object.assign(
    new Error('The role with name X cannot be found.'),
    { name: 'NoSuchEntityException' },
  ));
}

beforeEach(() => [cloudFormation, tagging, logs, ec2, s3, iam].forEach((mock) => mock.reset()));

test('finds nothing of a destroyed lab, and names the bootstrap stack as shared (AWS API mocked)', async () => {
  account();
  const report = await findLeftovers('LambdaUsersLab', clients());
  expect(hasLeftovers(report)).toBe(false);
  expect(tagging.commandCalls(GetResourcesCommand)[0].args[0].input)
    .toEqual({ TagFilters: [{ Key: 'lab', Values: ['LambdaUsersLab'] }] });
  expect(formatLeftovers(report)).toBe([
    'Nothing of LambdaUsersLab is left in us-east-1: '
      + 'no resource tagged lab=LambdaUsersLab, no log group or AMI named after it.',
    '',
    'Shared, not the lab\'s (left in place on purpose):',
    `  ${TOOLKIT_ID}`,
    '      the CDK bootstrap stack: every lab deploys through it '
      + '(its bucket keeps the lab\'s uploaded assets); keep it while you use the labs',
  ].join('\n'));
});

test('lists tagged resources and the untagged log groups Lambda created, once each, '
  + 'with how to delete them (AWS API mocked)', async () => {
  const tableLogs = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:LambdaUsersLab-UsersApiFunctionLogs-AbC123`;
  account({
    tagged: [`arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/LambdaUsersLab-UsersTable-XyZ`, tableLogs],
    logGroups: {
      '/aws/lambda/LambdaUsersLab-': ['/aws/lambda/LambdaUsersLab-CustomVpcRestrictDefaultSGCustomR-Q1'],
      'LambdaUsersLab-': ['LambdaUsersLab-UsersApiFunctionLogs-AbC123'],
    },
  });
  const report = await findLeftovers('LambdaUsersLab', clients());
  expect(report.leftovers).toEqual([
    {
      arn: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/LambdaUsersLab-UsersTable-XyZ`,
      why: 'tagged lab=LambdaUsersLab',
      deleteWith: 'aws dynamodb delete-table --table-name LambdaUsersLab-UsersTable-XyZ',
    },
    {
      arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:`
        + '/aws/lambda/LambdaUsersLab-CustomVpcRestrictDefaultSGCustomR-Q1',
      why: 'log group named after the lab\'s resources (/aws/lambda/LambdaUsersLab-...)',
      deleteWith: 'aws logs delete-log-group --log-group-name '
        + '/aws/lambda/LambdaUsersLab-CustomVpcRestrictDefaultSGCustomR-Q1',
    },
    {
      arn: tableLogs,
      why: 'tagged lab=LambdaUsersLab',
      deleteWith: 'aws logs delete-log-group --log-group-name LambdaUsersLab-UsersApiFunctionLogs-AbC123',
    },
  ]);
  expect(hasLeftovers(report)).toBe(true);
  expect(formatLeftovers(report)).toMatch(/^Left over from LambdaUsersLab in us-east-1 \(3\):\n {2}arn:aws:dynamodb:/);
});

test('leaves out terminated instances, and those EC2 has forgotten, '
  + 'which the tagging API still lists (AWS API mocked)', async () => {
  const instance = (id: string) => `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/${id}`;
  account({
    tagged: [instance('i-0aaaaaaaaaaaaaaa1'), instance('i-0bbbbbbbbbbbbbbb2'), instance('i-0ccccccccccccccc3')],
  });
  ec2.on(DescribeInstancesCommand, {
    Filters: [{ Name: 'instance-id', Values: ['i-0aaaaaaaaaaaaaaa1', 'i-0bbbbbbbbbbbbbbb2', 'i-0ccccccccccccccc3'] }],
  }).resolves({ Reservations: [{ Instances: [
    { InstanceId: 'i-0aaaaaaaaaaaaaaa1', State: { Name: 'terminated' } },
    { InstanceId: 'i-0bbbbbbbbbbbbbbb2', State: { Name: 'stopped' } },
  ] }] });
  const report = await findLeftovers('Ec2AsgAlbLab', clients());
  expect(report.leftovers.map((leftover) => leftover.arn)).toEqual([instance('i-0bbbbbbbbbbbbbbb2')]);
});

test('finds the AMI step\'s images, untagged ones by the guide\'s name, '
  + 'and their snapshots (AWS API mocked)', async () => {
  account({ tagged: ['arn:aws:ec2:us-east-1::image/ami-0aaaaaaaaaaaaaaa1'] });
  ec2.on(DescribeImagesCommand, { Owners: ['self'], Filters: [{ Name: 'name', Values: ['WebServer-AMI-*'] }] })
    .resolves({ Images: [{ ImageId: 'ami-0bbbbbbbbbbbbbbb2', Name: 'WebServer-AMI-20261127-1012' }] });
  ec2.on(DescribeSnapshotsCommand, {
    OwnerIds: ['self'],
    Filters: [{
      Name: 'description',
      Values: [
        'Created by CreateImage(*) for ami-0aaaaaaaaaaaaaaa1*',
        'Created by CreateImage(*) for ami-0bbbbbbbbbbbbbbb2*',
      ],
    }],
  }).resolves({
    Snapshots: [{
      SnapshotId: 'snap-0ccccccccccccccc3',
      Description: 'Created by CreateImage(i-0ddddddddddddddd4) for ami-0bbbbbbbbbbbbbbb2',
    }],
  });
  const report = await findLeftovers('Ec2WebServerLab', clients());
  expect(report.leftovers.map(({ arn, deleteWith }) => [arn, deleteWith])).toEqual([
    ['arn:aws:ec2:us-east-1::image/ami-0aaaaaaaaaaaaaaa1', 'aws ec2 deregister-image --image-id ami-0aaaaaaaaaaaaaaa1'],
    ['arn:aws:ec2:us-east-1::image/ami-0bbbbbbbbbbbbbbb2', 'aws ec2 deregister-image --image-id ami-0bbbbbbbbbbbbbbb2'],
    ['arn:aws:ec2:us-east-1::snapshot/snap-0ccccccccccccccc3',
      'aws ec2 delete-snapshot --snapshot-id snap-0ccccccccccccccc3  # after deregistering its AMI'],
  ]);
});

describe('the S3 uploads lab\'s bucket, table and queue, when they outlive the stack (AWS API mocked)', () => {
  const arnOf = (bucket: string) => `arn:aws:s3:::${bucket}`;
  const TABLE = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/S3UploadsLab-UploadProcessorTable-1A2B3C`;
  const QUEUE = `arn:aws:sqs:us-east-1:${ACCOUNT}:S3UploadsLab-UploadProcessorFailureQueue-4D5E6F`;

  async function leftoversWith(buckets: Record<string, { KeyCount?: number; IsTruncated?: boolean } | Error>) {
    account({ tagged: [...Object.keys(buckets).map(arnOf), TABLE, QUEUE] });
    for (const [bucket, answer] of Object.entries(buckets)) {
      const call = s3.on(ListObjectsV2Command, { Bucket: bucket, MaxKeys: 1000 });
      if (answer instanceof Error) call.rejects(answer);
      else call.resolves(answer);
    }
    return (await findLeftovers('S3UploadsLab', clients())).leftovers;
  }

  test('lists each with the command that deletes it, the bucket with its objects', async () => {
    const leftovers = await leftoversWith({ 's3uploadslab-bucket-a': { KeyCount: 3, IsTruncated: false } });
    expect(leftovers).toEqual([
      {
        arn: TABLE,
        why: 'tagged lab=S3UploadsLab',
        deleteWith: 'aws dynamodb delete-table --table-name S3UploadsLab-UploadProcessorTable-1A2B3C',
      },
      {
        arn: arnOf('s3uploadslab-bucket-a'),
        why: 'tagged lab=S3UploadsLab; it holds 3 objects',
        deleteWith: 'aws s3 rb s3://s3uploadslab-bucket-a --force  # deletes its objects first',
      },
      { arn: QUEUE, why: 'tagged lab=S3UploadsLab', deleteWith: `aws sqs delete-queue --queue-url https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/S3UploadsLab-UploadProcessorFailureQueue-4D5E6F` },
    ]);
  });

  test('counts 0, 1 and 1000 objects, and says "more than 1000" past one page', async () => {
    const leftovers = await leftoversWith({
      'bucket-empty': { KeyCount: 0, IsTruncated: false },
      'bucket-one': { KeyCount: 1, IsTruncated: false },
      'bucket-full-page': { KeyCount: 1000, IsTruncated: false },
      'bucket-more': { KeyCount: 1000, IsTruncated: true },
    });
    expect(leftovers
      .filter((leftover) => leftover.arn.startsWith('arn:aws:s3:::'))
      .map((leftover) => [leftover.arn, leftover.why.replace(/^tagged lab=S3UploadsLab; /, '')])).toEqual([
      [arnOf('bucket-empty'), 'it holds 0 objects'],
      [arnOf('bucket-full-page'), 'it holds 1000 objects'],
      [arnOf('bucket-more'), 'it holds more than 1000 objects'],
      [arnOf('bucket-one'), 'it holds 1 object'],
    ]);
  });

  test('drops a bucket the tagging API still lists but S3 has deleted, and keeps one it may not list', async () => {
    const leftovers = await leftoversWith({
      'bucket-deleted': Object.assign(new Error('The specified bucket does not exist'), { name: 'NoSuchBucket' }),
      'bucket-denied': Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }),
    });
    expect(leftovers
      .filter((leftover) => leftover.arn.startsWith('arn:aws:s3:::'))
      .map((leftover) => [leftover.arn, leftover.why])).toEqual([
      [arnOf('bucket-denied'), 'tagged lab=S3UploadsLab; its objects could not be listed (AccessDenied)'],
    ]);
  });
});

test('names Elastic Beanstalk\'s bucket as shared, '
  + 'not as a leftover of the Beanstalk lab (AWS API mocked)', async () => {
  account();
  s3.on(ListBucketsCommand, { Prefix: 'elasticbeanstalk-', BucketRegion: 'us-east-1' })
    .resolves({ Buckets: [{ Name: `elasticbeanstalk-us-east-1-${ACCOUNT}` }] });
  const report = await findLeftovers('BeanstalkAppLab', clients());
  expect(hasLeftovers(report)).toBe(false);
  expect(report.shared.map((resource) => resource.arn))
    .toEqual([TOOLKIT_ID, `arn:aws:s3:::elasticbeanstalk-us-east-1-${ACCOUNT}`]);
});

test('says to destroy the stack first while it still exists (AWS API mocked)', async () => {
  account();
  cloudFormation.on(DescribeStacksCommand, { StackName: 'FargateServiceLab' })
    .resolves({
      Stacks: [{ StackName: 'FargateServiceLab', StackStatus: 'CREATE_COMPLETE', CreationTime: new Date() }],
    });
  const report = await findLeftovers('FargateServiceLab', clients());
  expect(hasLeftovers(report)).toBe(true);
  expect(formatLeftovers(report).split('\n')[0]).toBe('The stack FargateServiceLab still exists in us-east-1 '
    + '(CREATE_COMPLETE): run `npx cdk destroy FargateServiceLab` first.');
});

test('fails with what to do when the credentials are missing (AWS API mocked)', async () => {
  account();
  tagging.on(GetResourcesCommand).rejects(Object.assign(
    new Error('Could not load credentials from any providers'),
    { name: 'CredentialsProviderError' },
  ));
  await expect(findLeftovers('LambdaUsersLab', clients())).rejects.toEqual(expect.any(CannotRunError));
});

test('reports the log group API Gateway created for the users lab, '
  + 'with its delete command (AWS API mocked)', async () => {
  account();
  logs.on(DescribeLogGroupsCommand, { logGroupNamePrefix: '/aws/apigateway/welcome' }).resolves({ logGroups: [
    {
      logGroupName: '/aws/apigateway/welcome',
      arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/apigateway/welcome:*`,
    },
    {
      logGroupName: '/aws/apigateway/welcome-other',
      arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/apigateway/welcome-other:*`,
    },
  ] });
  const report = await findLeftovers('LambdaUsersLab', clients());
  expect(report.leftovers).toEqual([{
    arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/apigateway/welcome`,
    why: 'API Gateway created it, not the stack, when the lab set the account\'s CloudWatch role; it never expires',
    deleteWith: 'aws logs delete-log-group --log-group-name /aws/apigateway/welcome',
  }]);
  expect(hasLeftovers(report)).toBe(true);
});

test('does not look for the API Gateway log group after a lab without an API (AWS API mocked)', async () => {
  account();
  logs.on(DescribeLogGroupsCommand, { logGroupNamePrefix: '/aws/apigateway/welcome' }).resolves({ logGroups: [
    {
      logGroupName: '/aws/apigateway/welcome',
      arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/apigateway/welcome:*`,
    },
  ] });
  const report = await findLeftovers('Ec2AsgAlbLab', clients());
  expect(report.leftovers).toEqual([]);
});

test('lists a log group found both by its tag and by its name once, as tagged (AWS API mocked)', async () => {
  const name = 'LambdaUsersLab-UsersApiAccessLogs-Q9';
  account({
    tagged: [`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${name}`],
    logGroups: { 'LambdaUsersLab-': [name] },
  });
  const report = await findLeftovers('LambdaUsersLab', clients());
  expect(report.leftovers.map(({ arn, why }) => [arn, why]))
    .toEqual([[`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${name}`, 'tagged lab=LambdaUsersLab']]);
  expect(formatLeftovers(report)).toMatch(/^Left over from LambdaUsersLab in us-east-1 \(1\):/);
});

test('lists the service-linked roles the lab\'s services created as shared, '
  + 'never as leftovers (AWS API mocked)', async () => {
  account();
  const roleArn = (name: string, service: string) =>
    `arn:aws:iam::${ACCOUNT}:role/aws-service-role/${service}/${name}`;
  for (const [name, service] of [
    ['AWSServiceRoleForAutoScaling', 'autoscaling.amazonaws.com'],
    ['AWSServiceRoleForElasticLoadBalancing', 'elasticloadbalancing.amazonaws.com'],
  ]) {
    iam.on(GetRoleCommand, { RoleName: name }).resolves({
      Role: {
        RoleName: name,
        Arn: roleArn(name, service),
        Path: `/aws-service-role/${service}/`,
        RoleId: 'AROA1',
        CreateDate: new Date(),
      },
    });
  }
  const report = await findLeftovers('Ec2AsgAlbLab', clients());
  expect(hasLeftovers(report)).toBe(false);
  expect(report.shared.map((resource) => resource.arn)).toEqual([
    TOOLKIT_ID,
    roleArn('AWSServiceRoleForAutoScaling', 'autoscaling.amazonaws.com'),
    roleArn('AWSServiceRoleForElasticLoadBalancing', 'elasticloadbalancing.amazonaws.com'),
  ]);
  expect(formatLeftovers(report)).toContain(
    `  ${roleArn('AWSServiceRoleForAutoScaling', 'autoscaling.amazonaws.com')}\n`
      + '      a service-linked role: it belongs to the account, not the stack, '
      + 'and every resource of its service uses it; '
      + 'it costs nothing, and IAM deletes it only once nothing of that service uses it',
  );
});

test('leaves out the service-linked roles that do not exist, '
  + 'and asks IAM only for the lab\'s own (AWS API mocked)', async () => {
  account();
  const report = await findLeftovers('FargateServiceLab', clients());
  expect(report.shared.map((resource) => resource.arn)).toEqual([TOOLKIT_ID]);
  expect(iam.commandCalls(GetRoleCommand).map((call) => call.args[0].input.RoleName)).toEqual([
    'AWSServiceRoleForECS',
    'AWSServiceRoleForElasticLoadBalancing',
    'AWSServiceRoleForApplicationAutoScaling_ECSService',
  ]);
});

test('fails with what to do when IAM refuses to say whether a role exists (AWS API mocked)', async () => {
  account();
  iam.on(GetRoleCommand).rejects(Object.assign(
    new Error('User: arn:aws:iam::123456789012:user/s is not authorized to perform: iam:GetRole'),
    { name: 'AccessDenied' },
  ));
  await expect(findLeftovers('BeanstalkAppLab', clients()))
    .rejects.toThrow(/^Your AWS identity may not do this: .*iam:GetRole/);
});

describe('the ECS event tasks lab\'s remains, when they outlive the stack (AWS API mocked)', () => {
  const LAB = 'EcsEventTasksLab';
  const BUCKET = 'ecseventtaskslab-uploadtasksbucket-b1';
  const TABLE = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/${LAB}-UploadTasksTable-T1`;
  const QUEUE = `arn:aws:sqs:us-east-1:${ACCOUNT}:${LAB}-UploadTasksDeadLetterQueue-Q1`;
  const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:${LAB}-FailureNotificationsTopic-N1`;
  const TASK_DEFINITION = `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/${LAB}UploadTasksTask:3`;
  const logGroup = (name: string) => `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${name}`;
  const TASK_LOGS = `${LAB}-UploadTasksLogs-L1`;
  const HANDLER_LOGS = `${LAB}-EcsServiceLinkedRoleLogs-L2`;

  /** The lab destroyed with its bucket, table, queue, topic and log groups left; the bucket's versioning answer. */
  async function leftovers(versioning: { Status?: 'Enabled' | 'Suspended' } | Error = { Status: 'Enabled' }) {
    account({
      tagged: [`arn:aws:s3:::${BUCKET}`, TABLE, QUEUE, TOPIC, TASK_DEFINITION, logGroup(TASK_LOGS)],
      logGroups: { [`${LAB}-`]: [TASK_LOGS, HANDLER_LOGS] },
    });
    s3.on(ListObjectsV2Command, { Bucket: BUCKET, MaxKeys: 1000 }).resolves({ KeyCount: 2, IsTruncated: false });
    const call = s3.on(GetBucketVersioningCommand, { Bucket: BUCKET });
    if (versioning instanceof Error) call.rejects(versioning);
    else call.resolves(versioning);
    return findLeftovers(LAB, clients());
  }

  test('lists the bucket, table, queue, topic, log groups and task definition, '
    + 'each with the command that deletes it', async () => {
    const report = await leftovers();
    expect(report.leftovers.map(({ arn, deleteWith }) => [arn, deleteWith])).toEqual([
      [TABLE, `aws dynamodb delete-table --table-name ${LAB}-UploadTasksTable-T1`],
      [TASK_DEFINITION, `aws ecs delete-task-definitions --task-definitions ${LAB}UploadTasksTask:3`
        + '  # ECS keeps deregistered revisions as INACTIVE'],
      [logGroup(HANDLER_LOGS), `aws logs delete-log-group --log-group-name ${HANDLER_LOGS}`],
      [logGroup(TASK_LOGS), `aws logs delete-log-group --log-group-name ${TASK_LOGS}`],
      [`arn:aws:s3:::${BUCKET}`, `aws s3 rb s3://${BUCKET}  # once empty of every version: `
        + 'the S3 console\'s Empty deletes them'],
      [TOPIC, `aws sns delete-topic --topic-arn ${TOPIC}  # and its subscriptions`],
      [QUEUE, 'aws sqs delete-queue --queue-url '
        + `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/${LAB}-UploadTasksDeadLetterQueue-Q1`],
    ]);
    expect(hasLeftovers(report)).toBe(true);
    expect(formatLeftovers(report)).toMatch(/^Left over from EcsEventTasksLab in us-east-1 \(7\):\n/);
  });

  test('says a versioned bucket may hold older versions besides its objects, '
    + 'which rb --force would not delete', async () => {
    const bucketWhy = async (versioning: { Status?: 'Enabled' | 'Suspended' } | Error) =>
      (await leftovers(versioning)).leftovers.find((leftover) => leftover.arn === `arn:aws:s3:::${BUCKET}`)!;
    const versioned = {
      why: 'tagged lab=EcsEventTasksLab; it holds 2 objects, and may hold older versions and delete markers: '
        + 'it is versioned',
      deleteWith: `aws s3 rb s3://${BUCKET}  # once empty of every version: the S3 console's Empty deletes them`,
    };
    const unversioned = {
      why: 'tagged lab=EcsEventTasksLab; it holds 2 objects',
      deleteWith: `aws s3 rb s3://${BUCKET} --force  # deletes its objects first`,
    };
    expect(await bucketWhy({ Status: 'Enabled' })).toMatchObject(versioned);
    expect(await bucketWhy({ Status: 'Suspended' })).toMatchObject(versioned);
    expect(await bucketWhy({})).toMatchObject(unversioned);
    expect(await bucketWhy(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' })))
      .toMatchObject(unversioned);
  });

  test('names ECS\'s service-linked role as shared, and asks IAM for no other', async () => {
    await leftovers();
    const role = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`;
    iam.on(GetRoleCommand, { RoleName: 'AWSServiceRoleForECS' }).resolves({
      Role: {
        RoleName: 'AWSServiceRoleForECS', Arn: role, Path: '/aws-service-role/ecs.amazonaws.com/',
        RoleId: 'AROA1', CreateDate: new Date(),
      },
    });
    iam.resetHistory();
    const report = await findLeftovers(LAB, clients());
    expect(report.shared.map((resource) => resource.arn)).toEqual([TOOLKIT_ID, role]);
    expect(iam.commandCalls(GetRoleCommand).map((call) => call.args[0].input.RoleName))
      .toEqual(['AWSServiceRoleForECS']);
    expect(report.leftovers.map((leftover) => leftover.arn)).not.toContain(role);
  });
});

test('deletes a topic, but names no command for one of its subscriptions (AWS API mocked)', async () => {
  const topic = `arn:aws:sns:us-east-1:${ACCOUNT}:EcsEventTasksLab-Topic-N1`;
  account({ tagged: [topic, `${topic}:0a1b2c3d-4e5f-6789-abcd-ef0123456789`] });
  const report = await findLeftovers('EcsEventTasksLab', clients());
  expect(report.leftovers.map(({ arn, deleteWith }) => [arn, deleteWith])).toEqual([
    [topic, `aws sns delete-topic --topic-arn ${topic}  # and its subscriptions`],
    [`${topic}:0a1b2c3d-4e5f-6789-abcd-ef0123456789`, undefined],
  ]);
});

test('deletes a tagged Scheduler schedule group with its schedules: Scheduler tags only groups, '
  + 'never a schedule (AWS API mocked)', async () => {
  const group = `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule-group/EcsEventTasksLab-Sweeps`;
  account({ tagged: [group] });
  const report = await findLeftovers('EcsEventTasksLab', clients());
  expect(report.leftovers).toEqual([{
    arn: group,
    why: 'tagged lab=EcsEventTasksLab',
    deleteWith: 'aws scheduler delete-schedule-group --name EcsEventTasksLab-Sweeps  # and its schedules',
  }]);
});

describe('the SQS workers lab\'s remains, when they outlive the stack (AWS API mocked)', () => {
  const LAB = 'SqsWorkersLab';
  const region = `us-east-1:${ACCOUNT}`;
  const QUEUE = `${LAB}-WorkersJobsDD2252FC-J1`;
  const DEAD_LETTER_QUEUE = `${LAB}-WorkersDeadLetterQueueEBACD5CF-D1`;
  const TABLE = `arn:aws:dynamodb:${region}:table/${LAB}-WorkersResults27D00E3C-R1`;
  const alarm = (name: string) => `arn:aws:cloudwatch:${region}:alarm:${name}`;
  const SCALE_OUT = `${LAB}-WorkersServiceTaskCountTargetJobsWaitingUpperAlarm-A1`;
  const SCALE_IN = `${LAB}-WorkersServiceTaskCountTargetQueueIdleLowerAlarm-A2`;
  const TASK_DEFINITION = `arn:aws:ecs:${region}:task-definition/${LAB}WorkersTask1C05703B:2`;
  const logGroup = (name: string) => `arn:aws:logs:${region}:log-group:${name}`;
  const WORKER_LOGS = `${LAB}-WorkersLogs1844A850-L1`;
  const HANDLER_LOGS = `${LAB}-EcsServiceLinkedRoleLogsFD72ABB8-L2`;
  const roleArn = (name: string, service: string) => `arn:aws:iam::${ACCOUNT}:role/aws-service-role/${service}/${name}`;
  const ROLES: Array<[string, string]> = [
    ['AWSServiceRoleForECS', 'ecs.amazonaws.com'],
    ['AWSServiceRoleForApplicationAutoScaling_ECSService', 'ecs.application-autoscaling.amazonaws.com'],
  ];

  /** The lab destroyed with its queues, table, alarms, task definition and log groups left, and both roles kept. */
  async function leftovers() {
    account({
      tagged: [
        `arn:aws:sqs:${region}:${QUEUE}`, `arn:aws:sqs:${region}:${DEAD_LETTER_QUEUE}`, TABLE,
        alarm(SCALE_OUT), alarm(SCALE_IN), TASK_DEFINITION, logGroup(WORKER_LOGS),
      ],
      logGroups: { [`${LAB}-`]: [WORKER_LOGS, HANDLER_LOGS] },
    });
    for (const [name, service] of ROLES) {
      iam.on(GetRoleCommand, { RoleName: name }).resolves({
        Role: {
          RoleName: name, Arn: roleArn(name, service), Path: `/aws-service-role/${service}/`,
          RoleId: 'AROA1', CreateDate: new Date(),
        },
      });
    }
    return findLeftovers(LAB, clients());
  }

  test('lists the alarms, table, task definition, log groups and both queues, each with the command that '
    + 'deletes it', async () => {
    const report = await leftovers();
    const queueUrl = (name: string) => `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/${name}`;
    expect(report.leftovers.map(({ arn, deleteWith }) => [arn, deleteWith])).toEqual([
      [alarm(SCALE_OUT), `aws cloudwatch delete-alarms --alarm-names ${SCALE_OUT}`],
      [alarm(SCALE_IN), `aws cloudwatch delete-alarms --alarm-names ${SCALE_IN}`],
      [TABLE, `aws dynamodb delete-table --table-name ${LAB}-WorkersResults27D00E3C-R1`],
      [TASK_DEFINITION, `aws ecs delete-task-definitions --task-definitions ${LAB}WorkersTask1C05703B:2`
        + '  # ECS keeps deregistered revisions as INACTIVE'],
      [logGroup(HANDLER_LOGS), `aws logs delete-log-group --log-group-name ${HANDLER_LOGS}`],
      [logGroup(WORKER_LOGS), `aws logs delete-log-group --log-group-name ${WORKER_LOGS}`],
      [`arn:aws:sqs:${region}:${DEAD_LETTER_QUEUE}`, `aws sqs delete-queue --queue-url ${queueUrl(DEAD_LETTER_QUEUE)}`],
      [`arn:aws:sqs:${region}:${QUEUE}`, `aws sqs delete-queue --queue-url ${queueUrl(QUEUE)}`],
    ]);
    expect(report.leftovers.find((leftover) => leftover.arn === alarm(SCALE_IN))?.why).toBe('tagged lab=SqsWorkersLab');
    expect(formatLeftovers(report)).toMatch(/^Left over from SqsWorkersLab in us-east-1 \(8\):\n/);
  });

  test('names the service-linked roles of ECS and Application Auto Scaling as shared, '
    + 'and asks IAM for no other', async () => {
    const report = await leftovers();
    expect(report.shared.map((resource) => resource.arn))
      .toEqual([TOOLKIT_ID, ...ROLES.map(([name, service]) => roleArn(name, service))]);
    expect(iam.commandCalls(GetRoleCommand).map((call) => call.args[0].input.RoleName))
      .toEqual(ROLES.map(([name]) => name));
    expect(report.leftovers.map((leftover) => leftover.arn).filter((arn) => arn.includes(':iam:'))).toEqual([]);
  });
});

test('names no delete command for an ARN of CloudWatch that is not an alarm (AWS API mocked)', async () => {
  const dashboard = `arn:aws:cloudwatch::${ACCOUNT}:dashboard/SqsWorkersLab-Board`;
  account({ tagged: [dashboard] });
  const report = await findLeftovers('SqsWorkersLab', clients());
  expect(report.leftovers).toEqual([{ arn: dashboard, why: 'tagged lab=SqsWorkersLab', deleteWith: undefined }]);
});
