import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { ClientConfig } from '../aws/client-config';
import type { StackOutputs } from '../aws/stack-outputs';
import type { Check } from './checklist';

/** The AWS API clients the checks use, all on the same credentials and region. */
export interface AwsClients {
  readonly cloudFormation: CloudFormationClient;
  readonly lambda: LambdaClient;
  readonly ec2: EC2Client;
  readonly ecs: ECSClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly autoScaling: AutoScalingClient;
  readonly elasticBeanstalk: ElasticBeanstalkClient;
}

/** Clients on the standard AWS credential and region chain (AWS_PROFILE, AWS_REGION, SSO, ...) unless `config` sets them. */
export function awsClients(config: ClientConfig = {}): AwsClients {
  return {
    cloudFormation: new CloudFormationClient(config),
    lambda: new LambdaClient(config),
    ec2: new EC2Client(config),
    ecs: new ECSClient(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    autoScaling: new AutoScalingClient(config),
    elasticBeanstalk: new ElasticBeanstalkClient(config),
  };
}

export interface VerifyContext {
  readonly stackName: string;
  readonly outputs: StackOutputs;
  readonly aws: AwsClients;
}

export interface LabChecks {
  readonly checks: Check[];
  /** Removes what the checks created; runs after them whether they passed or not. Resolves with what it did. */
  readonly cleanUp?: () => Promise<string | undefined>;
}

/** How to check one deployed lab: the chapter's "test it" steps. */
export interface LabVerifier {
  /** The stack outputs the checks read. */
  readonly outputs: readonly string[];
  checks(context: VerifyContext): LabChecks;
}
