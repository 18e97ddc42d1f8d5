import { CfnParameter } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { QueueWorkers, QueueWorkersProps } from '../../lib/constructs/queue-workers';
import { constructTestStack } from '../helpers/construct-app';

// The construct's checks of its props; test/labs/sqs-workers.test.ts reads the lab's whole template.
const newStack = () => constructTestStack();
const build = (props: Omit<QueueWorkersProps, 'vpc'>, stack = newStack()) => {
  new QueueWorkers(stack, 'Workers', { vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 0 }), ...props });
  return Template.fromStack(stack);
};
const maxWorkersMessage = (value: number) => new Error('maxWorkers must be a whole number from 1 to 10 '
  + `(a lab needs no more; Fargate's quota counts vCPUs), got ${value}`);
const maxJobSecondsMessage = (value: number) => new Error('maxJobSeconds must be a whole number from 1 to 900 '
  + `(a job is a sleep; the visibility timeout is 60 s longer), got ${value}`);

describe('maxWorkers', () => {
  test.each([1, 10])('accepts %p, the scaler\'s maximum', (maxWorkers) => {
    build({ maxWorkers }).hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 0,
      MaxCapacity: maxWorkers,
    });
  });

  test.each([0, 11, -1, 2.5, NaN])('fails on %p', (maxWorkers) => {
    expect(() => build({ maxWorkers })).toThrow(maxWorkersMessage(maxWorkers));
  });

  test('is left to CloudFormation when only known at deploy time', () => {
    const stack = newStack();
    const maxWorkers = new CfnParameter(stack, 'MaxWorkers', { type: 'Number' }).valueAsNumber;
    build({ maxWorkers }, stack).hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MaxCapacity: { Ref: 'MaxWorkers' },
    });
  });
});

describe('maxJobSeconds', () => {
  test.each([
    [1, 61],
    [900, 960],
  ])('accepts %p, and keeps a job invisible for %p seconds', (maxJobSeconds, visibilityTimeout) => {
    build({ maxJobSeconds }).hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: visibilityTimeout });
  });

  test.each([0, 901, -1, 1.5])('fails on %p', (maxJobSeconds) => {
    expect(() => build({ maxJobSeconds })).toThrow(maxJobSecondsMessage(maxJobSeconds));
  });

  test('is checked after maxWorkers, each with its own message', () => {
    expect(() => build({ maxWorkers: 0, maxJobSeconds: 0 })).toThrow(maxWorkersMessage(0));
  });
});
