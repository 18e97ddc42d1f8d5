import * as fs from 'fs';
import * as path from 'path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { checkFargateSize } from './fargate-size';
import { checkKeyPrefix } from './key-prefix';
import { LabBucket } from './lab-bucket';
import { LabCluster } from './lab-cluster';
import { LabDeadLetterQueue } from './lab-dead-letter-queue';
import { LabLogGroup } from './lab-log-group';
import { dependOnPublicRoutes } from './lab-vpc';
import { taskFamilyOf } from './task-family';

/**
 * The AWS CLI v2 image from ECR Public, pinned to a release (a tag, not `latest`): the processing script is shell and
 * AWS CLI calls, so the lab needs no image of its own and no Docker.
 */
export const AWS_CLI_IMAGE = 'public.ecr.aws/aws-cli/aws-cli:2.31.23';

/** The container's name, which the event rule's overrides and the sweep command name. */
export const PROCESSOR_CONTAINER = 'processor';

const SCRIPT = path.join(__dirname, '..', '..', 'labs', 'ecs-event-tasks', 'task', 'process-objects.sh');

export interface UploadTasksProps {
  /** The network: tasks run in its public subnets with public IPs (no NAT gateway). */
  readonly vpc: ec2.IVpc;

  /**
   * Only objects created under this prefix start a task, and the sweep looks only here.
   *
   * @default 'incoming/'
   */
  readonly keyPrefix?: string;

  /**
   * When the sweep runs: the same task, without a key, records every object under the prefix that has no record
   * yet, so an upload whose event was lost is caught up.
   *
   * @default rate(1 hour)
   */
  readonly sweepSchedule?: scheduler.ScheduleExpression;

  /**
   * Whether to create the sweep's schedule at all.
   *
   * @default true
   */
  readonly withSweepSchedule?: boolean;

  /**
   * Task CPU in units of 1/1024 vCPU.
   *
   * @default 256 (0.25 vCPU, Fargate's smallest)
   */
  readonly cpu?: number;

  /**
   * Task memory in MiB; the pair with `cpu` must be one Fargate offers.
   *
   * @default 512
   */
  readonly memoryLimitMiB?: number;
}

/**
 * The notes' event-driven ECS architectures, without a service: one Fargate task definition that records the
 * metadata of an uploaded object in a DynamoDB table, run by an EventBridge rule for each object created under a
 * prefix (the key passed as container overrides) and by an EventBridge Scheduler schedule that sweeps the prefix.
 * No task runs while idle. Each object version is recorded once, however often the task runs for it.
 */
export class UploadTasks extends Construct {
  public readonly bucket: LabBucket;
  public readonly table: dynamodb.Table;
  public readonly cluster: ecs.Cluster;
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  public readonly securityGroup: ec2.SecurityGroup;
  public readonly logGroup: logs.LogGroup;
  /** Events the upload rule and the schedule could not turn into a task after their retries. */
  public readonly deadLetterQueue: sqs.Queue;
  public readonly uploadRule: events.Rule;
  public readonly sweepSchedule?: scheduler.Schedule;
  /** The prefix whose new objects start a task, e.g. `incoming/`. */
  public readonly keyPrefix: string;

  constructor(scope: Construct, id: string, props: UploadTasksProps) {
    super(scope, id);

    this.keyPrefix = props.keyPrefix ?? 'incoming/';
    const cpu = props.cpu ?? 256;
    const memoryLimitMiB = props.memoryLimitMiB ?? 512;
    checkKeyPrefix(this.keyPrefix);
    checkFargateSize(cpu, memoryLimitMiB);

    // Versioned, so that each upload of a key is a version of its own, recorded once.
    this.bucket = new LabBucket(this, 'Bucket', { versioned: true, eventBridgeEnabled: true });
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'objectKey', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'versionId', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.deadLetterQueue = new LabDeadLetterQueue(this, 'DeadLetterQueue', {
      holds: 'events that the rule and the schedule could not turn into a task',
    });

    this.cluster = new LabCluster(this, 'Cluster', { vpc: props.vpc });
    this.logGroup = new LabLogGroup(this, 'Logs').logGroup;
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      family: taskFamilyOf(this),
      cpu,
      memoryLimitMiB,
      // The AWS CLI image is built for both; Fargate on Graviton costs about 20 % less.
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.ARM64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    this.taskDefinition.addContainer(PROCESSOR_CONTAINER, {
      image: ecs.ContainerImage.fromRegistry(AWS_CLI_IMAGE),
      entryPoint: ['/bin/sh', '-c'],
      command: [fs.readFileSync(SCRIPT, 'utf-8')],
      environment: {
        BUCKET: this.bucket.bucketName,
        TABLE: this.table.tableName,
        KEY_PREFIX: this.keyPrefix,
        TRIGGER: 'schedule',
      },
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: PROCESSOR_CONTAINER, logGroup: this.logGroup }),
    });
    Validations.of(this.taskDefinition).acknowledge({
      id: 'AwsSolutions::AwsSolutions-ECS2',
      reason: 'The variables name the lab\'s bucket, table and key prefix, and the trigger: nothing secret. The event '
        + 'rule overrides KEY, VERSION_ID and TRIGGER per run, which is how a task learns its object.',
    });
    this.grantTaskRole(this.taskDefinition.taskRole);

    // No ingress: the task only calls AWS APIs and pulls its image.
    this.securityGroup = new ec2.SecurityGroup(this, 'TaskSecurityGroup', {
      vpc: props.vpc,
      description: 'Upload tasks: no inbound traffic; outbound HTTPS to AWS APIs and ECR Public',
    });
    // Tasks carry the task definition's tags (the lab's), so their cost shows under the lab.
    const placement = {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      securityGroups: [this.securityGroup],
      assignPublicIp: true,
    };
    // A failed RunTask (no capacity, a throttle) is retried for up to an hour, then kept in the queue.
    const retries = { retryAttempts: 3, maxEventAge: Duration.hours(1), deadLetterQueue: this.deadLetterQueue };

    this.uploadRule = new events.Rule(this, 'OnUpload', {
      description: `Runs the upload task for each object created under ${this.keyPrefix}`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [this.bucket.bucketName] },
          object: { key: events.Match.prefix(this.keyPrefix) },
        },
      },
    });
    this.uploadRule.addTarget(new targets.EcsTask({
      ...placement,
      role: this.runTaskRole('UploadRuleRole', 'events.amazonaws.com', 'The upload rule'),
      ...retries,
      subnetSelection: { subnetType: ec2.SubnetType.PUBLIC },
      propagateTags: ecs.PropagatedTagSource.TASK_DEFINITION,
      containerOverrides: [{
        containerName: PROCESSOR_CONTAINER,
        environment: [
          { name: 'KEY', value: events.EventField.fromPath('$.detail.object.key') },
          { name: 'VERSION_ID', value: events.EventField.fromPath('$.detail.object.version-id') },
          { name: 'TRIGGER', value: 'upload' },
        ],
      }],
    }));
    // Tasks hold public IPs: on delete, nothing may start one after the internet gateway is detached.
    dependOnPublicRoutes(this.uploadRule, props.vpc);

    if (props.withSweepSchedule ?? true) {
      // Schedules take no tags; their group does, so npm run leftovers can find it, and deleting it deletes them.
      const group = new scheduler.ScheduleGroup(this, 'Schedules', { removalPolicy: RemovalPolicy.DESTROY });
      this.sweepSchedule = new scheduler.Schedule(this, 'Sweep', {
        scheduleGroup: group,
        description: `Runs the task without a key: records every object under ${this.keyPrefix} that has none`,
        schedule: props.sweepSchedule ?? scheduler.ScheduleExpression.rate(Duration.hours(1)),
        target: new schedulerTargets.EcsRunFargateTask(this.cluster, {
          ...placement,
          role: this.runTaskRole('SweepRole', 'scheduler.amazonaws.com', 'The sweep schedule'),
          ...retries,
          vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
          propagateTags: true,
        }),
      });
      dependOnPublicRoutes(this.sweepSchedule, props.vpc);
      // The schedule names its group by a name fixed at synth, not a reference: CloudFormation would not order them.
      this.sweepSchedule.node.addDependency(group);
    }
  }

  /**
   * A role for EventBridge or Scheduler to start this task. Their targets add the rest: ecs:RunTask of this task
   * definition, iam:PassRole of its two roles, ecs:TagResource of the tasks it starts, and sqs:SendMessage to the
   * dead-letter queue.
   */
  private runTaskRole(id: string, service: string, who: string): iam.Role {
    const stack = Stack.of(this);
    const role = new iam.Role(this, id, {
      // Only for this account's rules and schedules (the confused-deputy guard AWS documents for both services).
      assumedBy: new iam.ServicePrincipal(service).withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
      }),
      description: `${who}: run the upload task in its cluster, pass its two roles, tag the tasks it starts`,
    });
    const clusterId = stack.getLogicalId(this.cluster.node.defaultChild as ecs.CfnCluster);
    const account = service === 'events.amazonaws.com' ? '*' : '<AWS::AccountId>';
    Validations.of(role).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:${account}:task/`
        + `<${clusterId}>/*]`,
      reason: 'ecs:TagResource of the tasks this role starts in the lab\'s cluster, to give them the lab\'s tags: a '
        + 'task\'s id exists only once it runs. aws-cdk-lib writes the statement (for EventBridge, with any account).',
    });
    return role;
  }

  /** Read this bucket's objects under the prefix and list its versions there; put items in this table. */
  private grantTaskRole(role: iam.IRole): void {
    iam.Grant.addToPrincipal({
      grantee: role,
      // HeadObject of a given version needs GetObjectVersion; the task never downloads an object.
      actions: ['s3:GetObject', 's3:GetObjectVersion'],
      resourceArns: [this.bucket.arnForObjects(`${this.keyPrefix}*`)],
    });
    // ListBucketVersions for the sweep; ListBucket so that HeadObject of a deleted object answers 404, not 403.
    iam.Grant.addToPrincipal({
      grantee: role,
      actions: ['s3:ListBucket', 's3:ListBucketVersions'],
      resourceArns: [this.bucket.bucketArn],
    });
    this.table.grant(role, 'dynamodb:PutItem');
    const bucketId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    Validations.of(role).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${this.keyPrefix}*]`,
      reason: `The task reads objects under ${this.keyPrefix} only, whatever their names: the * matches the rest `
        + 'of a key under the prefix, and the prefix itself holds no wildcard.',
    });
  }
}

const RATE = /^rate\((\d+) (minute|hour|day)(s?)\)$/;

/**
 * The sweep's schedule from the command line (`-c schedule=...`): `off`, `rate(<n> <unit>)` as Scheduler writes it
 * (`rate(1 hour)`, `rate(30 minutes)`), or `cron(<6 fields>)` in UTC. Anything else throws, at synth.
 */
export function parseSweepSchedule(text: string): scheduler.ScheduleExpression | 'off' {
  const value = text.trim();
  if (value === 'off') return 'off';
  const rate = RATE.exec(value);
  if (rate) {
    const count = Number(rate[1]);
    if (count >= 1 && (count === 1) === (rate[3] === '')) return scheduler.ScheduleExpression.expression(value);
  }
  if (/^cron\(\S+( \S+){5}\)$/.test(value)) return scheduler.ScheduleExpression.expression(value);
  throw new Error('schedule must be off, rate(<n> minute|minutes|hour|hours|day|days) with the singular for 1 '
    + `(e.g. rate(1 hour), rate(30 minutes)) or cron(<6 fields>) in UTC, got '${text}'`);
}
