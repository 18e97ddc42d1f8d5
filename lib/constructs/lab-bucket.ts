import { Aspects, CfnResource, Duration, IAspect, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { LabLogGroup } from './lab-log-group';

export interface LabBucketProps {
  /**
   * Keep every version of an object, so that each upload of a key is an object of its own (with its own
   * `versionId`). Old versions expire one day after a newer one replaces them.
   *
   * @default false
   */
  readonly versioned?: boolean;

  /**
   * Send the bucket's events (Object Created, ...) to EventBridge's default bus, where rules pick them up.
   *
   * @default false
   */
  readonly eventBridgeEnabled?: boolean;
}

/**
 * A bucket of test uploads: private, TLS only, encrypted, emptied and deleted with the stack, and nothing in it
 * kept longer than a week.
 */
export class LabBucket extends s3.Bucket {
  constructor(scope: Construct, id: string, props: LabBucketProps = {}) {
    const handlers = BucketHandlers.of(scope);
    super(scope, id, {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      versioned: props.versioned,
      // Test uploads only: nothing a student forgets here is billed for more than a week, nor the parts of an
      // interrupted multipart upload (`aws s3 cp` of a large file), which the expiry does not remove.
      lifecycleRules: [{
        expiration: Duration.days(7),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
        noncurrentVersionExpiration: props.versioned ? Duration.days(1) : undefined,
      }],
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
      eventBridgeEnabled: props.eventBridgeEnabled,
      notificationsHandlerRole: handlers.notificationsRole.withoutPolicyUpdates(),
    });
    handlers.allowNotificationsOf(this);
    Validations.of(this).acknowledge({
      id: 'AwsSolutions::AwsSolutions-S1',
      reason: 'Server access logs would go to a second bucket, hours late and best effort: a log delivered between '
        + 'emptying and deleting that bucket fails the stack\'s deletion. The bucket holds test uploads that expire '
        + 'after 7 days, and the lab logs every object it processes.',
    });
  }
}

/**
 * What CDK's two S3 custom-resource handlers share in a stack (one each per stack, whatever the number of buckets):
 * the one that empties buckets on delete (autoDeleteObjects) and the one that writes their event notifications.
 * A log group of the stack instead of implicit `/aws/lambda/...` groups that outlive it; and for the notifications
 * handler a role that may write that group and configure the stack's buckets, nothing else. CDK adds
 * AWSLambdaBasicExecutionRole (every log group of the account) to any role it may change, so it gets this one
 * as immutable, and the bucket permission is granted here.
 */
class BucketHandlers extends Construct {
  public static of(scope: Construct): BucketHandlers {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(BUCKET_HANDLERS_ID);
    return existing instanceof BucketHandlers ? existing : new BucketHandlers(stack, BUCKET_HANDLERS_ID);
  }

  public readonly logGroup: logs.LogGroup;
  public readonly notificationsRole: iam.Role;

  private constructor(scope: Stack, id: string) {
    super(scope, id);
    this.logGroup = new LabLogGroup(this, 'Logs').logGroup;
    this.notificationsRole = new iam.Role(this, 'NotificationsRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'CDK\'s BucketNotificationsHandler: configure the event notifications of the stack\'s buckets, '
        + 'write its log group',
    });
    this.logGroup.grantWrite(this.notificationsRole);
    // CDK creates the handlers when a bucket needs them, some only when a notification is added after the bucket:
    // an aspect finds them once the stack is complete.
    Aspects.of(scope).add(new LogToGroup(scope, this.logGroup));
  }

  public allowNotificationsOf(bucket: s3.IBucket): void {
    this.notificationsRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:PutBucketNotification'],
      resources: [bucket.bucketArn],
    }));
  }
}

const BUCKET_HANDLERS_ID = 'S3Handlers';

/** Points the stack's S3 custom-resource handlers at a log group of the stack. */
class LogToGroup implements IAspect {
  constructor(private readonly stack: Stack, private readonly logGroup: logs.ILogGroup) {}

  public visit(node: IConstruct): void {
    if (node !== this.stack) return;
    const autoDelete = this.stack.node.tryFindChild('Custom::S3AutoDeleteObjectsCustomResourceProvider')
      ?.node.tryFindChild('Handler');
    const notifications = this.stack.node.tryFindChild('BucketNotificationsHandler050a0587b7544547bf325f094a3db834')
      ?.node.tryFindChild('Resource');
    // The lab guardrails report any function of the stack left without a log group of its own.
    for (const handler of [autoDelete, notifications]) {
      if (handler instanceof CfnResource) {
        handler.addPropertyOverride('LoggingConfig.LogGroup', this.logGroup.logGroupName);
      }
    }
  }
}
