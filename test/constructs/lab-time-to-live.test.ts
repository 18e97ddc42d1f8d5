import { App, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { LambdaUsersLab } from '../../labs/lambda-users/lambda-users-stack';
import { DEADLINE_OUTPUT } from '../../lib/classroom/student';
import { LabTimeToLive, LabTimeToLiveProps } from '../../lib/constructs/lab-time-to-live';
import { applyLabGuardrails } from '../../lib/guardrails';
import { unorderedNames } from '../../lib/guardrails/rules/unordered-names';
import { synthesize, testAppProps } from '../helpers/synth';

// The construct on its own; the last test adds it to a real lab and synthesizes with every guardrail.
const NOW = new Date('2026-11-28T06:00:00.000Z');
const STACK_ARN = 'arn:aws:cloudformation:eu-west-1:123456789012:stack/alice-LambdaUsersLab/8f2d5e10-cd8b-11f0-9b1c';

const newStack = () => new Stack(new App(testAppProps()), 'TestLab');

function build(props: Partial<LabTimeToLiveProps> = {}, scope: Construct = newStack()) {
  const stack = Stack.of(scope);
  const ttl = new LabTimeToLive(scope, 'TimeToLive', { ttl: Duration.minutes(90), now: NOW, ...props });
  const template = Template.fromStack(stack);
  const logicalId = (resource: CfnResource) => stack.getLogicalId(resource);
  return {
    ttl, stack, template,
    roleId: logicalId(ttl.role.node.defaultChild as CfnResource),
    schedule: () => Object.values<any>(template.findResources('AWS::Scheduler::Schedule'))[0],
    role: () => template.toJSON().Resources[logicalId(ttl.role.node.defaultChild as CfnResource)],
  };
}

/** What CloudFormation makes of a string built with Fn::Join and pseudo parameters. */
function evaluate(value: unknown, refs: Record<string, string>): string {
  if (typeof value === 'string') return value;
  const object = value as Record<string, any>;
  if (typeof object.Ref === 'string' && object.Ref in refs) return refs[object.Ref];
  if (Array.isArray(object['Fn::Join'])) {
    const [separator, parts] = object['Fn::Join'];
    return parts.map((part: unknown) => evaluate(part, refs)).join(separator);
  }
  throw new Error(`cannot evaluate ${JSON.stringify(value)}`);
}

test('runs once, at now + ttl in UTC, without a flexible window', () => {
  const { template } = build();
  template.hasResourceProperties('AWS::Scheduler::Schedule', {
    ScheduleExpression: 'at(2026-11-28T07:30:00)',
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    State: 'ENABLED',
  });
});

test('rounds a deadline between two minutes up, in the schedule and the output alike', () => {
  const { template } = build({ now: new Date('2026-11-28T06:00:00.001Z'), ttl: Duration.hours(4) });
  template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'at(2026-11-28T10:01:00)' });
  template.hasOutput(DEADLINE_OUTPUT, { Value: '2026-11-28T10:01:00Z' });
});

test('calls CloudFormation DeleteStack through the universal target, with this stack\'s ARN', () => {
  const { schedule, roleId } = build();
  const target = schedule().Properties.Target;
  expect(evaluate(target.Arn, { 'AWS::Partition': 'aws' }))
    .toBe('arn:aws:scheduler:::aws-sdk:cloudformation:deleteStack');
  expect(JSON.parse(evaluate(target.Input, { 'AWS::StackId': STACK_ARN }))).toEqual({ StackName: STACK_ARN });
  expect(target.RoleArn).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
});

test('retries a failed call for up to a day, the most Scheduler allows, and has no dead-letter queue', () => {
  const { schedule } = build();
  expect(schedule().Properties.Target.RetryPolicy)
    .toEqual({ MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 });
  expect(schedule().Properties.Target.DeadLetterConfig).toBeUndefined();
});

test('lets only Scheduler, for this account\'s schedules, assume the role', () => {
  const { role } = build();
  expect(role().Properties.AssumeRolePolicyDocument.Statement).toEqual([{
    Action: 'sts:AssumeRole',
    Effect: 'Allow',
    Principal: { Service: 'scheduler.amazonaws.com' },
    Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
  }]);
});

test('lets the role do exactly one thing: DeleteStack of this stack, by its ARN', () => {
  const { role, template } = build();
  expect(role().Properties.Policies).toEqual([{
    PolicyName: 'DeleteThisStack',
    PolicyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'cloudformation:DeleteStack', Effect: 'Allow', Resource: { Ref: 'AWS::StackId' } }],
    },
  }]);
  expect(role().Properties.ManagedPolicyArns).toBeUndefined();
  template.resourceCountIs('AWS::IAM::Policy', 0);
  template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
});

test('puts the deadline in the output Deadline, saying the stack deletes itself then', () => {
  const { template } = build();
  template.hasOutput(DEADLINE_OUTPUT, {
    Value: '2026-11-28T07:30:00Z',
    Description: Match.stringLikeRegexp('deletes itself .*1 hour 30 minutes after its last deploy'),
  });
});

test('keeps the output key Deadline wherever the construct sits', () => {
  const { template } = build({}, new Construct(newStack(), 'Deep'));
  expect(Object.keys(template.toJSON().Outputs)).toEqual([DEADLINE_OUTPUT]);
});

test('deletes the schedule and the role with the stack, and keeps nothing', () => {
  const { template } = build();
  for (const type of ['AWS::Scheduler::Schedule', 'AWS::IAM::Role']) {
    template.hasResource(type, { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  }
  expect(Object.keys(template.toJSON().Resources)).toHaveLength(2);
});

test('names nothing: no schedule, group or role name that another stack could hold', () => {
  const { schedule, role, template } = build();
  expect(schedule().Properties.Name).toBeUndefined();
  expect(schedule().Properties.GroupName).toBeUndefined();
  expect(role().Properties.RoleName).toBeUndefined();
  expect(unorderedNames(template.toJSON())).toEqual([]);
});

test('gives a second stack its own schedule and role, with its own deadline', () => {
  const app = new App(testAppProps());
  const stacks = [new Stack(app, 'FirstLab'), new Stack(app, 'SecondLab')];
  const ttls = [Duration.minutes(90), Duration.days(2)]
    .map((ttl, index) => new LabTimeToLive(stacks[index], 'TimeToLive', { ttl, now: NOW }));
  const templates = stacks.map((stack) => Template.fromStack(stack));
  templates.forEach((template, index) => {
    const roleId = stacks[index].getLogicalId(ttls[index].role.node.defaultChild as CfnResource);
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: { RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] } },
    });
  });
  templates[0].hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'at(2026-11-28T07:30:00)' });
  templates[1].hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'at(2026-11-30T06:00:00)' });
});

test('fails on a second time-to-live in the same stack', () => {
  const { stack } = build();
  expect(() => new LabTimeToLive(stack, 'Another', { ttl: Duration.hours(1), now: NOW }))
    .toThrow('A stack has one LabTimeToLive at most: TestLab has TestLab/TimeToLive already');
});

test.each([
  ['15 minutes', Duration.minutes(15), 'at(2026-11-28T06:15:00)'],
  ['7 days', Duration.days(7), 'at(2026-12-05T06:00:00)'],
])('accepts a time-to-live of %s', (_name, ttl, expression) => {
  build({ ttl }).template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: expression });
});

test.each([
  ['14 minutes', Duration.minutes(14)],
  ['7 days 1 minute', Duration.minutes(10_081)],
])('fails on a time-to-live of %s, saying the range', (shown, ttl) => {
  expect(() => build({ ttl })).toThrow(`must be from 15 minutes to 7 days (15m to 7d, 10080m or 168h), got ${shown}`);
});

test('passes every guardrail in a real lab: cdk-nag and the lab rules', () => {
  // The CloudFormation validator takes seconds to start per process: test/app.test.ts runs it over labs with a ttl.
  const app = new App(testAppProps());
  const lab = new LambdaUsersLab(app, 'LambdaUsersLab', {});
  new LabTimeToLive(lab, 'TimeToLive', { ttl: Duration.minutes(90), now: NOW });
  applyLabGuardrails(app, { project: 'aws-compute-labs' });

  const result = synthesize(app);
  expect(result.error).toBeUndefined();
  expect(result.violations).toEqual([]);
  const template = Template.fromJSON(result.templates.LambdaUsersLab);
  template.resourceCountIs('AWS::Scheduler::Schedule', 1);
  // The guardrails did run on this app: they tagged the construct's role.
  template.hasResourceProperties('AWS::IAM::Role', {
    Description: Match.stringLikeRegexp('time-to-live'),
    Tags: Match.arrayWith([{ Key: 'lab', Value: 'LambdaUsersLab' }, { Key: 'project', Value: 'aws-compute-labs' }]),
  });
});
