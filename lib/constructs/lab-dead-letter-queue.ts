import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface LabDeadLetterQueueProps {
  /** What ends up here, for the acknowledgment that the queue needs no dead-letter queue of its own. */
  readonly holds: string;
}

/**
 * A dead-letter queue of a lab: TLS only, encrypted, messages kept 14 days (SQS's maximum: time to find and replay
 * them), deleted with the stack.
 */
export class LabDeadLetterQueue extends sqs.Queue {
  constructor(scope: Construct, id: string, props: LabDeadLetterQueueProps) {
    super(scope, id, {
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason: `This queue is the dead-letter queue itself: ${props.holds}. Nothing consumes it, so a dead-letter `
        + 'queue of its own would never receive a message.',
    });
  }
}
