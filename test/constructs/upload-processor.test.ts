import { App, CfnElement, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { UploadProcessor, UploadProcessorProps } from '../../lib/constructs/upload-processor';
import { applyLabGuardrails } from '../../lib/guardrails';
import { synthesize, testAppProps } from '../helpers/synth';

// Without bundling: these tests read the template around the function; test/labs/s3-uploads.test.ts bundles it.
const newStack = () => new Stack(new App(testAppProps({ context: { 'aws:cdk:bundling-stacks': [] } })), 'TestLab');

function build(props?: UploadProcessorProps) {
  const stack = newStack();
  const processor = new UploadProcessor(stack, 'Uploads', props);
  const idOf = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(
    construct.node.defaultChild as CfnElement,
  );
  return { stack, processor, template: Template.fromStack(stack), idOf };
}

const { stack, processor, template, idOf } = build();
const BUCKET = idOf(processor.bucket);
const TABLE = idOf(processor.table);
const QUEUE = idOf(processor.failureQueue);
const FUNCTION = idOf(processor.function);
const FUNCTION_LOGS = stack.resolve((processor.function.node.defaultChild as any).loggingConfig).logGroup.Ref;
const prefixObjects = (prefix: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [BUCKET, 'Arn'] }, `/${prefix}*`]] });

const resourcesOf = (type: string, t: Template = template) => Object.entries<any>(t.findResources(type));
const onlyOf = (type: string, t: Template = template) => {
  const found = resourcesOf(type, t);
  expect(found).toHaveLength(1);
  return found[0][1];
};
/** The statements of the role's policies (its DefaultPolicy). */
const statementsOf = (roleId: string, t: Template = template) => resourcesOf('AWS::IAM::Policy', t)
  .filter(([, policy]) => policy.Properties.Roles.some((role: any) => role.Ref === roleId))
  .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement);
const functionRole = (t: Template = template) => resourcesOf('AWS::Lambda::Function', t)
  .find(([id]) => id.includes('UploadsFunction'))![1].Properties.Role['Fn::GetAtt'][0];
const notificationsHandler = (t: Template = template) => resourcesOf('AWS::Lambda::Function', t)
  .find(([id]) => id.startsWith('BucketNotificationsHandler'))!;
const autoDeleteHandler = (t: Template = template) => resourcesOf('AWS::Lambda::Function', t)
  .find(([id]) => id.startsWith('CustomS3AutoDeleteObjects'))!;
const stackLogGroups = (t: Template = template) => Object.keys(t.findResources('AWS::Logs::LogGroup', {
  DeletionPolicy: 'Delete',
  Properties: { RetentionInDays: 7 },
}));

describe('defaults', () => {
  test('processes objects under uploads/ and tells the function its prefix and table', () => {
    expect(processor.keyPrefix).toBe('uploads/');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: { TABLE_NAME: { Ref: TABLE }, KEY_PREFIX: 'uploads/', NODE_OPTIONS: '--enable-source-maps' },
      },
    });
  });

  test('retries a failed event twice and gives up on an event older than an hour', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
    });
  });

  test('keeps a failed event 14 days', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 1_209_600 });
  });
});

describe('the bucket', () => {
  test('is private, TLS-only, S3-encrypted and unnamed, and its objects expire after 7 days', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        LifecycleConfiguration: {
          Rules: [{
            ExpirationInDays: 7,
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            Status: 'Enabled',
          }],
        },
        BucketName: Match.absent(),
      },
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
    });
  });

  test('denies plain HTTP, and grants nobody but CDK\'s auto-delete handler anything in its policy', () => {
    const policy = onlyOf('AWS::S3::BucketPolicy');
    const bucketAndObjects = [
      { 'Fn::GetAtt': [BUCKET, 'Arn'] },
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': [BUCKET, 'Arn'] }, '/*']] },
    ];
    const autoDeleteRole = autoDeleteHandler()[1].Properties.Role['Fn::GetAtt'][0];
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      {
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Resource: bucketAndObjects,
      },
      {
        Action: ['s3:DeleteObject*', 's3:GetBucket*', 's3:List*', 's3:PutBucketPolicy'],
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::GetAtt': [autoDeleteRole, 'Arn'] } },
        Resource: bucketAndObjects,
      },
    ]);
  });

  test('is emptied before it is deleted with the stack', () => {
    template.hasResourceProperties('Custom::S3AutoDeleteObjects', { BucketName: { Ref: BUCKET } });
  });

  test('invokes the function for every object created under the prefix, and for nothing else', () => {
    expect(onlyOf('Custom::S3BucketNotifications').Properties).toEqual(expect.objectContaining({
      BucketName: { Ref: BUCKET },
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [{
          Events: ['s3:ObjectCreated:*'],
          Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'uploads/' }] } },
          LambdaFunctionArn: { 'Fn::GetAtt': [FUNCTION, 'Arn'] },
        }],
      },
    }));
  });

  test('is the only caller S3 may invoke the function for: this bucket, in this account', () => {
    expect(onlyOf('AWS::Lambda::Permission').Properties).toEqual({
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [FUNCTION, 'Arn'] },
      Principal: 's3.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
      SourceArn: { 'Fn::GetAtt': [BUCKET, 'Arn'] },
    });
  });
});

test('keeps records in an on-demand, unnamed table keyed by objectKey, with point-in-time recovery, '
  + 'deleted with the stack', () => {
  template.hasResource('AWS::DynamoDB::Table', {
    Properties: {
      KeySchema: [{ AttributeName: 'objectKey', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'objectKey', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TableName: Match.absent(),
    },
    DeletionPolicy: 'Delete',
    UpdateReplacePolicy: 'Delete',
  });
});

test('keeps failed events in an unnamed, SQS-encrypted, TLS-only queue deleted with the stack', () => {
  template.hasResource('AWS::SQS::Queue', {
    Properties: { SqsManagedSseEnabled: true, QueueName: Match.absent() },
    DeletionPolicy: 'Delete',
    UpdateReplacePolicy: 'Delete',
  });
  expect(onlyOf('AWS::SQS::QueuePolicy').Properties.PolicyDocument.Statement).toEqual([
    {
      Action: 'sqs:*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Resource: { 'Fn::GetAtt': [QUEUE, 'Arn'] },
    },
  ]);
});

describe('the function', () => {
  test('runs the uploads handler on Node.js 24 on arm64 with 256 MB for at most 30 seconds', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x', Architectures: ['arm64'], Handler: 'index.handler', MemorySize: 256, Timeout: 30,
    });
  });

  test('logs to a log group of the stack with a retention, deleted with it', () => {
    expect(stackLogGroups()).toContain(FUNCTION_LOGS);
  });

  test('is invoked asynchronously with explicit retries and event age, and sends what fails to the queue', () => {
    expect(onlyOf('AWS::Lambda::EventInvokeConfig').Properties).toEqual({
      FunctionName: { Ref: FUNCTION },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [QUEUE, 'Arn'] } } },
    });
  });
});

describe('permissions', () => {
  test('let the function write its logs, read objects under the prefix, list its bucket, put items in its table '
    + 'and send to its queue, nothing else', () => {
    expect(statementsOf(functionRole())).toEqual([
      {
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [FUNCTION_LOGS, 'Arn'] },
      },
      // SqsDestination's grant: SendMessage is what Lambda needs; the other two are read-only, on this queue.
      {
        Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [QUEUE, 'Arn'] },
      },
      { Action: 's3:GetObject', Effect: 'Allow', Resource: prefixObjects('uploads/') },
      // So that HeadObject of a deleted object answers 404, not 403.
      { Action: 's3:ListBucket', Effect: 'Allow', Resource: { 'Fn::GetAtt': [BUCKET, 'Arn'] } },
      { Action: 'dynamodb:PutItem', Effect: 'Allow', Resource: { 'Fn::GetAtt': [TABLE, 'Arn'] } },
    ]);
  });

  test('give the function a role of its own, for Lambda only, with no managed policy', () => {
    const role = template.findResources('AWS::IAM::Role')[functionRole()];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
  });

  test('let CDK\'s notifications handler configure this bucket\'s notifications and write its log group, '
    + 'nothing else', () => {
    const [, handler] = notificationsHandler();
    const role = handler.Properties.Role['Fn::GetAtt'][0];
    expect(template.findResources('AWS::IAM::Role')[role].Properties.ManagedPolicyArns).toBeUndefined();
    expect(statementsOf(role)).toEqual([
      {
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [handler.Properties.LoggingConfig.LogGroup.Ref, 'Arn'] },
      },
      { Action: 's3:PutBucketNotification', Effect: 'Allow', Resource: { 'Fn::GetAtt': [BUCKET, 'Arn'] } },
    ]);
  });

  test('name no wildcard action, and no wildcard resource but the objects under the prefix', () => {
    const statements = resourcesOf('AWS::IAM::Policy')
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement);
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect([statement.Action].flat().filter((action: string) => action.includes('*'))).toEqual([]);
      for (const resource of [statement.Resource].flat()) {
        if (JSON.stringify(resource).includes('*')) expect(resource).toEqual(prefixObjects('uploads/'));
      }
    }
  });

  test('leave an AWS managed policy only on the role CDK\'s auto-delete provider brings '
    + '(a raw resource: its handler logs to our group)', () => {
    const withManaged = resourcesOf('AWS::IAM::Role')
      .filter(([, role]) => role.Properties.ManagedPolicyArns !== undefined)
      .map(([id]) => id);
    expect(withManaged).toEqual([autoDeleteHandler()[1].Properties.Role['Fn::GetAtt'][0]]);
  });
});

describe('teardown', () => {
  test('keeps nothing after the stack is deleted', () => {
    for (const [, resource] of Object.entries<any>(template.toJSON().Resources)) {
      expect(['Retain', 'RetainExceptOnCreate', 'Snapshot']).not.toContain(resource.DeletionPolicy);
      expect(['Retain', 'RetainExceptOnCreate', 'Snapshot']).not.toContain(resource.UpdateReplacePolicy);
    }
  });

  test('logs CDK\'s auto-delete and notifications handlers to a log group of the stack, not to /aws/lambda/...', () => {
    const groups = stackLogGroups();
    for (const [, handler] of [autoDeleteHandler(), notificationsHandler()]) {
      expect(groups).toContain(handler.Properties.LoggingConfig.LogGroup.Ref);
    }
    expect(autoDeleteHandler()[1].Properties.LoggingConfig).toEqual(notificationsHandler()[1].Properties.LoggingConfig);
  });

  test('makes the notifications handler wait for its role\'s policy '
    + '(an immutable role still carries the dependency)', () => {
    const [, handler] = notificationsHandler();
    const role = handler.Properties.Role['Fn::GetAtt'][0];
    const policy = resourcesOf('AWS::IAM::Policy')
      .find(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === role))![0];
    expect(handler.DependsOn).toEqual(expect.arrayContaining([policy, role]));
  });
});

describe('settings', () => {
  test('a custom prefix sets the filter, the function\'s environment and the objects it may read', () => {
    const custom = build({ keyPrefix: 'in/2024/' });
    expect(custom.processor.keyPrefix).toBe('in/2024/');
    custom.template.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          Match.objectLike({ Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'in/2024/' }] } } }),
        ],
      },
    });
    custom.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ KEY_PREFIX: 'in/2024/' }) },
    });
    expect(statementsOf(functionRole(custom.template), custom.template)).toContainEqual({
      Action: 's3:GetObject',
      Effect: 'Allow',
      Resource: prefixObjects('in/2024/'),
    });
  });

  test('retries, event age and retention are passed through', () => {
    const custom = build({ retryAttempts: 0, maxEventAge: Duration.minutes(5), failureRetention: Duration.days(1) });
    custom.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 300,
    });
    custom.template.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 86_400 });
  });

  test('retries, event age and retention may be deploy-time parameters, checked by CloudFormation instead', () => {
    const paramStack = newStack();
    const number = (id: string) => new CfnParameter(paramStack, id, { type: 'Number' }).valueAsNumber;
    new UploadProcessor(paramStack, 'Uploads', {
      retryAttempts: number('Retries'),
      maxEventAge: Duration.seconds(number('EventAge')),
      failureRetention: Duration.seconds(number('Retention')),
    });
    const t = Template.fromStack(paramStack);
    t.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: { Ref: 'Retries' },
      MaximumEventAgeInSeconds: { Ref: 'EventAge' },
    });
    t.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: { Ref: 'Retention' } });
  });
});

describe('validation', () => {
  const make = (props: UploadProcessorProps) => () => new UploadProcessor(newStack(), 'Uploads', props);

  test.each([
    ['a/'],
    ['in/2024/'],
    ['x!-_.\'()/'],
    ['A/b//'],
  ])('accepts keyPrefix %p', (keyPrefix) => {
    expect(make({ keyPrefix })).not.toThrow();
  });

  test.each([
    ['', /keyPrefix must not be empty \(use letters, digits, .*\), got ''/],
    ['/', /keyPrefix must not start with \/ \(S3 keys have no leading slash\), got '\/'/],
    ['/uploads/', /keyPrefix must not start with \/ .*, got '\/uploads\/'/],
    ['uploads', /keyPrefix must end with \/ .*, got 'uploads'/],
    ['uploads/x', /keyPrefix must end with \/ .*, got 'uploads\/x'/],
    ['up*/', /keyPrefix may contain only letters, digits, .* no \* or \? that IAM reads as wildcards\), got 'up\*\/'/],
    ['up?/', /keyPrefix may contain only .*, got 'up\?\/'/],
    ['my uploads/', /keyPrefix may contain only .*, got 'my uploads\/'/],
    ['caf\u00e9/', /keyPrefix may contain only .*, got 'caf\u00e9\/'/],
    ['a%20b/', /keyPrefix may contain only .*, got 'a%20b\/'/],
  ])('fails on keyPrefix %p', (keyPrefix, message) => {
    expect(make({ keyPrefix })).toThrow(message);
  });

  test('fails on a keyPrefix known only at deploy time', () => {
    const paramStack = newStack();
    const keyPrefix = new CfnParameter(paramStack, 'Prefix').valueAsString;
    expect(() => new UploadProcessor(paramStack, 'Uploads', { keyPrefix }))
      .toThrow(/keyPrefix must be a string known at synth time .*, got the token \$\{Token\[/);
  });

  test.each([0, 1, 2])('accepts retryAttempts %p', (retryAttempts) => {
    expect(make({ retryAttempts })).not.toThrow();
  });

  test.each([-1, 3, 1.5, NaN])('fails on retryAttempts %p', (retryAttempts) => {
    expect(make({ retryAttempts })).toThrow(new RegExp('retryAttempts must be a whole number from 0 to 2 '
      + `\\(Lambda's limits for asynchronous invocation\\), got ${retryAttempts}$`));
  });

  test.each([
    [Duration.seconds(60)],
    [Duration.minutes(1)],
    [Duration.seconds(21_600)],
    [Duration.hours(6)],
  ])('accepts maxEventAge %s', (maxEventAge) => {
    expect(make({ maxEventAge })).not.toThrow();
  });

  test.each([
    [Duration.seconds(59), '59 seconds'],
    [Duration.seconds(21_601), '21601 seconds'],
    [Duration.millis(60_500), '60.5 seconds'],
    [Duration.days(1), '86400 seconds'],
  ])('fails on maxEventAge %s', (maxEventAge, shown) => {
    expect(make({ maxEventAge })).toThrow('maxEventAge must be a whole number of seconds from 60 to 21600 '
      + `(1 minute to 6 hours, Lambda's limits), got ${shown}`);
  });

  test.each([
    [Duration.seconds(60)],
    [Duration.seconds(1_209_600)],
    [Duration.days(14)],
  ])('accepts failureRetention %s', (failureRetention) => {
    expect(make({ failureRetention })).not.toThrow();
  });

  test.each([
    [Duration.seconds(59), '59 seconds'],
    [Duration.seconds(1_209_601), '1209601 seconds'],
    [Duration.millis(61_001), '61.001 seconds'],
  ])('fails on failureRetention %s', (failureRetention, shown) => {
    expect(make({ failureRetention })).toThrow('failureRetention must be a whole number of seconds from 60 to 1209600 '
      + `(1 minute to 14 days, SQS's limits), got ${shown}`);
  });
});

describe('two processors in one stack', () => {
  const app = new App(testAppProps({ context: { 'aws:cdk:bundling-stacks': [] } }));
  const shared = new Stack(app, 'TwoLab');
  const first = new UploadProcessor(shared, 'First');
  const second = new UploadProcessor(shared, 'Second', { keyPrefix: 'in/' });
  applyLabGuardrails(app, { project: 'test' });
  const result = synthesize(app);
  const t = Template.fromJSON(result.templates.TwoLab ?? {});
  const bucketArn = (p: UploadProcessor) => ({
    'Fn::GetAtt': [shared.getLogicalId(p.bucket.node.defaultChild as CfnElement), 'Arn'],
  });

  test('pass cdk-nag and the lab guardrails with no finding (each prefix acknowledged for its own bucket)', () => {
    expect(result.error).toBeUndefined();
    expect(result.violations).toEqual([]);
  });

  test('share one notifications handler and one auto-delete handler, logging to one log group of the stack', () => {
    expect(resourcesOf('Custom::S3BucketNotifications', t)).toHaveLength(2);
    expect(resourcesOf('Custom::S3AutoDeleteObjects', t)).toHaveLength(2);
    expect(resourcesOf('AWS::Lambda::Function', t)).toHaveLength(4); // two uploads functions, CDK's two handlers
    const [notifications, autoDelete] = [notificationsHandler(t), autoDeleteHandler(t)]
      .map(([, handler]) => handler.Properties.LoggingConfig.LogGroup.Ref);
    expect(notifications).toBe(autoDelete);
    expect(stackLogGroups(t)).toContain(notifications);
  });

  test('let the shared notifications handler configure both buckets', () => {
    const role = notificationsHandler(t)[1].Properties.Role['Fn::GetAtt'][0];
    expect(statementsOf(role, t)).toContainEqual({
      Action: 's3:PutBucketNotification',
      Effect: 'Allow',
      Resource: [bucketArn(first), bucketArn(second)],
    });
  });
});
