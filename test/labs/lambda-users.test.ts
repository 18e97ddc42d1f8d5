import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import { normalizeTemplate } from '../helpers/normalize-template';
import { synthLabs, templateOf } from '../helpers/synth';

const STACK = 'LambdaUsersLab';
const synthed = synthLabs([STACK]);
const template = Template.fromJSON(templateOf(synthed, STACK));
const idOf = (type: string) => {
  const ids = Object.keys(template.findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0];
};

test('synthesizes with no unacknowledged finding', () => {
  expect(synthed.error).toBeUndefined();
  expect(synthed.violations).toEqual([]);
});

test('matches the snapshot', () => {
  expect(normalizeTemplate(templateOf(synthed, STACK))).toMatchSnapshot();
});

test('keeps users in an on-demand table keyed by userId, with point-in-time recovery, deleted with the stack', () => {
  template.hasResource('AWS::DynamoDB::Table', {
    Properties: {
      KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'userId', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TableName: Match.absent(),
    },
    DeletionPolicy: 'Delete',
    UpdateReplacePolicy: 'Delete',
  });
});

test('runs the function on Node.js 24 on arm64, with tracing and the table name', () => {
  template.hasResourceProperties('AWS::Lambda::Function', {
    Runtime: 'nodejs24.x',
    Architectures: ['arm64'],
    TracingConfig: { Mode: 'Active' },
    Environment: {
      Variables: { TABLE_NAME: { Ref: idOf('AWS::DynamoDB::Table') }, NODE_OPTIONS: '--enable-source-maps' },
    },
  });
});

test('lets the function do exactly GetItem, PutItem, DeleteItem and Scan on its table, '
  + 'write its logs and traces', () => {
  const statements = new Capture();
  template.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: statements } });
  const logGroup = template.findResources('AWS::Lambda::Function');
  const functionLogGroup = Object.values(logGroup)[0].Properties.LoggingConfig.LogGroup.Ref;
  expect(statements.asArray()).toEqual([
    {
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [functionLogGroup, 'Arn'] },
    },
    { Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Effect: 'Allow', Resource: '*' },
    {
      Action: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Scan'],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [idOf('AWS::DynamoDB::Table'), 'Arn'] },
    },
  ]);
  template.resourcePropertiesCountIs('AWS::IAM::Role', {
    ManagedPolicyArns: Match.anyValue(),
    AssumeRolePolicyDocument: Match.objectLike({
      Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
    }),
  }, 0);
});

test('logs the function and the API access logs to log groups of the stack, with retention, deleted with it', () => {
  const groups = template.findResources('AWS::Logs::LogGroup', {
    DeletionPolicy: 'Delete',
    Properties: { RetentionInDays: 7 },
  });
  expect(Object.keys(groups)).toHaveLength(2);
  const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0];
  expect(Object.keys(groups)).toContain(fn.Properties.LoggingConfig.LogGroup.Ref);
  const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0];
  const destination = JSON.stringify(stage.Properties.AccessLogSetting.DestinationArn);
  expect(Object.keys(groups).some((id) => destination.includes(`"Ref":"${id}"`))).toBe(true);
});

test('serves /users GET+POST and /users/{userId} GET+DELETE through Lambda proxy integration, '
  + 'plus CORS preflight', () => {
  const resources = template.findResources('AWS::ApiGateway::Resource');
  const pathOf = (id: string): string => {
    const resource = resources[id];
    const parent = resource.Properties.ParentId.Ref;
    return `${parent && resources[parent] ? pathOf(parent) : ''}/${resource.Properties.PathPart}`;
  };
  const routes = Object.values<any>(template.findResources('AWS::ApiGateway::Method')).map((method) => {
    const resource = method.Properties.ResourceId.Ref;
    return `${method.Properties.HttpMethod} ${resource ? pathOf(resource) : '/'} ${method.Properties.Integration.Type}`;
  }).sort();
  expect(routes).toEqual([
    'DELETE /users/{userId} AWS_PROXY',
    'GET /users AWS_PROXY',
    'GET /users/{userId} AWS_PROXY',
    'OPTIONS / MOCK',
    'OPTIONS /users MOCK',
    'OPTIONS /users/{userId} MOCK',
    'POST /users AWS_PROXY',
  ]);
});

test('answers CORS preflight with the allowed origin, methods and headers', () => {
  template.hasResourceProperties('AWS::ApiGateway::Method', {
    HttpMethod: 'OPTIONS',
    Integration: Match.objectLike({
      IntegrationResponses: [Match.objectLike({
        ResponseParameters: {
          'method.response.header.Access-Control-Allow-Headers': "'Content-Type'",
          'method.response.header.Access-Control-Allow-Origin': "'*'",
          'method.response.header.Access-Control-Allow-Methods': "'GET,POST,DELETE,OPTIONS'",
        },
      })],
    }),
  });
});

test('is a regional REST API with a prod stage that throttles a runaway client', () => {
  template.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
  template.hasResourceProperties('AWS::ApiGateway::Stage', {
    StageName: 'prod',
    MethodSettings: [
      Match.objectLike({ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 }),
    ],
  });
});

test('outputs the API base URL, the users URL, the function name and the table name', () => {
  const outputs = template.findOutputs('*');
  expect(Object.keys(outputs).sort()).toEqual(['ApiUrl', 'FunctionName', 'TableName', 'UsersUrl']);
  const stage = { Ref: idOf('AWS::ApiGateway::Stage') };
  expect(outputs.ApiUrl.Value['Fn::Join'][1].slice(-2)).toEqual([stage, '/']);
  expect(outputs.UsersUrl.Value['Fn::Join'][1].slice(-2)).toEqual([stage, '/users']);
});

test('honours the throttling context values', () => {
  const result = synthLabs([STACK], { context: { throttlingRateLimit: '2', throttlingBurstLimit: '5' } });
  Template.fromJSON(templateOf(result, STACK)).hasResourceProperties('AWS::ApiGateway::Stage', {
    MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 2, ThrottlingBurstLimit: 5 })],
  });
});

test('leaves out the account-level logging role where the account has one', () => {
  const result = synthLabs([STACK], { context: { createApiGatewayLoggingRole: 'false' } });
  const withoutRole = Template.fromJSON(templateOf(result, STACK));
  withoutRole.resourceCountIs('AWS::ApiGateway::Account', 0);
  template.resourceCountIs('AWS::ApiGateway::Account', 1);
});

test.each([
  [{ throttlingRateLimit: '0' }, /throttlingRateLimit must be more than 0 and at most 10000/],
  [{ throttlingBurstLimit: '2.5' }, /throttlingBurstLimit must be a whole number from 1 to 5000/],
  [{ throttlingRateLimit: 'fast' }, /Context value throttlingRateLimit must be a number, got "fast"/],
])('fails on bad throttling %p', (context, message) => {
  expect(() => synthLabs([STACK], { context })).toThrow(message);
});

