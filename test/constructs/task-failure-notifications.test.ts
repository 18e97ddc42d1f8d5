import { CfnParameter } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { TaskFailureNotifications } from '../../lib/constructs/task-failure-notifications';
import { constructTestStack } from '../helpers/construct-app';

// The construct's check of the email address; test/labs/ecs-event-tasks.test.ts reads the lab's whole template.
const newStack = () => constructTestStack();
const build = (email: string | undefined, stack = newStack()) => {
  new TaskFailureNotifications(stack, 'Notifications', {
    cluster: new ecs.Cluster(stack, 'Cluster', { vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 0 }) }),
    logGroup: new logs.LogGroup(stack, 'Logs'),
    logStreamPrefix: 'task/app',
    email,
  });
  return Template.fromStack(stack);
};
const message = (email: string) => new Error('notifyEmail must be an email address (name@example.com, '
  + `at most 254 characters), got '${email}'`);
/** An address of `length` characters: a local part of a's at example.com (12 characters). */
const ofLength = (length: number) => `${'a'.repeat(length - 12)}@example.com`;

test('subscribes no address without an email', () => {
  build(undefined).resourceCountIs('AWS::SNS::Subscription', 0);
});

test.each([
  ['a@b.co', 'the shortest parts'],
  ['first.last+lab@mail.example.com', 'dots and a plus'],
  [ofLength(254), '254 characters, the most an address may have'],
])('subscribes %s (%s) by email', (email) => {
  build(email).hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: email });
});

test.each([
  [ofLength(255), '255 characters'],
  ['', 'nothing'],
  ['name.example.com', 'no @'],
  ['@example.com', 'nothing before the @'],
  ['name@', 'nothing after the @'],
  ['name@example', 'no dot in the domain'],
  ['name@examplecom', 'no dot at all after the @'],
  ['name@.com', 'nothing before the domain\'s dot'],
  ['name@example.', 'nothing after the domain\'s dot'],
  ['a@b@example.com', 'an @ before the @'],
  ['name@ex@ample.com', 'an @ in the domain'],
  ['name@example.c@m', 'an @ after the domain\'s dot'],
  ['my name@example.com', 'a space before the @'],
  ['name@exa mple.com', 'a space in the domain'],
  ['name@example.c m', 'a space after the domain\'s dot'],
  [' name@example.com', 'a leading space'],
  ['name@example.com ', 'a trailing space'],
])('fails on %p (%s)', (email) => {
  expect(() => build(email)).toThrow(message(email));
});

test('leaves an address known only at deploy time to SNS', () => {
  const stack = newStack();
  const email = new CfnParameter(stack, 'Email').valueAsString;
  build(email, stack).hasResourceProperties('AWS::SNS::Subscription', { Endpoint: { Ref: 'Email' } });
});
