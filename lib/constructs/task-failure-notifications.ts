import { Token, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface TaskFailureNotificationsProps {
  /** The cluster whose stopped tasks are watched. */
  readonly cluster: ecs.ICluster;

  /** The group the tasks log to, named in the message. */
  readonly logGroup: logs.ILogGroup;

  /** How a task's log stream name starts, `<awslogs stream prefix>/<container name>`; the task id follows. */
  readonly logStreamPrefix: string;

  /**
   * An address subscribed to the topic by email. AWS sends it a confirmation link first; nothing arrives until it
   * is followed.
   *
   * @default - no subscription: subscribe to the topic yourself
   */
  readonly email?: string;
}

/** The stop code of a task whose essential container exited: a normal end, when the exit code is 0. */
const NORMAL_STOP = 'EssentialContainerExited';

/**
 * The notes' "notification of service disruption": an EventBridge rule on the cluster's ECS Task State Change events
 * that sends a readable message to an SNS topic when a task stops with a failure, that is with a container exit code
 * other than 0 or a stop code other than a normal exit (it failed to start, someone stopped it, Fargate reclaimed
 * it). A task that ends normally sends nothing.
 */
export class TaskFailureNotifications extends Construct {
  public readonly topic: sns.Topic;
  public readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: TaskFailureNotificationsProps) {
    super(scope, id);
    if (props.email !== undefined) checkEmail(props.email);

    this.topic = new sns.Topic(this, 'Topic', { enforceSSL: true });
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SNS2',
      reason: 'EventBridge can publish to an encrypted topic only with a customer managed KMS key ($1 a month, and '
        + 'its deletion waits at least 7 days after the stack). The messages name a task and why it stopped: '
        + 'nothing secret.',
    });
    if (props.email !== undefined) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));

    this.rule = new events.Rule(this, 'OnFailedTask', {
      description: 'Notifies the topic when a task of the cluster stops with a failure',
      eventPattern: {
        source: ['aws.ecs'],
        detailType: ['ECS Task State Change'],
        detail: {
          clusterArn: [props.cluster.clusterArn],
          lastStatus: ['STOPPED'],
          // Either side is a failure; a task that failed to start has no exit code, only its stop code.
          $or: [
            { containers: { exitCode: events.Match.anythingBut(0) } },
            { stopCode: events.Match.anythingBut(NORMAL_STOP) },
          ],
        },
      },
    });
    // EventBridge publishes with its service principal, for any rule that targets the topic: only this rule may.
    this.topic.addToResourcePolicy(new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [this.topic.topicArn],
      conditions: { ArnNotEquals: { 'aws:SourceArn': this.rule.ruleArn } },
    }));
    const field = (jsonPath: string) => events.EventField.fromPath(jsonPath);
    this.rule.addTarget(new targets.SnsTopic(this.topic, {
      message: events.RuleTargetInput.fromText([
        `Task ${field('$.detail.taskArn')} stopped with a failure.`,
        `Stop code: ${field('$.detail.stopCode')}. Reason: ${field('$.detail.stoppedReason')}.`,
        `Exit code of ${field('$.detail.containers[0].name')}: ${field('$.detail.containers[0].exitCode')} `
          + `(${field('$.detail.containers[0].reason')}).`,
        `Logs: log group ${props.logGroup.logGroupName}, stream ${props.logStreamPrefix}/<task id>, the task id being `
          + 'the end of the task ARN.',
      ].join(' ')),
    }));
  }
}

function checkEmail(email: string): void {
  if (Token.isUnresolved(email)) return;
  // One @, no spaces, a dot in the domain, within the 254 characters an address may have.
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw new Error('notifyEmail must be an email address (name@example.com, at most 254 characters), '
      + `got '${email}'`);
  }
}
