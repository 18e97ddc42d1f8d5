import { Match, Template } from 'aws-cdk-lib/assertions';
import { normalizeTemplate } from '../helpers/normalize-template';
import { synthLabs, templateOf } from '../helpers/synth';
import { joinRegExp } from '../helpers/join-regexp';

const STACK = 'S3UploadsLab';
const synthed = synthLabs([STACK]);
const template = Template.fromJSON(templateOf(synthed, STACK));
const idOf = (type: string, prefix = '') => {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  expect(ids).toHaveLength(1);
  return ids[0];
};
const BUCKET = idOf('AWS::S3::Bucket');
const TABLE = idOf('AWS::DynamoDB::Table');
const QUEUE = idOf('AWS::SQS::Queue');
const FUNCTION = idOf('AWS::Lambda::Function', 'UploadProcessorUploadsFunction');
const uploadsFunction = () => template.findResources('AWS::Lambda::Function')[FUNCTION];

test('synthesizes with no unacknowledged finding', () => {
  expect(synthed.error).toBeUndefined();
  expect(synthed.violations).toEqual([]);
});

test('matches the snapshot', () => {
  expect(normalizeTemplate(templateOf(synthed, STACK))).toMatchSnapshot();
});

test('runs the bundled uploads handler on Node.js 24 on arm64, with its table and prefix', () => {
  const fn = uploadsFunction().Properties;
  expect(fn).toEqual(expect.objectContaining({
    Runtime: 'nodejs24.x',
    Architectures: ['arm64'],
    Handler: 'index.handler',
  }));
  expect(fn.Code.S3Key).toMatch(/^[0-9a-f]{64}\.zip$/);
  expect(fn.Environment.Variables).toEqual({
    TABLE_NAME: { Ref: TABLE },
    KEY_PREFIX: 'uploads/',
    NODE_OPTIONS: '--enable-source-maps',
  });
});

test('invokes the function for objects created under uploads/ only', () => {
  template.hasResourceProperties('Custom::S3BucketNotifications', {
    BucketName: { Ref: BUCKET },
    NotificationConfiguration: {
      LambdaFunctionConfigurations: [{
        Events: ['s3:ObjectCreated:*'],
        Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'uploads/' }] } },
        LambdaFunctionArn: { 'Fn::GetAtt': [FUNCTION, 'Arn'] },
      }],
    },
  });
});

test('lets the function read objects under uploads/, list its bucket, put items in its table, send to its queue '
  + 'and write its logs, nothing else', () => {
  const role = uploadsFunction().Properties.Role['Fn::GetAtt'][0];
  const policies = Object.values<any>(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => policy.Properties.Roles.some((r: any) => r.Ref === role));
  expect(policies).toHaveLength(1);
  expect(policies[0].Properties.PolicyDocument.Statement).toEqual([
    {
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [uploadsFunction().Properties.LoggingConfig.LogGroup.Ref, 'Arn'] },
    },
    {
      Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [QUEUE, 'Arn'] },
    },
    {
      Action: 's3:GetObject',
      Effect: 'Allow',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [BUCKET, 'Arn'] }, '/uploads/*']] },
    },
    { Action: 's3:ListBucket', Effect: 'Allow', Resource: { 'Fn::GetAtt': [BUCKET, 'Arn'] } },
    { Action: 'dynamodb:PutItem', Effect: 'Allow', Resource: { 'Fn::GetAtt': [TABLE, 'Arn'] } },
  ]);
});

test('retries a failed event twice within an hour, then keeps it 14 days in the failure queue', () => {
  template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
    FunctionName: { Ref: FUNCTION },
    MaximumRetryAttempts: 2,
    MaximumEventAgeInSeconds: 3600,
    DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [QUEUE, 'Arn'] } } },
  });
  template.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 1_209_600 });
});

test('deletes everything with the stack: nothing retained, the bucket emptied first', () => {
  for (const resource of Object.values<any>(templateOf(synthed, STACK).Resources)) {
    expect(['Retain', 'RetainExceptOnCreate', 'Snapshot']).not.toContain(resource.DeletionPolicy);
    expect(['Retain', 'RetainExceptOnCreate', 'Snapshot']).not.toContain(resource.UpdateReplacePolicy);
  }
  for (const type of ['AWS::S3::Bucket', 'AWS::DynamoDB::Table', 'AWS::SQS::Queue']) {
    template.hasResource(type, { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  }
  template.hasResourceProperties('Custom::S3AutoDeleteObjects', { BucketName: { Ref: BUCKET } });
});

test('logs every function, CDK\'s helpers included, to a log group of the stack', () => {
  const groups = Object.keys(template.findResources('AWS::Logs::LogGroup', {
    DeletionPolicy: 'Delete',
    Properties: { RetentionInDays: 7 },
  }));
  const functions = Object.values<any>(template.findResources('AWS::Lambda::Function'));
  expect(functions).toHaveLength(3);
  for (const fn of functions) expect(groups).toContain(fn.Properties.LoggingConfig.LogGroup.Ref);
});

test('names no bucket, table or queue', () => {
  template.hasResourceProperties('AWS::S3::Bucket', { BucketName: Match.absent() });
  template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: Match.absent() });
  template.hasResourceProperties('AWS::SQS::Queue', { QueueName: Match.absent() });
});

test('outputs the bucket, table, function, queue and key prefix, and the command that uploads a test file', () => {
  const outputs = template.findOutputs('*');
  expect(Object.keys(outputs).sort()).toEqual([
    'BucketName',
    'FailureQueueUrl',
    'FunctionName',
    'KeyPrefix',
    'TableName',
    'UploadCommand',
  ]);
  expect(outputs.KeyPrefix.Value).toBe('uploads/');
  expect(outputs.BucketName.Value).toEqual({ Ref: BUCKET });
  expect(outputs.TableName.Value).toEqual({ Ref: TABLE });
  expect(outputs.FunctionName.Value).toEqual({ Ref: FUNCTION });
  expect(outputs.FailureQueueUrl.Value).toEqual({ Ref: QUEUE });
  expect(outputs.UploadCommand.Value).toEqual({
    'Fn::Join': ['', ['aws s3 cp hello.txt s3://', { Ref: BUCKET }, '/uploads/hello.txt']],
  });
});

test('honours the keyPrefix, retryAttempts and maxEventAge (seconds) context values', () => {
  const result = synthLabs([STACK], { context: { keyPrefix: 'in/', retryAttempts: '0', maxEventAge: '300' } });
  expect(result.violations).toEqual([]);
  const custom = Template.fromJSON(templateOf(result, STACK));
  custom.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
    MaximumRetryAttempts: 0,
    MaximumEventAgeInSeconds: 300,
  });
  custom.hasResourceProperties('Custom::S3BucketNotifications', {
    NotificationConfiguration: {
      LambdaFunctionConfigurations: [
        Match.objectLike({ Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'in/' }] } } }),
      ],
    },
  });
  expect(custom.findOutputs('UploadCommand').UploadCommand.Value['Fn::Join'][1][2]).toBe('/in/hello.txt');
});

test.each([
  [{ keyPrefix: 'uploads' }, /keyPrefix must end with \/ .*, got 'uploads'/],
  [{ retryAttempts: '3' }, /retryAttempts must be a whole number from 0 to 2 .*, got 3/],
  [{ retryAttempts: 'twice' }, /Context value retryAttempts must be a number, got "twice"/],
  [{ maxEventAge: '59' }, /maxEventAge must be a whole number of seconds from 60 .*, got 59 seconds/],
  [{ maxEventAge: '21601' }, joinRegExp(
    /maxEventAge must be a whole number of seconds from 60 to 21600 /,
    /\(1 minute to 6 hours, Lambda's limits\), got 21601 seconds/,
  )],
])('fails on bad context %p', (context, message) => {
  expect(() => synthLabs([STACK], { context })).toThrow(message);
});
