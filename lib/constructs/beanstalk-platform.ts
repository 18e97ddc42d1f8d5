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

  /**
   * Any short token (such as today's date). CloudFormation runs the lookup only when its definition changes: on the
   * first deploy, and again on a deploy with a token it has not seen. Without one, every deploy keeps the first answer.
   *
   * @default - none: looked up on the first deploy, then kept
   */
  readonly lookupToken?: string;
}

/** What a lookup token may be: short, and safe in a template and on a command line. */
const LOOKUP_TOKEN = /^[A-Za-z0-9._-]{1,32}$/;

/** Throws unless `value` is a lookup token; `name` is what the caller calls it. */
export function checkLookupToken(value: string, name: string): void {
  if (!LOOKUP_TOKEN.test(value)) {
    throw new Error(`${name} must be 1-32 letters, digits, ".", "_" or "-" (such as a date, $(date +%F)), `
      + `got ${JSON.stringify(value)}`);
  }
}

/**
 * The recommended platform version of an Elastic Beanstalk platform branch, looked up when the stack is first
 * deployed and kept on later deploys (CloudFormation reruns a custom resource only when its definition changes); a new
 * `lookupToken` looks it up again. Solution stack names and platform ARNs are retired within weeks; a template that
 * names one stops deploying.
 */
export class BeanstalkPlatform extends Construct {
  /** The platform version's ARN, resolved at deploy time (the first, or the last with a new lookupToken). */
  public readonly platformArn: string;

  constructor(scope: Construct, id: string, props: BeanstalkPlatformProps = {}) {
    super(scope, id);

    const branchName = props.branchName ?? 'Node.js 22 running on 64bit Amazon Linux 2023';
    if (!/^[\w .()-]{1,100}$/.test(branchName)) {
      throw new Error('branchName must be an Elastic Beanstalk platform branch name such as '
        + '"Node.js 22 running on 64bit Amazon Linux 2023" (1-100 letters, digits, spaces, ".", "_", "-", "(" or ")"), '
        + `got ${JSON.stringify(branchName)}`);
    }
    if (props.lookupToken !== undefined) checkLookupToken(props.lookupToken, 'lookupToken');

    const lookup: cr.AwsSdkCall = {
      service: 'ElasticBeanstalk',
      action: 'listPlatformVersions',
      parameters: {
        Filters: recommendedVersionFilters(branchName),
      },
      // The token is part of the lookup's definition, so a new one makes CloudFormation run it again. It goes in the
      // resource's id, not in the API call's parameters: ListPlatformVersions has no such parameter.
      physicalResourceId: cr.PhysicalResourceId.of(props.lookupToken === undefined
        ? branchName
        : `${branchName} (lookup ${props.lookupToken})`),
      outputPaths: ['PlatformSummaryList.0.PlatformArn'],
    };
    // Our own role rather than the default, which carries AWSLambdaBasicExecutionRole (logs in any group of the
    // account).
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
      reason: 'elasticbeanstalk:ListPlatformVersions supports no resource-level permissions; '
        + 'it is the only action allowed.',
    });
    this.platformArn = resource.getResponseField('PlatformSummaryList.0.PlatformArn');
  }
}

/** ListPlatformVersions filters for a branch's recommended, ready version: the deploy-time lookup, and preflight's. */
export function recommendedVersionFilters(branchName: string) {
  return [
    { Type: 'PlatformBranchName', Operator: '=', Values: [branchName] },
    { Type: 'PlatformLifecycleState', Operator: '=', Values: ['recommended'] },
    { Type: 'PlatformStatus', Operator: '=', Values: ['Ready'] },
  ];
}
