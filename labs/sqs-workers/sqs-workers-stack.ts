import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { LabVpc } from '../../lib/constructs/lab-vpc';
import { QueueWorkers, QueueWorkersProps } from '../../lib/constructs/queue-workers';

export interface SqsWorkersLabProps extends StackProps, Omit<QueueWorkersProps, 'vpc'> {}

/**
 * The notes' queue architecture: Fargate workers that poll an SQS queue, scaled by the queue's backlog from 0 tasks
 * while it is empty to a few while jobs wait, each job recorded once in DynamoDB.
 */
export class SqsWorkersLab extends Stack {
  public readonly workers: QueueWorkers;

  constructor(scope: Construct, id: string, props: SqsWorkersLabProps = {}) {
    super(scope, id, props);

    const { vpc } = new LabVpc(this, 'Network');
    this.workers = new QueueWorkers(this, 'Workers', { ...props, vpc });
    const { queue, deadLetterQueue, table, cluster, service, logGroup } = this.workers;

    new CfnOutput(this, 'QueueUrl', { value: queue.queueUrl, description: 'Send jobs here' });
    new CfnOutput(this, 'DeadLetterQueueUrl', {
      value: deadLetterQueue.queueUrl,
      description: 'Jobs that failed 3 receives (malformed, or a worker could not record them)',
    });
    new CfnOutput(this, 'TableName', { value: table.tableName, description: 'One result per job' });
    new CfnOutput(this, 'ClusterName', { value: cluster.clusterName });
    new CfnOutput(this, 'ServiceName', {
      value: service.serviceName,
      description: 'The workers; the scaler owns their count',
    });
    new CfnOutput(this, 'WorkerLogGroupName', { value: logGroup.logGroupName });
    new CfnOutput(this, 'MaxWorkers', { value: String(this.workers.maxWorkers) });
    new CfnOutput(this, 'MaxJobSeconds', { value: String(this.workers.maxJobSeconds) });
  }
}
