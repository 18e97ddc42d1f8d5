import * as path from 'path';
import { Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { checkKeyPrefix } from './key-prefix';
import { LabBucket } from './lab-bucket';
import { LabLogGroup } from './lab-log-group';
import { nodeFunctionBase } from './node-bundling';

export interface UploadProcessorProps {
  /**
   * Only objects created under this prefix invoke the function, and the function may read only these objects.
   * Letters, digits, `/` and S3's other safe characters `! - _ . ' ( )`, ending with `/`: S3 then matches the
   * filter against the key as written, and the IAM resource `<bucket>/<prefix>*` has no wildcard but its last `*`.
   *
   * @default 'uploads/'
   */
  readonly keyPrefix?: string;

  /**
   * How many times Lambda retries an event whose invocation failed, before it goes to the failure queue.
   *
   * @default 2 - Lambda's maximum (and its default), so a passing glitch does not lose an upload
   */
  readonly retryAttempts?: number;

  /**
   * How long Lambda keeps an event it could not yet process (throttled, or waiting for a retry) before it goes
   * to the failure queue.
   *
   * @default Duration.hours(1) - long enough for the retries, short enough to see a poison event within the lab
   */
  readonly maxEventAge?: Duration;

  /**
   * How long the failure queue keeps an event that failed every attempt.
   *
   * @default Duration.days(14) - SQS's maximum: time to find, fix and replay a poison event
   */
  readonly failureRetention?: Duration;
}

const HANDLER_ENTRY = path.join(__dirname, '..', '..', 'lambda', 'uploads', 'handler.ts');

/**
 * The notes' S3-triggered function: objects created under a prefix of a private bucket invoke a Node.js function
 * asynchronously; it records each object's metadata in a DynamoDB table, one item per key that a redelivered or
 * older event never overwrites. Events that fail every retry are kept in an SQS queue instead of being dropped.
 * Everything is deleted with the stack.
 */
export class UploadProcessor extends Construct {
  public readonly bucket: s3.Bucket;
  public readonly table: dynamodb.Table;
  public readonly function: lambda.Function;
  public readonly failureQueue: sqs.Queue;
  /** The prefix whose new objects the function processes, e.g. `uploads/`. */
  public readonly keyPrefix: string;

  constructor(scope: Construct, id: string, props: UploadProcessorProps = {}) {
    super(scope, id);

    this.keyPrefix = props.keyPrefix ?? 'uploads/';
    const retryAttempts = props.retryAttempts ?? 2;
    const maxEventAge = props.maxEventAge ?? Duration.hours(1);
    const failureRetention = props.failureRetention ?? Duration.days(14);
    checkKeyPrefix(this.keyPrefix);
    checkRetryAttempts(retryAttempts);
    checkSeconds('maxEventAge', maxEventAge, 60, 6 * 3600, '1 minute to 6 hours, Lambda\'s limits');
    checkSeconds('failureRetention', failureRetention, 60, 14 * 86400, '1 minute to 14 days, SQS\'s limits');

    this.bucket = new LabBucket(this, 'Bucket');

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'objectKey', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.failureQueue = new sqs.Queue(this, 'FailureQueue', {
      retentionPeriod: failureRetention,
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.failureQueue).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter store itself: the function\'s on-failure destination for events that '
        + 'failed every attempt. Nothing consumes it, so a dead-letter queue of its own would never receive a message.',
    });

    // An explicit role instead of AWSLambdaBasicExecutionRole, which may write to every log group in the account.
    const functionLogs = new LabLogGroup(this, 'FunctionLogs').logGroup;
    const role = new iam.Role(this, 'FunctionRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'UploadsFunction: read new objects under its prefix, list its bucket, put items in its table, '
        + 'write its log group',
    });
    functionLogs.grantWrite(role);

    this.function = new lambda.Function(this, 'UploadsFunction', {
      ...nodeFunctionBase(this, {
        entry: HANDLER_ENTRY,
        environment: { TABLE_NAME: this.table.tableName, KEY_PREFIX: this.keyPrefix },
      }),
      memorySize: 256,
      timeout: Duration.seconds(30),
      role,
      logGroup: functionLogs,
      retryAttempts,
      maxEventAge,
      // Grants the role sqs:SendMessage (and GetQueueAttributes, GetQueueUrl) on the queue: Lambda sends the failed
      // event with the function's role.
      onFailure: new SqsDestination(this.failureQueue),
    });
    // GetObject covers HeadObject, which is all the function does: it never downloads an object.
    iam.Grant.addToPrincipal({
      grantee: this.function,
      actions: ['s3:GetObject'],
      resourceArns: [this.bucket.arnForObjects(`${this.keyPrefix}*`)],
    });
    // S3 answers HeadObject of a deleted object with 404 only to a caller who may list the bucket, and with 403 to
    // others, which the function cannot tell from a permissions mistake: without this, such an event is retried and
    // ends in the failure queue instead of being skipped.
    iam.Grant.addToPrincipal({
      grantee: this.function,
      actions: ['s3:ListBucket'],
      resourceArns: [this.bucket.bucketArn],
    });
    this.table.grant(this.function, 'dynamodb:PutItem');
    const bucketId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    Validations.of(role).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${this.keyPrefix}*]`,
      reason: `The function reads objects under ${this.keyPrefix} only, whatever their names: the * matches the rest `
        + 'of a key under the prefix, and the prefix itself holds no wildcard.',
    });

    this.bucket.addEventNotification(
      s3.EventType.OBJECT_CREATED,
      new s3n.LambdaDestination(this.function),
      { prefix: this.keyPrefix },
    );
  }
}

function checkRetryAttempts(retryAttempts: number): void {
  if (!Token.isUnresolved(retryAttempts)
    && !(Number.isInteger(retryAttempts) && retryAttempts >= 0 && retryAttempts <= 2)) {
    throw new Error('retryAttempts must be a whole number from 0 to 2 (Lambda\'s limits for asynchronous invocation), '
      + `got ${retryAttempts}`);
  }
}

function checkSeconds(name: string, duration: Duration, min: number, max: number, range: string): void {
  if (duration.isUnresolved()) return;
  const seconds = duration.toSeconds({ integral: false });
  if (!(Number.isInteger(seconds) && seconds >= min && seconds <= max)) {
    throw new Error(`${name} must be a whole number of seconds from ${min} to ${max} (${range}), `
      + `got ${seconds} seconds`);
  }
}
