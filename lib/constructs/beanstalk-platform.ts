import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { LabLogGroup } from './lab-log-group';

export interface BeanstalkPlatformProps {
  /**
   * The platform branch whose recommended version to use.
   *
   * @default 'Node.js 22 running on 64bit Amazon Linux 2023'
   */
  readonly branchName?: string;
}

/**
 * The current recommended platform version of an Elastic Beanstalk platform branch, looked up when the stack is
 * deployed. Solution stack names and platform ARNs are retired within weeks; a template that names one stops deploying.
 */
export class BeanstalkPlatform extends Construct {
  /** The platform version's ARN, resolved at deploy time. */
  public readonly platformArn: string;

  constructor(scope: Construct, id: string, props: BeanstalkPlatformProps = {}) {
    super(scope, id);

    const branchName = props.branchName ?? 'Node.js 22 running on 64bit Amazon Linux 2023';
    if (!/^[\w .()-]{1,100}$/.test(branchName)) {
      throw new Error(`branchName must be an Elastic Beanstalk platform branch name such as "Node.js 22 running on 64bit Amazon Linux 2023", got ${JSON.stringify(branchName)}`);
    }

    const lookup: cr.AwsSdkCall = {
      service: 'ElasticBeanstalk',
      action: 'listPlatformVersions',
      parameters: {
        Filters: [
          { Type: 'PlatformBranchName', Operator: '=', Values: [branchName] },
          { Type: 'PlatformLifecycleState', Operator: '=', Values: ['recommended'] },
          { Type: 'PlatformStatus', Operator: '=', Values: ['Ready'] },
        ],
      },
      physicalResourceId: cr.PhysicalResourceId.of(branchName),
      outputPaths: ['PlatformSummaryList.0.PlatformArn'],
    };
    // Our own role rather than the default, which carries AWSLambdaBasicExecutionRole (logs in any group of the account).
    const logGroup = new LabLogGroup(this, 'Logs').logGroup;
    const role = new iam.Role(this, 'LookupRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Looks up the recommended Beanstalk platform version at deploy time',
    });
    logGroup.grantWrite(role);
    const resource = new cr.AwsCustomResource(this, 'Resource', {
      resourceType: 'Custom::BeanstalkRecommendedPlatform',
      onCreate: lookup,
      onUpdate: lookup,
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
      // The SDK in the Lambda runtime: nothing downloads at deploy time.
      installLatestAwsSdk: false,
      logGroup,
      role,
    });
    Validations.of(resource).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason: 'elasticbeanstalk:ListPlatformVersions supports no resource-level permissions; it is the only action allowed.',
    });
    this.platformArn = resource.getResponseField('PlatformSummaryList.0.PlatformArn');
  }
}
