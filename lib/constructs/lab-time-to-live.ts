import { Aws, CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { DEADLINE_OUTPUT } from '../classroom/student';
import { atExpression, checkTimeToLive, deadlineOf, formatDeadline } from '../classroom/time-to-live';

export interface LabTimeToLiveProps {
  /** How long the stack lives after its deploy: 15 minutes to 7 days (lib/classroom/time-to-live.ts). */
  readonly ttl: Duration;

  /**
   * The time the lifetime counts from: the app passes the synth's time, tests a fixed one, so that the template does
   * not depend on the clock.
   */
  readonly now: Date;
}

/**
 * A stack that deletes itself: an EventBridge Scheduler one-time schedule calls CloudFormation DeleteStack on this
 * stack at `now + ttl` (rounded up to the minute, UTC), and the output `Deadline` says when. The deadline is fixed at
 * synth, so every deploy moves it; the template changes on every synth.
 *
 * The schedule's role may only call DeleteStack on this stack (by its ARN). The deletion itself runs with the stack's
 * CloudFormation service role, the execution role of `cdk bootstrap` that `cdk deploy` gives the stack: once a stack
 * has a service role, CloudFormation uses it for every operation on the stack, whoever asks, without iam:PassRole.
 * A stack without one (deployed with plain credentials, not through the bootstrap roles) would be deleted with the
 * schedule role's rights, which delete nothing: the stack would end DELETE_FAILED and keep costing.
 *
 * Both the schedule and its role belong to the stack, so CloudFormation deletes them with it (after `cdk destroy` as
 * after the deadline), and nothing is left.
 */
export class LabTimeToLive extends Construct {
  /** When the stack deletes itself. */
  public readonly deadline: Date;
  public readonly schedule: scheduler.CfnSchedule;
  /** The role Scheduler assumes to call DeleteStack. */
  public readonly role: iam.Role;
  /** The output `Deadline`: the deadline in UTC, ISO 8601 without milliseconds. */
  public readonly output: CfnOutput;

  constructor(scope: Construct, id: string, props: LabTimeToLiveProps) {
    super(scope, id);

    checkTimeToLive(props.ttl);
    const stack = Stack.of(this);
    const other = stack.node.findAll().find((construct) => construct !== this && construct instanceof LabTimeToLive);
    if (other !== undefined) {
      throw new Error(`A stack has one LabTimeToLive at most: ${stack.node.path} has ${other.node.path} already`);
    }
    this.deadline = deadlineOf(props.now, props.ttl);
    const deadline = formatDeadline(this.deadline);

    this.role = new iam.Role(this, 'Role', {
      // Only for this account's schedules (the confused-deputy guard AWS documents for Scheduler). A condition on
      // the schedule's ARN would make the role and the schedule refer to each other.
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
      }),
      description: 'The time-to-live schedule: delete this stack, nothing else',
      inlinePolicies: {
        DeleteThisStack: new iam.PolicyDocument({
          // AWS::StackId is the stack's ARN, with its unique id: a later stack of the same name is not this one.
          statements: [new iam.PolicyStatement({ actions: ['cloudformation:DeleteStack'], resources: [Aws.STACK_ID] })],
        }),
      },
    });
    this.role.applyRemovalPolicy(RemovalPolicy.DESTROY);

    // CloudFormation's AWS::Scheduler::Schedule has no ActionAfterCompletion, so Scheduler's default applies: NONE,
    // the schedule stays after it fires until CloudFormation deletes it with the stack. That is what we want: with
    // DELETE, Scheduler would delete a resource the stack owns, and a stack that failed to delete (or a call that was
    // dropped) would keep a schedule that no longer exists, which its next deploy could not update.
    this.schedule = new scheduler.CfnSchedule(this, 'Resource', {
      description: `Deletes this stack at ${deadline} (time-to-live ${props.ttl.toHumanString()})`,
      scheduleExpression: atExpression(this.deadline),
      scheduleExpressionTimezone: 'UTC',
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        // The universal target: Scheduler calls the API itself, no function in between.
        arn: `arn:${Aws.PARTITION}:scheduler:::aws-sdk:cloudformation:deleteStack`,
        roleArn: this.role.roleArn,
        // By ARN rather than name: the call can only ever delete this stack, never a later one of the same name.
        input: stack.toJsonString({ StackName: Aws.STACK_ID }),
        // The most Scheduler allows: a lab left running costs, so a throttled or failed call is retried for a day.
        // No dead-letter queue: if every retry fails, the stack itself is still there for leftovers and class status.
        retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeInSeconds: Duration.days(1).toSeconds() },
      },
    });
    this.schedule.applyRemovalPolicy(RemovalPolicy.DESTROY);

    this.output = new CfnOutput(this, DEADLINE_OUTPUT, {
      value: deadline,
      description: `When this stack deletes itself (UTC): ${props.ttl.toHumanString()} after its last deploy`,
    });
    // The tools read the output by its key, so it is `Deadline` wherever the construct sits in the stack.
    this.output.overrideLogicalId(DEADLINE_OUTPUT);
  }
}
