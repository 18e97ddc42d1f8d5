import { PreflightTemplate } from '../../lib/preflight/lab-needs';

// Small lab templates for the preflight tests, with the parts the CDK writes that preflight reads.

/** The bootstrap parameter and rule the CDK writes into every template: versions 1 to `tooOld` are refused. */
export function bootstrapParts(tooOld = 5): Pick<PreflightTemplate, 'Parameters' | 'Rules'> {
  return {
    Parameters: {
      BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/hnb659fds/version' },
    },
    Rules: {
      CheckBootstrapVersion: {
        Assertions: [{
          Assert: {
            'Fn::Not': [{
              'Fn::Contains': [Array.from({ length: tooOld }, (_, i) => String(i + 1)), { Ref: 'BootstrapVersion' }],
            }],
          },
        }],
      },
    },
  };
}

/** An Auto Scaling group of 2 to `maxSize` t3.micro behind an Application Load Balancer. */
export function fleetTemplate(maxSize = 4): PreflightTemplate {
  return {
    ...bootstrapParts(),
    Resources: {
      Template: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { InstanceType: 't3.micro' } } },
      Group: {
        Type: 'AWS::AutoScaling::AutoScalingGroup',
        Properties: {
          MinSize: '2',
          MaxSize: String(maxSize),
          LaunchTemplate: { LaunchTemplateId: { Ref: 'Template' } },
        },
      },
      Balancer: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Type: 'application' } },
    },
  };
}

/**
 * A Fargate service of 2 tasks of 0.5 vCPU, scaling to `maxCapacity` when given; `createsRole` adds the ECS
 * service-linked role before the cluster.
 */
export function fargateTemplate(
  { maxCapacity, createsRole = 'no' }: { maxCapacity?: number; createsRole?: 'no' | 'first' | 'late' } = {},
): PreflightTemplate {
  return {
    ...bootstrapParts(),
    Resources: {
      ...(createsRole !== 'no'
        ? { EcsRole: { Type: 'AWS::IAM::ServiceLinkedRole', Properties: { AWSServiceName: 'ecs.amazonaws.com' } } }
        : {}),
      Cluster: { Type: 'AWS::ECS::Cluster', ...(createsRole === 'first' ? { DependsOn: ['EcsRole'] } : {}) },
      Task: {
        Type: 'AWS::ECS::TaskDefinition',
        Properties: { Cpu: '512', Memory: '1024', RequiresCompatibilities: ['FARGATE'] },
      },
      Service: {
        Type: 'AWS::ECS::Service',
        Properties: {
          Cluster: { Ref: 'Cluster' },
          LaunchType: 'FARGATE',
          DesiredCount: 2,
          TaskDefinition: { Ref: 'Task' },
        },
      },
      ...(maxCapacity !== undefined ? {
        Target: {
          Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
          Properties: {
            ServiceNamespace: 'ecs',
            MinCapacity: 2,
            MaxCapacity: maxCapacity,
            ResourceId: {
              'Fn::Join': ['', ['service/', { Ref: 'Cluster' }, '/', { 'Fn::GetAtt': ['Service', 'Name'] }]],
            },
          },
        },
      } : {}),
    },
  };
}

/**
 * A Fargate task definition of 0.5 vCPU and no service: an EventBridge rule (`rule`) starts `taskCount` tasks per
 * event, a Scheduler schedule (`schedule`) one a day; `launchType` EC2 puts both on EC2 instead.
 */
export function taskStartsTemplate(
  { rule = false, schedule = false, taskCount, launchType = 'FARGATE' }:
    { rule?: boolean; schedule?: boolean; taskCount?: number; launchType?: 'FARGATE' | 'EC2' } = {},
): PreflightTemplate {
  const ecs = { LaunchType: launchType, TaskDefinitionArn: { Ref: 'Task' } };
  return {
    ...bootstrapParts(),
    Resources: {
      Cluster: { Type: 'AWS::ECS::Cluster' },
      Task: {
        Type: 'AWS::ECS::TaskDefinition',
        Properties: { Cpu: '512', Memory: '1024', RequiresCompatibilities: ['FARGATE'] },
      },
      ...(rule ? {
        Rule: {
          Type: 'AWS::Events::Rule',
          Properties: {
            EventPattern: { source: ['aws.s3'] },
            Targets: [{
              Id: 'Target0',
              Arn: { 'Fn::GetAtt': ['Cluster', 'Arn'] },
              EcsParameters: { ...ecs, ...(taskCount === undefined ? {} : { TaskCount: taskCount }) },
            }],
          },
        },
      } : {}),
      ...(schedule ? {
        Schedule: {
          Type: 'AWS::Scheduler::Schedule',
          Properties: {
            ScheduleExpression: 'rate(1 day)',
            FlexibleTimeWindow: { Mode: 'OFF' },
            Target: { Arn: { 'Fn::GetAtt': ['Cluster', 'Arn'] }, RoleArn: 'role-arn', EcsParameters: ecs },
          },
        },
      } : {}),
    },
  };
}

/**
 * A single-instance Beanstalk environment on the recommended version of a platform branch, looked up at deploy
 * time.
 */
export function beanstalkTemplate(branch = 'Node.js 22 running on 64bit Amazon Linux 2023'): PreflightTemplate {
  const lookup = JSON.stringify({
    service: 'ElasticBeanstalk',
    action: 'listPlatformVersions',
    parameters: {
      Filters: [
        { Type: 'PlatformBranchName', Operator: '=', Values: [branch] },
        { Type: 'PlatformLifecycleState', Operator: '=', Values: ['recommended'] },
      ],
    },
  });
  return {
    ...bootstrapParts(),
    Resources: {
      Platform: { Type: 'Custom::BeanstalkRecommendedPlatform', Properties: { Create: lookup, Update: lookup } },
      Environment: {
        Type: 'AWS::ElasticBeanstalk::Environment',
        Properties: {
          PlatformArn: { 'Fn::GetAtt': ['Platform', 'PlatformSummaryList.0.PlatformArn'] },
          OptionSettings: [
            { Namespace: 'aws:elasticbeanstalk:environment', OptionName: 'EnvironmentType', Value: 'SingleInstance' },
            { Namespace: 'aws:ec2:instances', OptionName: 'InstanceTypes', Value: 't3.micro' },
          ],
        },
      },
    },
  };
}

/** A function on nodejs24.x and arm64 behind a REST API, with the account's API Gateway CloudWatch role. */
export function usersApiTemplate(): PreflightTemplate {
  return {
    ...bootstrapParts(),
    Resources: {
      Function: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs24.x', Architectures: ['arm64'] } },
      Api: { Type: 'AWS::ApiGateway::RestApi', Properties: {} },
      Account: { Type: 'AWS::ApiGateway::Account', Properties: {} },
      Table: { Type: 'AWS::DynamoDB::Table', Properties: { BillingMode: 'PAY_PER_REQUEST' } },
    },
  };
}
