import { CfnParameter } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { UsersApi, UsersApiProps } from '../../lib/constructs/users-api';
import { constructTestStack } from '../helpers/construct-app';

// The construct's checks of its props, without bundling the function; test/labs/lambda-users.test.ts reads the lab.
const newStack = (context: Record<string, unknown> = {}) => constructTestStack(context);
const build = (props: UsersApiProps, stack = newStack()) => {
  new UsersApi(stack, 'Users', props);
  return Template.fromStack(stack);
};
const throttling = (rate: unknown, burst: unknown) => ({
  MethodSettings: Match.arrayWith([Match.objectLike({ ThrottlingRateLimit: rate, ThrottlingBurstLimit: burst })]),
});
const rateMessage = (value: number) => new Error('throttlingRateLimit must be more than 0 and at most 10000 '
  + `requests per second (the account default), got ${value}`);
const burstMessage = (value: number) => new Error('throttlingBurstLimit must be a whole number from 1 to 5000 '
  + `(the account default), got ${value}`);

describe('throttling', () => {
  test('accepts 10 requests per second and bursts of 20 by default', () => {
    build({}).hasResourceProperties('AWS::ApiGateway::Stage', throttling(10, 20));
  });

  test.each([0.1, 10_000])('accepts a rate of %p requests per second', (throttlingRateLimit) => {
    build({ throttlingRateLimit }).hasResourceProperties('AWS::ApiGateway::Stage', throttling(throttlingRateLimit, 20));
  });

  test.each([0, -1, 10_000.5, NaN])('fails on a rate of %p', (throttlingRateLimit) => {
    expect(() => build({ throttlingRateLimit })).toThrow(rateMessage(throttlingRateLimit));
  });

  test.each([1, 5_000])('accepts a burst of %p requests', (throttlingBurstLimit) => {
    build({ throttlingBurstLimit })
      .hasResourceProperties('AWS::ApiGateway::Stage', throttling(10, throttlingBurstLimit));
  });

  test.each([0, 5_001, 1.5, NaN])('fails on a burst of %p', (throttlingBurstLimit) => {
    expect(() => build({ throttlingBurstLimit })).toThrow(burstMessage(throttlingBurstLimit));
  });

  test('checks the rate before the burst', () => {
    expect(() => build({ throttlingRateLimit: 0, throttlingBurstLimit: 0 })).toThrow(rateMessage(0));
  });

  test.each([
    ['the rate', { Rate: 'throttlingRateLimit' }, throttling({ Ref: 'Rate' }, 20)],
    ['the burst', { Burst: 'throttlingBurstLimit' }, throttling(10, { Ref: 'Burst' })],
  ])('leaves %s to API Gateway when only known at deploy time', (_label, parameters, expected) => {
    const stack = newStack();
    const props = Object.fromEntries(Object.entries(parameters).map(([id, prop]) =>
      [prop, new CfnParameter(stack, id, { type: 'Number' }).valueAsNumber]));
    build(props, stack).hasResourceProperties('AWS::ApiGateway::Stage', expected);
  });
});

describe('API Gateway\'s account-wide logging role', () => {
  test.each([true, undefined])('is created with createApiGatewayLoggingRole %p outside classroom mode',
    (createApiGatewayLoggingRole) => {
      build({ createApiGatewayLoggingRole }).resourceCountIs('AWS::ApiGateway::Account', 1);
    });

  test.each([false, undefined])('is left to ClassroomSetup with createApiGatewayLoggingRole %p in classroom mode',
    (createApiGatewayLoggingRole) => {
      build({ createApiGatewayLoggingRole }, newStack({ student: 'alice' }))
        .resourceCountIs('AWS::ApiGateway::Account', 0);
    });

  test('fails on createApiGatewayLoggingRole true in classroom mode', () => {
    expect(() => build({ createApiGatewayLoggingRole: true }, newStack({ student: 'alice' }))).toThrow(new Error(
      'createApiGatewayLoggingRole cannot be true in classroom mode (student alice): ClassroomSetup sets '
        + 'API Gateway\'s account-wide CloudWatch role once for the class',
    ));
  });
});
