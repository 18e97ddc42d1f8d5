import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { LabVpc } from '../../lib/constructs/lab-vpc';
import { TaskFailureNotifications } from '../../lib/constructs/task-failure-notifications';
import { PROCESSOR_CONTAINER, UploadTasks, UploadTasksProps } from '../../lib/constructs/upload-tasks';

export interface EcsEventTasksLabProps extends StackProps, Omit<UploadTasksProps, 'vpc'> {
  /**
   * An address that gets an email when a task stops with a failure (after it confirms the subscription).
   *
   * @default - none: subscribe to the topic yourself
   */
  readonly notifyEmail?: string;
}

/**
 * The notes' ECS "Common Architectures" without a service: an upload starts a Fargate task that records the object
 * in DynamoDB, a schedule runs the same task every hour to catch up, and a task that fails notifies an SNS topic.
 */
export class EcsEventTasksLab extends Stack {
  public readonly uploadTasks: UploadTasks;
  public readonly failureNotifications: TaskFailureNotifications;

  constructor(scope: Construct, id: string, props: EcsEventTasksLabProps = {}) {
    super(scope, id, props);

    const { vpc } = new LabVpc(this, 'Network');
    this.uploadTasks = new UploadTasks(this, 'UploadTasks', { ...props, vpc });
    const { bucket, table, cluster, taskDefinition, securityGroup, logGroup, deadLetterQueue, keyPrefix } =
      this.uploadTasks;
    this.failureNotifications = new TaskFailureNotifications(this, 'FailureNotifications', {
      cluster,
      logGroup,
      logStreamPrefix: `${PROCESSOR_CONTAINER}/${PROCESSOR_CONTAINER}`,
      email: props.notifyEmail,
    });

    new CfnOutput(this, 'BucketName', { value: bucket.bucketName, description: 'Upload here, under the prefix' });
    new CfnOutput(this, 'KeyPrefix', { value: keyPrefix, description: 'Objects created here start a task' });
    new CfnOutput(this, 'TableName', { value: table.tableName, description: 'One record per object version' });
    new CfnOutput(this, 'ClusterName', { value: cluster.clusterName });
    new CfnOutput(this, 'TaskLogGroupName', { value: logGroup.logGroupName, description: 'The tasks\' logs' });
    new CfnOutput(this, 'DeadLetterQueueUrl', {
      value: deadLetterQueue.queueUrl,
      description: 'Events that could not start a task after the retries',
    });
    new CfnOutput(this, 'FailureTopicArn', {
      value: this.failureNotifications.topic.topicArn,
      description: 'A message for each task that stops with a failure',
    });
    const subnets = vpc.selectSubnets({ subnetType: ec2.SubnetType.PUBLIC }).subnetIds.join(',');
    // Where and how the rule and the schedule start the task, for a start by hand (the command below, verify).
    new CfnOutput(this, 'TaskDefinitionArn', { value: taskDefinition.taskDefinitionArn });
    new CfnOutput(this, 'TaskSubnets', { value: subnets, description: 'Public subnets, comma-separated' });
    new CfnOutput(this, 'TaskSecurityGroup', { value: securityGroup.securityGroupId });
    new CfnOutput(this, 'SweepCommand', {
      description: 'Runs the sweep once now, as the schedule does, and prints the task ARN',
      value: [
        `aws ecs run-task --cluster ${cluster.clusterName} --task-definition ${taskDefinition.taskDefinitionArn}`,
        '--launch-type FARGATE --network-configuration',
        `"awsvpcConfiguration={subnets=[${subnets}],securityGroups=[${securityGroup.securityGroupId}],`
          + 'assignPublicIp=ENABLED}"',
        `--overrides '{"containerOverrides":[{"name":"${PROCESSOR_CONTAINER}",`
          + '"environment":[{"name":"TRIGGER","value":"manual"}]}]}\'',
        '--query "tasks[0].taskArn" --output text',
      ].join(' '),
    });
  }
}
