import * as fs from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { allDependencies } from '../../lib/template/dependencies';
import { normalizeTemplate } from '../helpers/normalize-template';
import { synthLabs, templateOf } from '../helpers/synth';

const STACK = 'SqsWorkersLab';
const WORKER_SCRIPT = path.join(__dirname, '..', '..', 'labs', 'sqs-workers', 'task', 'worker.sh');
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
const idOf = (type: string, like?: RegExp, t: Template = template) => {
  const ids = Object.keys(t.findResources(type)).filter((id) => !like || like.test(id));
  expect(ids).toHaveLength(1);
  return ids[0];
};
const arnOf = (type: string, like?: RegExp) => ({ 'Fn::GetAtt': [idOf(type, like), 'Arn'] });
const propsOf = (type: string, like?: RegExp) => resources[idOf(type, like)].Properties;
const task = () => propsOf('AWS::ECS::TaskDefinition');
const statementsOf = (role: string) => Object.values(template.findResources('AWS::IAM::Policy'))
  .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: role }]))
  .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
const QUEUE = /WorkersJobs/;
const DEAD_LETTERS = /WorkersDeadLetterQueue/;
const queueName = (like: RegExp) => ({ 'Fn::GetAtt': [idOf('AWS::SQS::Queue', like), 'QueueName'] });

test('synthesizes with no unacknowledged finding', () => {
  expect(synthed.error).toBeUndefined();
  expect(synthed.violations).toEqual([]);
});

test('matches the snapshot', () => {
  expect(normalizeTemplate(templateOf(synthed, STACK))).toMatchSnapshot();
});

describe('the queues', () => {
  test('the jobs queue hides a job for 60 s longer than the longest job, long-polls, and keeps jobs a day', () => {
    expect(propsOf('AWS::SQS::Queue', QUEUE)).toEqual(expect.objectContaining({
      VisibilityTimeout: 180,
      ReceiveMessageWaitTimeSeconds: 20,
      MessageRetentionPeriod: 86400,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: arnOf('AWS::SQS::Queue', DEAD_LETTERS), maxReceiveCount: 3 },
    }));
  });

  test('the dead-letter queue keeps a job 14 days', () => {
    expect(propsOf('AWS::SQS::Queue', DEAD_LETTERS)).toEqual(expect.objectContaining({
      MessageRetentionPeriod: 1209600,
      SqsManagedSseEnabled: true,
    }));
  });

  test('both take TLS only, and nothing else may send to the dead-letter queue', () => {
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy'));
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toEqual([expect.objectContaining({
        Action: 'sqs:*',
        Effect: 'Deny',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      })]);
    }
    const grants = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(grants).not.toContain(idOf('AWS::SQS::Queue', DEAD_LETTERS));
  });

  test('are deleted with the stack, as is the results table', () => {
    for (const type of ['AWS::SQS::Queue', 'AWS::DynamoDB::Table']) {
      for (const resource of Object.values(template.findResources(type))) {
        expect([resource.DeletionPolicy, resource.UpdateReplacePolicy]).toEqual(['Delete', 'Delete']);
      }
    }
  });

  test('-c maxJobSeconds sets the longest job and the visibility timeout with it', () => {
    const longer = withContext({ maxJobSeconds: '600' });
    expect(Object.values(longer.findResources('AWS::SQS::Queue')).map((queue) => queue.Properties.VisibilityTimeout))
      .toContain(660);
    expect(JSON.stringify(longer.findResources('AWS::ECS::TaskDefinition')))
      .toContain('{"Name":"MAX_JOB_SECONDS","Value":"600"}');
  });
});

describe('the workers', () => {
  test('run the worker script in the AWS CLI image pinned to a release, on Graviton, at Fargate\'s smallest', () => {
    const [container] = task().ContainerDefinitions;
    const script = fs.readFileSync(WORKER_SCRIPT, 'utf-8');
    expect(task()).toEqual(expect.objectContaining({
      Cpu: '256',
      Memory: '512',
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
    }));
    expect(container.Image).toMatch(/^public\.ecr\.aws\/aws-cli\/aws-cli:2\.\d+\.\d+$/);
    expect(container.EntryPoint).toEqual(['/bin/sh', '-c']);
    expect(container.Command).toEqual([script]);
    expect(container.StopTimeout).toBe(30);
  });

  test('know their queue, table and the longest job from their environment', () => {
    expect(task().ContainerDefinitions[0].Environment).toEqual([
      { Name: 'QUEUE_URL', Value: { Ref: idOf('AWS::SQS::Queue', QUEUE) } },
      { Name: 'TABLE', Value: { Ref: idOf('AWS::DynamoDB::Table') } },
      { Name: 'MAX_JOB_SECONDS', Value: '120' },
    ]);
  });

  test('may receive, return and delete jobs of the jobs queue and read and write the table, nothing more', () => {
    expect(statementsOf(task().TaskRoleArn['Fn::GetAtt'][0])).toEqual([
      {
        Action: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:ReceiveMessage'],
        Effect: 'Allow',
        Resource: arnOf('AWS::SQS::Queue', QUEUE),
      },
      { Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Effect: 'Allow', Resource: arnOf('AWS::DynamoDB::Table') },
    ]);
  });

  test('run as a service with public IPs in the public subnets, no inbound traffic, and no NAT gateway', () => {
    expect(propsOf('AWS::ECS::Service').NetworkConfiguration.AwsvpcConfiguration).toEqual(expect.objectContaining({
      AssignPublicIp: 'ENABLED',
      Subnets: [{ Ref: expect.stringMatching(/PublicSubnet1/) }, { Ref: expect.stringMatching(/PublicSubnet2/) }],
    }));
    expect(propsOf('AWS::EC2::SecurityGroup', /WorkerSecurityGroup/).SecurityGroupIngress).toBeUndefined();
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
  });

  test('leave the task count to the scaler: no DesiredCount that a deploy would reset', () => {
    expect(propsOf('AWS::ECS::Service').DesiredCount).toBeUndefined();
  });

  test('start after, and stop before, the internet gateway\'s attachment; the cluster waits for ECS\'s role', () => {
    const json = template.toJSON();
    expect(allDependencies(json, idOf('AWS::ECS::Service'))).toContain(idOf('AWS::EC2::VPCGatewayAttachment'));
    expect(resources[idOf('AWS::ECS::Cluster')].DependsOn).toEqual([idOf('Custom::ServiceLinkedRole')]);
  });
});

describe('the scaling', () => {
  const alarm = (like: RegExp) => propsOf('AWS::CloudWatch::Alarm', like);
  const policy = (like: RegExp) => propsOf('AWS::ApplicationAutoScaling::ScalingPolicy', like)
    .StepScalingPolicyConfiguration;

  test('runs 0 to 4 workers', () => {
    expect(propsOf('AWS::ApplicationAutoScaling::ScalableTarget')).toEqual(expect.objectContaining({
      MinCapacity: 0,
      MaxCapacity: 4,
      ScalableDimension: 'ecs:service:DesiredCount',
    }));
  });

  test('adds 1, 2 or 3 workers a minute while 1, 10 or 50 jobs wait (visible messages, the minute\'s maximum)', () => {
    expect(alarm(/JobsWaiting/)).toEqual(expect.objectContaining({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: queueName(QUEUE) }],
      Statistic: 'Maximum',
      Period: 60,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
    }));
    expect(policy(/JobsWaiting/)).toEqual({
      AdjustmentType: 'ChangeInCapacity',
      Cooldown: 60,
      MetricAggregationType: 'Maximum',
      StepAdjustments: [
        { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 9, ScalingAdjustment: 1 },
        { MetricIntervalLowerBound: 9, MetricIntervalUpperBound: 49, ScalingAdjustment: 2 },
        { MetricIntervalLowerBound: 49, ScalingAdjustment: 3 },
      ],
    });
  });

  test('stops every worker once no job has waited or been in progress for 5 minutes', () => {
    expect(alarm(/QueueIdle/)).toEqual(expect.objectContaining({
      EvaluationPeriods: 5,
      ComparisonOperator: 'LessThanOrEqualToThreshold',
      Threshold: 0.5,
    }));
    const metrics = alarm(/QueueIdle/).Metrics;
    expect(metrics[0]).toEqual(expect.objectContaining({ Expression: 'waiting + inFlight', ReturnData: true }));
    expect(metrics.slice(1).map((metric: any) => [metric.Id, metric.MetricStat.Metric.MetricName,
      metric.MetricStat.Stat, metric.MetricStat.Period])).toEqual([
      ['waiting', 'ApproximateNumberOfMessagesVisible', 'Maximum', 60],
      ['inFlight', 'ApproximateNumberOfMessagesNotVisible', 'Maximum', 60],
    ]);
    expect(policy(/QueueIdle/)).toEqual({
      AdjustmentType: 'PercentChangeInCapacity',
      StepAdjustments: [{ MetricIntervalUpperBound: 0, ScalingAdjustment: -100 }],
    });
  });

  test('has no other scaling policy: no CPU scaling that could stop a busy worker', () => {
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 2);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
  });

  test('-c maxWorkers sets the maximum, from 1 to 10', () => {
    withContext({ maxWorkers: '1' }).hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget',
      { MinCapacity: 0, MaxCapacity: 1 });
    withContext({ maxWorkers: '10' }).hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget',
      { MinCapacity: 0, MaxCapacity: 10 });
  });

  test.each(['0', '11', '2.5', '-1'])('fails on -c maxWorkers=%s with what is allowed', (maxWorkers) => {
    expect(failsWith({ maxWorkers })).toBe(`maxWorkers must be a whole number from 1 to 10 (a lab needs no more; `
      + `Fargate's quota counts vCPUs), got ${Number(maxWorkers)}`);
  });

  test.each(['0', '901', '1.5'])('fails on -c maxJobSeconds=%s with what is allowed', (maxJobSeconds) => {
    expect(failsWith({ maxJobSeconds })).toMatch(/^maxJobSeconds must be a whole number from 1 to 900 /);
  });

  test('accepts the edges of maxJobSeconds, 1 and 900', () => {
    withContext({ maxJobSeconds: '1' }).hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 61 });
    withContext({ maxJobSeconds: '900' }).hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 960 });
  });
});

test('outputs the queues, the table, the service and the limits', () => {
  expect(Object.keys(template.findOutputs('*')).sort()).toEqual([
    'ClusterName', 'DeadLetterQueueUrl', 'MaxJobSeconds', 'MaxWorkers', 'QueueUrl', 'ServiceName', 'TableName',
    'WorkerLogGroupName',
  ]);
});
