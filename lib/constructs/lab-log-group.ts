import { RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface LabLogGroupProps {
  /**
   * How long CloudWatch keeps the events.
   *
   * @default logs.RetentionDays.ONE_WEEK - long enough to finish a lab, short enough to cost nothing
   */
  readonly retention?: logs.RetentionDays;
}

/**
 * A log group owned by the lab's stack: it has a retention and is deleted with the stack.
 *
 * Services create `/aws/lambda/...`, awslogs and access-log groups on first write when nobody defined them,
 * and such groups outlive `cdk destroy` with infinite retention: the classic leftover of a lab.
 * No physical name, so two copies of a lab can be deployed side by side.
 */
export class LabLogGroup extends Construct {
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: LabLogGroupProps = {}) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Resource', {
      retention: props.retention ?? logs.RetentionDays.ONE_WEEK,
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }
}
