import * as fs from 'fs';
import * as path from 'path';
import { Duration, RemovalPolicy, Token, Validations } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { checkFargateSize } from './fargate-size';
import { LabCluster } from './lab-cluster';
import { LabDeadLetterQueue } from './lab-dead-letter-queue';
import { LabLogGroup } from './lab-log-group';
import { dependOnPublicRoutes } from './lab-vpc';
import { AWS_CLI_IMAGE } from './upload-tasks';
import { taskFamilyOf } from './task-family';

/** The container's name. */
export const WORKER_CONTAINER = 'worker';

/** Receives before SQS moves a job to the dead-letter queue. */
export const MAX_RECEIVE_COUNT = 3;

const SCRIPT = path.join(__dirname, '..', '..', 'labs', 'sqs-workers', 'task', 'worker.sh');

export interface QueueWorkersProps {
  /** The network: workers run in its public subnets with public IPs (no NAT gateway). */
  readonly vpc: ec2.IVpc;

  /**
   * The most workers the scaler runs at once.
   *
   * @default 4
   */
  readonly maxWorkers?: number;

  /**
   * The most seconds of work a job may ask for; a job that asks for more is malformed.
   *
   * @default 120
   */
  readonly maxJobSeconds?: number;
}

/**
 * The notes' "SQS queue ... ECS service autoscaling to create more tasks if the queue size increases", from zero:
 * a jobs queue with a dead-letter queue, and a Fargate service of workers that long-poll it and record each job once
 * in a DynamoDB table. The scaler owns the service's task count: 0 while the queue is empty, more while jobs wait.
 *
 * aws-cdk-lib's QueueProcessingFargateService builds the same queue, dead-letter queue, service and step scaling on
 * the queue, but scales in on visible messages alone: with every job in flight, it stops workers in the middle of
 * their jobs. Here the scale-in waits until nothing is visible or in flight (see `scaling`).
 */
export class QueueWorkers extends Construct {
  public readonly queue: sqs.Queue;
  public readonly deadLetterQueue: sqs.Queue;
  public readonly table: dynamodb.Table;
  public readonly cluster: ecs.Cluster;
  public readonly service: ecs.FargateService;
  public readonly logGroup: logs.LogGroup;
  public readonly scaling: ecs.ScalableTaskCount;
  public readonly maxWorkers: number;
  public readonly maxJobSeconds: number;

  constructor(scope: Construct, id: string, props: QueueWorkersProps) {
    super(scope, id);

    this.maxWorkers = props.maxWorkers ?? 4;
    this.maxJobSeconds = props.maxJobSeconds ?? 120;
    checkWholeNumber('maxWorkers', this.maxWorkers, 1, 10, 'a lab needs no more; Fargate\'s quota counts vCPUs');
    checkWholeNumber('maxJobSeconds', this.maxJobSeconds, 1, 900,
      'a job is a sleep; the visibility timeout is 60 s longer');
    const cpu = 256;
    const memoryLimitMiB = 512;
    checkFargateSize(cpu, memoryLimitMiB);

    this.deadLetterQueue = new LabDeadLetterQueue(this, 'DeadLetterQueue', {
      holds: 'jobs that failed 3 receives',
    });
    this.queue = new sqs.Queue(this, 'Jobs', {
      // Longer than the longest job and its writes: a job in progress never becomes visible to a second worker.
      visibilityTimeout: Duration.seconds(this.maxJobSeconds + 60),
      receiveMessageWaitTime: Duration.seconds(20),
      retentionPeriod: Duration.days(1),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.table = new dynamodb.Table(this, 'Results', {
      partitionKey: { name: 'jobId', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.cluster = new LabCluster(this, 'Cluster', { vpc: props.vpc });
    this.logGroup = new LabLogGroup(this, 'Logs').logGroup;
    const taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      family: taskFamilyOf(this),
      cpu,
      memoryLimitMiB,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.ARM64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    taskDefinition.addContainer(WORKER_CONTAINER, {
      image: ecs.ContainerImage.fromRegistry(AWS_CLI_IMAGE),
      entryPoint: ['/bin/sh', '-c'],
      command: [fs.readFileSync(SCRIPT, 'utf-8')],
      environment: {
        QUEUE_URL: this.queue.queueUrl,
        TABLE: this.table.tableName,
        MAX_JOB_SECONDS: String(this.maxJobSeconds),
      },
      // ECS sends SIGTERM, then SIGKILL after this: the worker returns its job to the queue within it.
      stopTimeout: Duration.seconds(30),
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: WORKER_CONTAINER, logGroup: this.logGroup }),
    });
    Validations.of(taskDefinition).acknowledge({
      id: 'AwsSolutions::AwsSolutions-ECS2',
      reason: 'The variables name the lab\'s queue and table and the longest job: nothing secret.',
    });
    this.grantWorker(taskDefinition.taskRole);

    const securityGroup = new ec2.SecurityGroup(this, 'WorkerSecurityGroup', {
      vpc: props.vpc,
      description: 'Workers: no inbound traffic; outbound HTTPS to SQS, DynamoDB and ECR Public',
    });
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition,
      // No desiredCount: the scaler owns it, and a count in the template would reset it on every deploy.
      assignPublicIp: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroups: [securityGroup],
      circuitBreaker: { enable: true, rollback: true },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
    });
    dependOnPublicRoutes(this.service, props.vpc);
    this.scaling = this.scaleOnBacklog();
  }

  /**
   * Out: while jobs wait (visible messages), 1 to 3 more workers a minute, up to maxWorkers; a job a worker holds is
   * not waiting, so a busy fleet is not grown for it. In: to 0 once nothing has been visible or in flight for 5
   * minutes; never while a worker holds a job.
   */
  private scaleOnBacklog(): ecs.ScalableTaskCount {
    const scaling = this.service.autoScaleTaskCount({ minCapacity: 0, maxCapacity: this.maxWorkers });
    const waiting = this.queue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(1),
      statistic: cloudwatch.Stats.MAXIMUM,
    });
    const inFlight = this.queue.metricApproximateNumberOfMessagesNotVisible({
      period: Duration.minutes(1),
      statistic: cloudwatch.Stats.MAXIMUM,
    });
    scaling.scaleOnMetric('JobsWaiting', {
      metric: waiting,
      scalingSteps: [
        { upper: 1, change: 0 },
        { lower: 1, change: +1 },
        { lower: 10, change: +2 },
        { lower: 50, change: +3 },
      ],
      adjustmentType: appscaling.AdjustmentType.CHANGE_IN_CAPACITY,
      cooldown: Duration.minutes(1),
      evaluationPeriods: 1,
    });
    scaling.scaleOnMetric('QueueIdle', {
      metric: new cloudwatch.MathExpression({
        expression: 'waiting + inFlight',
        usingMetrics: { waiting, inFlight },
        label: 'Jobs waiting or in progress',
        period: Duration.minutes(1),
      }),
      // The counts are whole numbers: at most 0.5 is none.
      scalingSteps: [{ upper: 0.5, change: -100 }, { lower: 0.5, change: 0 }],
      adjustmentType: appscaling.AdjustmentType.PERCENT_CHANGE_IN_CAPACITY,
      evaluationPeriods: 5,
    });
    return scaling;
  }

  /** Take, return and delete jobs of this queue, read and write this table; nothing else. */
  private grantWorker(role: iam.IRole): void {
    this.queue.grant(role, 'sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage');
    this.table.grant(role, 'dynamodb:GetItem', 'dynamodb:PutItem');
  }
}

function checkWholeNumber(name: string, value: number, min: number, max: number, why: string): void {
  if (Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max} (${why}), got ${value}`);
  }
}
