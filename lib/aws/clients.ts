import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { STSClient } from '@aws-sdk/client-sts';

/**
 * What the commands pass to every AWS SDK client: nothing (the standard chain) or, in tests, a fixed region and
 * keys.
 */
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
  readonly dynamodb: DynamoDBClient;
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly sts: STSClient;
  /** IAM is global: the same answer in every region. */
  readonly iam: IAMClient;
  readonly ssm: SSMClient;
  readonly serviceQuotas: ServiceQuotasClient;
}

/** Each client's class, loaded on first use: one package of the AWS SDK takes a tenth of a second or more to load. */
const CLIENT_CLASSES: { readonly [K in keyof AwsClients]: () => new (config: ClientConfig) => AwsClients[K] } = {
  cloudFormation: () => (
    require('@aws-sdk/client-cloudformation') as typeof import('@aws-sdk/client-cloudformation')
  ).CloudFormationClient,
  lambda: () => (require('@aws-sdk/client-lambda') as typeof import('@aws-sdk/client-lambda')).LambdaClient,
  ec2: () => (require('@aws-sdk/client-ec2') as typeof import('@aws-sdk/client-ec2')).EC2Client,
  ecs: () => (require('@aws-sdk/client-ecs') as typeof import('@aws-sdk/client-ecs')).ECSClient,
  elbv2: () => (
    require('@aws-sdk/client-elastic-load-balancing-v2') as typeof import('@aws-sdk/client-elastic-load-balancing-v2')
  ).ElasticLoadBalancingV2Client,
  autoScaling: () => (
    require('@aws-sdk/client-auto-scaling') as typeof import('@aws-sdk/client-auto-scaling')
  ).AutoScalingClient,
  elasticBeanstalk: () => (
    require('@aws-sdk/client-elastic-beanstalk') as typeof import('@aws-sdk/client-elastic-beanstalk')
  ).ElasticBeanstalkClient,
  tagging: () => (
    require('@aws-sdk/client-resource-groups-tagging-api') as
      typeof import('@aws-sdk/client-resource-groups-tagging-api')
  ).ResourceGroupsTaggingAPIClient,
  logs: () => (
    require('@aws-sdk/client-cloudwatch-logs') as typeof import('@aws-sdk/client-cloudwatch-logs')
  ).CloudWatchLogsClient,
  dynamodb: () => (require('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb')).DynamoDBClient,
  s3: () => (require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3')).S3Client,
  sqs: () => (require('@aws-sdk/client-sqs') as typeof import('@aws-sdk/client-sqs')).SQSClient,
  sts: () => (require('@aws-sdk/client-sts') as typeof import('@aws-sdk/client-sts')).STSClient,
  iam: () => (require('@aws-sdk/client-iam') as typeof import('@aws-sdk/client-iam')).IAMClient,
  ssm: () => (require('@aws-sdk/client-ssm') as typeof import('@aws-sdk/client-ssm')).SSMClient,
  serviceQuotas: () => (
    require('@aws-sdk/client-service-quotas') as typeof import('@aws-sdk/client-service-quotas')
  ).ServiceQuotasClient,
};

/**
 * Clients on the standard AWS credential and region chain (AWS_PROFILE, AWS_REGION, SSO, ...) unless `config` sets
 * them. Each is created, and its package loaded, when first used, so a command pays only for the clients it uses.
 */
export function awsClients(config: ClientConfig = {}): AwsClients {
  const created: { -readonly [K in keyof AwsClients]?: AwsClients[K] } = {};
  const clients = {} as AwsClients;
  for (const name of Object.keys(CLIENT_CLASSES) as (keyof AwsClients)[]) {
    Object.defineProperty(clients, name, {
      enumerable: true,
      get: () => (created[name] ??= new (CLIENT_CLASSES[name]())(config) as never),
    });
  }
  return clients;
}

/**
 * `clients` with some replaced (local endpoints for `--local`), the others still created on first use: a spread
 * (`{ ...clients, s3 }`) would read, and so create, every one of them.
 */
export function withClients(clients: AwsClients, replacements: Partial<AwsClients>): AwsClients {
  return Object.defineProperties({} as AwsClients, {
    ...Object.getOwnPropertyDescriptors(clients),
    ...Object.getOwnPropertyDescriptors(replacements),
  });
}
