import { IncomingMessage } from 'http';
import {
  CreateServiceLinkedRoleCommand, IAMClient, InvalidInputException, NoSuchEntityException,
} from '@aws-sdk/client-iam';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler, PROPAGATION_PAUSE_MS, serviceLinkedRoleHandler } from '../../lambda/service-linked-role/handler';
import { isServicePrincipal } from '../../lambda/service-linked-role/service-principal';
import { ServiceLinkedRole } from '../../lib/constructs/service-linked-role';
import { serveStandIn, StandIn } from '../helpers/http-stand-in';
import { constructTestStack } from '../helpers/construct-app';

const iam = mockClient(IAMClient);

/** What CloudFormation's pre-signed response URL received: a real HTTP server on 127.0.0.1. */
interface Received {
  readonly method?: string;
  readonly contentType?: string;
  readonly body: any;
}

let cloudFormation: StandIn;
let received: Received[];
let pausesSeenBy: number[];

beforeAll(async () => {
  cloudFormation = await serveStandIn((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method,
        contentType: request.headers['content-type'],
        body: JSON.parse(Buffer.concat(chunks).toString('utf-8')),
      });
      response.writeHead(200).end();
    });
  });
});
afterAll(() => cloudFormation.close());
beforeEach(() => {
  iam.reset();
  received = [];
  pausesSeenBy = [];
  jest.spyOn(console, 'info').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

/** A handler whose pause records how long it was asked to wait and how many answers CloudFormation had by then. */
const pauses: number[] = [];
const recordingHandler = serviceLinkedRoleHandler(async (milliseconds) => {
  pauses.push(milliseconds);
  pausesSeenBy.push(received.length);
});
beforeEach(() => { pauses.length = 0; });

const event = (
  requestType: 'Create' | 'Update' | 'Delete',
  properties: Record<string, unknown> = { ServiceName: 'ecs.amazonaws.com' },
): CloudFormationCustomResourceEvent => ({
  RequestType: requestType,
  ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:handler',
  ResponseURL: `${cloudFormation.origin}/cloudformation-response?X-Amz-Signature=abc`,
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/FargateServiceLab/1',
  RequestId: 'request-1',
  LogicalResourceId: 'EcsServiceLinkedRole545F0CA0',
  ResourceType: 'Custom::ServiceLinkedRole',
  ResourceProperties: { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:handler', ...properties },
  ...(requestType === 'Create' ? {} : { PhysicalResourceId: 'ecs.amazonaws.com' }),
  ...(requestType === 'Update'
    ? { OldResourceProperties: { ServiceToken: 'x', ServiceName: 'ecs.amazonaws.com' } }
    : {}),
} as CloudFormationCustomResourceEvent);

const roleTaken = () => new InvalidInputException({
  message: 'Service role name AWSServiceRoleForECS has been taken in this account, please try a different suffix.',
  $metadata: {},
});

test('mocked IAM: creates the role, waits for IAM to propagate it, '
  + 'then answers SUCCESS with a PUT to the response URL', async () => {
  iam.on(CreateServiceLinkedRoleCommand, { AWSServiceName: 'ecs.amazonaws.com' }).resolves({
    Role: {
      RoleName: 'AWSServiceRoleForECS',
      Path: '/aws-service-role/ecs.amazonaws.com/',
      RoleId: 'x',
      Arn: 'arn',
      CreateDate: new Date(),
    },
  });
  await recordingHandler(event('Create'));
  expect(iam.commandCalls(CreateServiceLinkedRoleCommand).map((call) => call.args[0].input))
    .toEqual([{ AWSServiceName: 'ecs.amazonaws.com' }]);
  expect(pauses).toEqual([20_000]);
  expect(pausesSeenBy).toEqual([0]);
  expect(received).toEqual([{
    method: 'PUT',
    contentType: '',
    body: {
      Status: 'SUCCESS',
      Reason: 'Created the service-linked role of ecs.amazonaws.com and waited 20 s for IAM to propagate it',
      PhysicalResourceId: 'ecs.amazonaws.com',
      StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/FargateServiceLab/1',
      RequestId: 'request-1',
      LogicalResourceId: 'EcsServiceLinkedRole545F0CA0',
    },
  }]);
});

test('mocked IAM: a role that exists already ("has been taken") is a success, with no wait', async () => {
  iam.on(CreateServiceLinkedRoleCommand).rejects(roleTaken());
  await recordingHandler(event('Create'));
  expect(pauses).toEqual([]);
  expect(received.map((r) => [r.body.Status, r.body.Reason, r.body.PhysicalResourceId])).toEqual([
    ['SUCCESS', 'The service-linked role of ecs.amazonaws.com exists already', 'ecs.amazonaws.com'],
  ]);
});

test('mocked IAM: an Update behaves like a Create, and keeps the resource\'s id', async () => {
  iam.on(CreateServiceLinkedRoleCommand).rejects(roleTaken());
  await recordingHandler(event('Update'));
  expect(iam.commandCalls(CreateServiceLinkedRoleCommand)).toHaveLength(1);
  expect(received.map((r) => [r.body.Status, r.body.PhysicalResourceId])).toEqual([['SUCCESS', 'ecs.amazonaws.com']]);
});

test('mocked IAM: fails the resource with a readable reason when IAM refuses', async () => {
  iam.on(CreateServiceLinkedRoleCommand).rejects(Object.assign(
    new Error('User: arn:aws:sts::123456789012:assumed-role/x '
      + 'is not authorized to perform: iam:CreateServiceLinkedRole'),
    { name: 'AccessDenied' },
  ));
  await recordingHandler(event('Create'));
  expect(pauses).toEqual([]);
  expect(received.map((r) => r.body)).toEqual([expect.objectContaining({
    Status: 'FAILED',
    Reason: 'Could not create the service-linked role of ecs.amazonaws.com: AccessDenied: User: '
      + 'arn:aws:sts::123456789012:assumed-role/x is not authorized to perform: iam:CreateServiceLinkedRole',
    PhysicalResourceId: 'failed-request-1',
  })]);
});

test('mocked IAM: fails on an InvalidInputException that is not "has been taken"', async () => {
  iam.on(CreateServiceLinkedRoleCommand).rejects(new InvalidInputException({
    message: 'Service ecs.amazonaws.com does not support custom suffix',
    $metadata: {},
  }));
  await recordingHandler(event('Update'));
  expect(received.map((r) => [r.body.Status, r.body.Reason, r.body.PhysicalResourceId])).toEqual([
    [
      'FAILED',
      'Could not create the service-linked role of ecs.amazonaws.com: '
        + 'InvalidInputException: Service ecs.amazonaws.com does not support custom suffix',
      'ecs.amazonaws.com',
    ],
  ]);
});

test('mocked IAM: keeps a long reason under CloudFormation\'s response limit', async () => {
  iam.on(CreateServiceLinkedRoleCommand)
    .rejects(new NoSuchEntityException({ message: 'x'.repeat(5_000), $metadata: {} }));
  await recordingHandler(event('Create'));
  expect(received[0].body.Reason).toHaveLength(1_000);
  expect(received[0].body.Reason)
    .toMatch(/^Could not create the service-linked role of ecs\.amazonaws\.com: NoSuchEntityException: x+\.\.\.$/);
});

test('mocked IAM: fails without calling IAM when ServiceName is not a service principal', async () => {
  await recordingHandler(event('Create', { ServiceName: 'ecs' }));
  expect(iam.commandCalls(CreateServiceLinkedRoleCommand)).toEqual([]);
  expect(received.map((r) => [r.body.Status, r.body.Reason])).toEqual([
    [
      'FAILED',
      'ServiceName must be an AWS service principal such as "ecs.amazonaws.com" '
        + '(lower-case labels ending in .amazonaws.com, at most 100 characters), got "ecs"',
    ],
  ]);
});

test('mocked IAM: Delete does nothing and succeeds: the role is shared by the whole account and kept', async () => {
  await handler(event('Delete'));
  expect(iam.calls()).toEqual([]);
  expect(received.map((r) => [r.body.Status, r.body.PhysicalResourceId])).toEqual([['SUCCESS', 'ecs.amazonaws.com']]);
});

test('mocked IAM: the deployed handler answers at once when the role exists', async () => {
  iam.on(CreateServiceLinkedRoleCommand).rejects(roleTaken());
  const started = Date.now();
  await handler(event('Create'));
  expect(Date.now() - started).toBeLessThan(PROPAGATION_PAUSE_MS / 4);
  expect(received.map((r) => r.body.Status)).toEqual(['SUCCESS']);
});

test('mocked IAM: the deployed handler answers 20 s after creating the role, not before', async () => {
  iam.on(CreateServiceLinkedRoleCommand).resolves({});
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  try {
    const answered = handler(event('Create'));
    await jest.advanceTimersByTimeAsync(PROPAGATION_PAUSE_MS - 1);
    expect(iam.commandCalls(CreateServiceLinkedRoleCommand)).toHaveLength(1);
    expect(received).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    await answered;
    expect(received.map((r) => r.body.Status)).toEqual(['SUCCESS']);
  } finally {
    jest.useRealTimers();
  }
});

test('fails when the response URL does not accept the answer, so Lambda retries the event', async () => {
  iam.on(CreateServiceLinkedRoleCommand).rejects(roleTaken());
  await expect(recordingHandler({
    ...event('Create'),
    ResponseURL: `${cloudFormation.origin.replace(/:\d+$/, ':1')}/closed`,
  })).rejects.toThrow(/ECONNREFUSED/);
});

describe('service principals', () => {
  test.each([
    'ecs.amazonaws.com',
    'elasticbeanstalk.amazonaws.com',
    'ecs.application-autoscaling.amazonaws.com',
    `${'a'.repeat(86)}.amazonaws.com`,
  ])('accepts %p', (name) => {
    expect(isServicePrincipal(name)).toBe(true);
  });

  test.each([
    '',
    'ecs',
    'amazonaws.com',
    'ECS.amazonaws.com',
    'ecs.amazonaws.com ',
    'ecs..amazonaws.com',
    'arn:aws:iam::aws:role/ecs.amazonaws.com',
    `${'a'.repeat(87)}.amazonaws.com`,
    42,
  ])('rejects %p', (name) => {
    expect(isServicePrincipal(name)).toBe(false);
  });
});

describe('the ServiceLinkedRole construct', () => {
  // Validation and ids only: no need to bundle the handler.
  const bareStack = () => constructTestStack({}, 'Default');

  test('is created once per stack and service', () => {
    const stack = bareStack();
    const ecs = ServiceLinkedRole.of(stack, 'ecs.amazonaws.com');
    expect(ServiceLinkedRole.of(stack, 'ecs.amazonaws.com')).toBe(ecs);
    expect(ecs.node.id).toBe('EcsServiceLinkedRole');
    const scaling = ServiceLinkedRole.of(stack, 'ecs.application-autoscaling.amazonaws.com');
    expect(scaling).not.toBe(ecs);
    expect(scaling.node.id).toBe('EcsApplicationAutoscalingServiceLinkedRole');
    expect(ServiceLinkedRole.of(bareStack(), 'ecs.amazonaws.com')).not.toBe(ecs);
  });

  test('fails on a service name that is not a service principal', () => {
    expect(() => new ServiceLinkedRole(bareStack(), 'Role', { serviceName: 'ecs' })).toThrow(
      'serviceName must be an AWS service principal such as "ecs.amazonaws.com" '
        + '(lower-case labels ending in .amazonaws.com, at most 100 characters), got "ecs"',
    );
  });
});
