import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { S3Client } from '@aws-sdk/client-s3';
import { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';

/** What the commands pass to every AWS SDK client: nothing (the standard chain) or, in tests, a fixed region and keys. */
export interface ClientConfig {
  readonly region?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** The AWS API clients that verify, leftovers and preflight use, all on the same credentials and region. */
export interface AwsClients {
  readonly cloudFormation: CloudFormationClient;
  readonly lambda: LambdaClient;
  readonly ec2: EC2Client;
  readonly ecs: ECSClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly autoScaling: AutoScalingClient;
  readonly elasticBeanstalk: ElasticBeanstalkClient;
  readonly tagging: ResourceGroupsTaggingAPIClient;
  readonly logs: CloudWatchLogsClient;
  readonly s3: S3Client;
  readonly sts: STSClient;
  /** IAM is global: the same answer in every region. */
  readonly iam: IAMClient;
  readonly ssm: SSMClient;
  readonly serviceQuotas: ServiceQuotasClient;
}

/**
 * Clients on the standard AWS credential and region chain (AWS_PROFILE, AWS_REGION, SSO, ...) unless `config` sets
 * them. Creating a client makes no call, so a command pays only for the clients it uses.
 */
export function awsClients(config: ClientConfig = {}): AwsClients {
  return {
    cloudFormation: new CloudFormationClient(config),
    lambda: new LambdaClient(config),
    ec2: new EC2Client(config),
    ecs: new ECSClient(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    autoScaling: new AutoScalingClient(config),
    elasticBeanstalk: new ElasticBeanstalkClient(config),
    tagging: new ResourceGroupsTaggingAPIClient(config),
    logs: new CloudWatchLogsClient(config),
    s3: new S3Client(config),
    sts: new STSClient(config),
    iam: new IAMClient(config),
    ssm: new SSMClient(config),
    serviceQuotas: new ServiceQuotasClient(config),
  };
}
