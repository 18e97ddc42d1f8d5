import * as fs from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { allDependencies } from '../../lib/template/dependencies';
import { normalizeTemplate } from '../helpers/normalize-template';
import { synthLabs, templateOf } from '../helpers/synth';

const STACK = 'EcsEventTasksLab';
const synthed = synthLabs([STACK]);
const template = Template.fromJSON(templateOf(synthed, STACK));
const resources = template.toJSON().Resources;
const withContext = (context: Record<string, unknown>) => {
  const result = synthLabs([STACK], { context });
  expect(result.error).toBeUndefined();
  expect(result.violations).toEqual([]);
  return Template.fromJSON(templateOf(result, STACK));
};
/** The message synth throws with these context values. */
const failsWith = (context: Record<string, unknown>): string => {
  try {
    synthLabs([STACK], { context });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`synth passed with ${JSON.stringify(context)}`);
};
const idOf = (type: string, like?: RegExp) => {
  const ids = Object.keys(template.findResources(type)).filter((id) => !like || like.test(id));
  expect(ids).toHaveLength(1);
  return ids[0];
};
const ref = (type: string, like?: RegExp) => ({ Ref: idOf(type, like) });
const arnOf = (type: string, like?: RegExp) => ({ 'Fn::GetAtt': [idOf(type, like), 'Arn'] });
/** The statements of the inline policies attached to a role. */
const statementsOf = (role: string) => Object.values(template.findResources('AWS::IAM::Policy'))
  .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: role }]))
  .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
const task = () => resources[idOf('AWS::ECS::TaskDefinition')].Properties;
const uploadRule = () => resources[idOf('AWS::Events::Rule', /OnUpload/)].Properties;
const failureRule = () => resources[idOf('AWS::Events::Rule', /OnFailedTask/)].Properties;
const schedule = () => resources[idOf('AWS::Scheduler::Schedule')].Properties;
const roleOf = (target: { RoleArn: { 'Fn::GetAtt': [string, string] } }) => target.RoleArn['Fn::GetAtt'][0];
/** The start of an ECS ARN in the stack's partition and region, as aws-cdk-lib joins it, then `rest`. */
const regionalArn = (rest: string) => ['arn:', { Ref: 'AWS::Partition' }, ':ecs:', { Ref: 'AWS::Region' }, rest];
const taskRoles = () => [task().ExecutionRoleArn, task().TaskRoleArn];

test('synthesizes with no unacknowledged finding', () => {
  expect(synthed.error).toBeUndefined();
  expect(synthed.violations).toEqual([]);
});

test('matches the snapshot', () => {
  expect(normalizeTemplate(templateOf(synthed, STACK))).toMatchSnapshot();
});

describe('the task', () => {
  test('is Fargate\'s smallest size on Graviton, running the AWS CLI image pinned to a release', () => {
    expect(task()).toEqual(expect.objectContaining({
      Cpu: '256',
      Memory: '512',
      RequiresCompatibilities: ['FARGATE'],
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
    }));
    const [container] = task().ContainerDefinitions;
    expect(task().ContainerDefinitions).toHaveLength(1);
    expect(container.Image).toMatch(/^public\.ecr\.aws\/aws-cli\/aws-cli:2\.\d+\.\d+$/);
  });

  test('runs the processing script from the repository with sh, as the container\'s command', () => {
    const [container] = task().ContainerDefinitions;
    const script = fs.readFileSync(
      path.join(__dirname, '..', '..', 'labs', 'ecs-event-tasks', 'task', 'process-objects.sh'), 'utf-8');
    expect(container.EntryPoint).toEqual(['/bin/sh', '-c']);
    expect(container.Command).toEqual([script]);
  });

  test('names its bucket, table and prefix in its environment, and runs as a sweep unless told otherwise', () => {
    const [container] = task().ContainerDefinitions;
    expect(container.Environment).toEqual([
      { Name: 'BUCKET', Value: ref('AWS::S3::Bucket') },
      { Name: 'TABLE', Value: ref('AWS::DynamoDB::Table') },
      { Name: 'KEY_PREFIX', Value: 'incoming/' },
      { Name: 'TRIGGER', Value: 'schedule' },
    ]);
  });

  test('logs to a log group of the stack, kept a week and deleted with it', () => {
    const [container] = task().ContainerDefinitions;
    const group = container.LogConfiguration.Options['awslogs-group'].Ref;
    expect(container.LogConfiguration.Options['awslogs-stream-prefix']).toBe('processor');
    expect(resources[group]).toEqual(expect.objectContaining({
      Type: 'AWS::Logs::LogGroup',
      Properties: expect.objectContaining({ RetentionInDays: 7 }),
      DeletionPolicy: 'Delete',
    }));
  });

  test('may read objects under the prefix, list the bucket\'s versions, put items in its table, nothing more', () => {
    const bucket = arnOf('AWS::S3::Bucket');
    expect(statementsOf(task().TaskRoleArn['Fn::GetAtt'][0])).toEqual([
      {
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Effect: 'Allow',
        Resource: { 'Fn::Join': ['', [bucket, '/incoming/*']] },
      },
      { Action: ['s3:ListBucket', 's3:ListBucketVersions'], Effect: 'Allow', Resource: bucket },
      { Action: 'dynamodb:PutItem', Effect: 'Allow', Resource: arnOf('AWS::DynamoDB::Table') },
    ]);
  });

  test('has an execution role that may only write the task\'s log group (the image is public)', () => {
    const group = task().ContainerDefinitions[0].LogConfiguration.Options['awslogs-group'].Ref;
    expect(statementsOf(task().ExecutionRoleArn['Fn::GetAtt'][0])).toEqual([{
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [group, 'Arn'] },
    }]);
  });

  test('accepts no inbound traffic', () => {
    const group = resources[idOf('AWS::EC2::SecurityGroup', /TaskSecurityGroup/)].Properties;
    expect(group.SecurityGroupIngress).toBeUndefined();
    expect(template.findResources('AWS::EC2::SecurityGroupIngress')).toEqual({});
  });
});

describe('on upload', () => {
  test('a rule matches Object Created events of this bucket under incoming/ only', () => {
    expect(uploadRule().EventPattern).toEqual({
      'source': ['aws.s3'],
      'detail-type': ['Object Created'],
      'detail': { bucket: { name: [ref('AWS::S3::Bucket')] }, object: { key: [{ prefix: 'incoming/' }] } },
    });
  });

  test('the bucket sends its events to EventBridge, keeps versions and expires them', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: { EventBridgeConfiguration: {} },
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [{
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          ExpirationInDays: 7,
          NoncurrentVersionExpiration: { NoncurrentDays: 1 },
          Status: 'Enabled',
        }],
      },
    });
  });

  test('runs one Fargate task with a public IP, passing the object\'s key and version as overrides', () => {
    const [target] = uploadRule().Targets;
    expect(uploadRule().Targets).toHaveLength(1);
    expect(target.EcsParameters).toEqual(expect.objectContaining({
      LaunchType: 'FARGATE',
      TaskCount: 1,
      TaskDefinitionArn: ref('AWS::ECS::TaskDefinition'),
      PropagateTags: 'TASK_DEFINITION',
    }));
    expect(target.EcsParameters.NetworkConfiguration.AwsVpcConfiguration).toEqual(expect.objectContaining({
      AssignPublicIp: 'ENABLED',
      Subnets: [{ Ref: expect.stringMatching(/PublicSubnet1/) }, { Ref: expect.stringMatching(/PublicSubnet2/) }],
    }));
    expect(target.InputTransformer.InputPathsMap).toEqual({
      'detail-object-key': '$.detail.object.key',
      'detail-object-version-id': '$.detail.object.version-id',
    });
    // The key goes in unquoted: EventBridge writes the event's string as a JSON string, escapes included.
    expect(JSON.parse(target.InputTransformer.InputTemplate
      .replace('<detail-object-key>', '"incoming/a \\"b\\".txt"')
      .replace('<detail-object-version-id>', '"v1"'))).toEqual({
      containerOverrides: [{
        name: 'processor',
        environment: [
          { name: 'KEY', value: 'incoming/a "b".txt' },
          { name: 'VERSION_ID', value: 'v1' },
          { name: 'TRIGGER', value: 'upload' },
        ],
      }],
    });
  });

  test('retries a failed start 3 times for up to an hour, then keeps the event in the dead-letter queue', () => {
    const [target] = uploadRule().Targets;
    expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 });
    expect(target.DeadLetterConfig).toEqual({ Arn: arnOf('AWS::SQS::Queue') });
  });

  test('the rule\'s role may run this task definition in this cluster, pass its two roles and tag its tasks', () => {
    const role = roleOf(uploadRule().Targets[0]);
    expect(resources[role].Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
    }]);
    expect(statementsOf(role)).toEqual([
      {
        Action: 'ecs:RunTask',
        Condition: { ArnEquals: { 'ecs:cluster': arnOf('AWS::ECS::Cluster') } },
        Effect: 'Allow',
        Resource: ref('AWS::ECS::TaskDefinition'),
      },
      {
        Action: 'ecs:TagResource',
        Effect: 'Allow',
        Resource: { 'Fn::Join': ['', [...regionalArn(':*:task/'), ref('AWS::ECS::Cluster'), '/*']] },
      },
      { Action: 'iam:PassRole', Effect: 'Allow', Resource: taskRoles() },
    ]);
  });

  test('only this rule may send to the dead-letter queue, over TLS', () => {
    const policy = Object.values(template.findResources('AWS::SQS::QueuePolicy'))[0].Properties.PolicyDocument;
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Action: 'sqs:*',
        Effect: 'Deny',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
      expect.objectContaining({
        Action: 'sqs:SendMessage',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Condition: { ArnEquals: { 'aws:SourceArn': arnOf('AWS::Events::Rule', /OnUpload/) } },
      }),
    ]);
  });
});

describe('every hour', () => {
  test('a Scheduler schedule runs the same task without overrides, in UTC, with the same retries', () => {
    expect(schedule()).toEqual(expect.objectContaining({
      ScheduleExpression: 'rate(1 hour)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
    }));
    expect(schedule().Target).toEqual(expect.objectContaining({
      Arn: arnOf('AWS::ECS::Cluster'),
      RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
      DeadLetterConfig: { Arn: arnOf('AWS::SQS::Queue') },
    }));
    expect(schedule().Target.Input).toBeUndefined();
    expect(schedule().Target.EcsParameters).toEqual(expect.objectContaining({
      LaunchType: 'FARGATE',
      TaskDefinitionArn: ref('AWS::ECS::TaskDefinition'),
      PropagateTags: 'TASK_DEFINITION',
    }));
    expect(schedule().Target.EcsParameters.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp).toBe('ENABLED');
  });

  test('the schedule is in a group of the lab, which takes the lab\'s tags, and is created before it', () => {
    const group = idOf('AWS::Scheduler::ScheduleGroup');
    expect(schedule().GroupName).toBe(resources[group].Properties.Name);
    expect(resources[group].Properties.Tags).toEqual(expect.arrayContaining([{ Key: 'lab', Value: STACK }]));
    expect(resources[idOf('AWS::Scheduler::Schedule')].DependsOn).toContain(group);
  });

  test('the schedule\'s role may run this task definition, pass its two roles, tag its tasks, '
    + 'and send to the dead-letter queue', () => {
    const role = roleOf(schedule().Target);
    expect(resources[role].Properties.AssumeRolePolicyDocument.Statement).toEqual([expect.objectContaining({
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      Principal: { Service: 'scheduler.amazonaws.com' },
    })]);
    expect(statementsOf(role)).toEqual([
      {
        Action: 'iam:PassRole',
        Condition: { StringLike: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        Effect: 'Allow',
        Resource: taskRoles(),
      },
      { Action: 'ecs:RunTask', Effect: 'Allow', Resource: ref('AWS::ECS::TaskDefinition') },
      {
        Action: 'ecs:TagResource',
        Effect: 'Allow',
        Resource: {
          'Fn::Join': ['', [...regionalArn(':'), { Ref: 'AWS::AccountId' }, ':task/', ref('AWS::ECS::Cluster'), '/*']],
        },
      },
      { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: arnOf('AWS::SQS::Queue') },
    ]);
  });

  test('-c schedule changes the expression, and -c schedule=off leaves the schedule and its role out', () => {
    withContext({ schedule: 'rate(30 minutes)' })
      .hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(30 minutes)' });
    withContext({ schedule: 'cron(0 6 * * ? *)' })
      .hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(0 6 * * ? *)' });
    const off = withContext({ schedule: 'off' });
    off.resourceCountIs('AWS::Scheduler::Schedule', 0);
    off.resourceCountIs('AWS::Scheduler::ScheduleGroup', 0);
    off.resourceCountIs('AWS::IAM::Role', Object.keys(template.findResources('AWS::IAM::Role')).length - 1);
    off.resourceCountIs('AWS::Events::Rule', 2);
  });

  test.each([
    'rate(1 hours)', 'rate(2 hour)', 'rate(0 minutes)', 'rate(1 week)', 'rate(5minutes)', 'cron(0 6 * * ?)',
    'at(2026-12-01T00:00:00)', 'hourly', 'OFF',
  ])('fails on -c schedule=%s with what is allowed', (schedule) => {
    expect(failsWith({ schedule })).toMatch(new RegExp(`^schedule must be off, rate\\(<n> minute\\|minutes.*got '${
      schedule.replace(/[()*?]/g, '\\$&')}'$`));
  });
});

describe('on a failed task', () => {
  test('a rule matches this cluster\'s stopped tasks with an exit code other than 0 or an abnormal stop', () => {
    expect(failureRule().EventPattern).toEqual({
      'source': ['aws.ecs'],
      'detail-type': ['ECS Task State Change'],
      'detail': {
        clusterArn: [arnOf('AWS::ECS::Cluster')],
        lastStatus: ['STOPPED'],
        $or: [
          { containers: { exitCode: [{ 'anything-but': [0] }] } },
          { stopCode: [{ 'anything-but': ['EssentialContainerExited'] }] },
        ],
      },
    });
  });

  test('sends a readable message naming the task, why it stopped, its exit code and its log stream', () => {
    const [target] = failureRule().Targets;
    expect(target.Arn).toEqual(ref('AWS::SNS::Topic'));
    expect(target.InputTransformer.InputPathsMap).toEqual({
      'detail-taskArn': '$.detail.taskArn',
      'detail-stopCode': '$.detail.stopCode',
      'detail-stoppedReason': '$.detail.stoppedReason',
      'detail-containers-0--name': '$.detail.containers[0].name',
      'detail-containers-0--exitCode': '$.detail.containers[0].exitCode',
      'detail-containers-0--reason': '$.detail.containers[0].reason',
    });
    const text = JSON.stringify(target.InputTransformer.InputTemplate);
    for (const part of ['Task <detail-taskArn> stopped with a failure', 'Stop code: <detail-stopCode>',
      'Reason: <detail-stoppedReason>', '<detail-containers-0--exitCode>', 'stream processor/processor/<task id>']) {
      expect(text).toContain(part);
    }
    const group = task().ContainerDefinitions[0].LogConfiguration.Options['awslogs-group'];
    expect(target.InputTransformer.InputTemplate['Fn::Join'][1]).toContainEqual(group);
  });

  test('the topic takes TLS only, and from EventBridge only what this rule sends', () => {
    const policy = Object.values(template.findResources('AWS::SNS::TopicPolicy'))[0].Properties.PolicyDocument;
    const topic = ref('AWS::SNS::Topic');
    expect(policy.Statement).toEqual([
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      expect.objectContaining({
        Action: 'sns:Publish',
        Effect: 'Deny',
        Principal: { Service: 'events.amazonaws.com' },
        Resource: topic,
        Condition: { ArnNotEquals: { 'aws:SourceArn': arnOf('AWS::Events::Rule', /OnFailedTask/) } },
      }),
      expect.objectContaining({
        Action: 'sns:Publish',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Resource: topic,
      }),
    ]);
  });

  test('subscribes no one by default, and the address of -c notifyEmail by email', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    withContext({ notifyEmail: 'teacher@example.com' }).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'teacher@example.com',
      TopicArn: ref('AWS::SNS::Topic'),
    });
  });

  test('accepts an address of 254 characters and fails on one of 255', () => {
    const address = (length: number) => `${'a'.repeat(length - '@example.com'.length)}@example.com`;
    withContext({ notifyEmail: address(254) }).resourceCountIs('AWS::SNS::Subscription', 1);
    expect(failsWith({ notifyEmail: address(255) })).toMatch(/^notifyEmail must be an email address .*got 'a+@/);
  });

  test.each(['teacher', 'teacher@example', 'a b@example.com', '@example.com', 'x@@example.com'])(
    'fails on -c notifyEmail=%s', (notifyEmail) => {
      expect(failsWith({ notifyEmail })).toMatch(/^notifyEmail must be an email address \(name@example.com/);
    });
});

describe('the network and teardown', () => {
  test('has no NAT gateway: tasks reach AWS through public IPs', () => {
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::EIP', 0);
  });

  test('starts tasks only after, and stops starting them before, the internet gateway\'s attachment and routes', () => {
    const json = template.toJSON();
    const routes = Object.keys(template.findResources('AWS::EC2::Route'));
    for (const starter of [idOf('AWS::Events::Rule', /OnUpload/), idOf('AWS::Scheduler::Schedule')]) {
      const dependencies = allDependencies(json, starter);
      expect(dependencies).toContain(idOf('AWS::EC2::VPCGatewayAttachment'));
      for (const route of routes) expect(dependencies).toContain(route);
    }
  });

  test('keeps nothing after delete: no Retain or Snapshot policy, the bucket emptied first', () => {
    for (const resource of Object.values(resources) as any[]) {
      expect([undefined, 'Delete']).toContain(resource.DeletionPolicy);
      expect([undefined, 'Delete']).toContain(resource.UpdateReplacePolicy);
    }
    template.hasResourceProperties('Custom::S3AutoDeleteObjects', { BucketName: ref('AWS::S3::Bucket') });
  });

  test('the cluster waits for ECS\'s service-linked role', () => {
    expect(resources[idOf('AWS::ECS::Cluster')].DependsOn).toEqual([idOf('Custom::ServiceLinkedRole')]);
  });

  test('runs no service: no task while idle', () => {
    template.resourceCountIs('AWS::ECS::Service', 0);
  });
});

test('outputs the names a student needs, where the tasks run, and the command that runs the sweep once', () => {
  const outputs = template.findOutputs('*');
  expect(Object.keys(outputs).sort()).toEqual([
    'BucketName', 'ClusterName', 'DeadLetterQueueUrl', 'FailureTopicArn', 'KeyPrefix', 'SweepCommand', 'TableName',
    'TaskDefinitionArn', 'TaskLogGroupName', 'TaskSecurityGroup', 'TaskSubnets',
  ]);
  const subnets = [
    { Ref: expect.stringMatching(/PublicSubnet1/) }, ',', { Ref: expect.stringMatching(/PublicSubnet2/) },
  ];
  expect(outputs.TaskSubnets.Value).toEqual({ 'Fn::Join': ['', subnets] });
  expect(outputs.TaskDefinitionArn.Value).toEqual(ref('AWS::ECS::TaskDefinition'));
  const command = JSON.stringify(outputs.SweepCommand.Value);
  for (const part of ['aws ecs run-task --cluster ', '--launch-type FARGATE', 'assignPublicIp=ENABLED',
    '{\\"name\\":\\"TRIGGER\\",\\"value\\":\\"manual\\"}', '--query \\"tasks[0].taskArn\\" --output text']) {
    expect(command).toContain(part);
  }
  for (const value of [ref('AWS::ECS::TaskDefinition'), ref('AWS::ECS::Cluster'),
    { 'Fn::GetAtt': [idOf('AWS::EC2::SecurityGroup', /TaskSecurityGroup/), 'GroupId'] }]) {
    expect(outputs.SweepCommand.Value['Fn::Join'][1]).toContainEqual(value);
  }
});
