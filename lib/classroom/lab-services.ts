/**
 * The AWS services the labs' CloudFormation stacks (and ClassroomSetup, and a time-to-live) create resources in,
 * for a narrower CloudFormation execution policy than the AdministratorAccess `cdk bootstrap` gives by default:
 * `cdk bootstrap --cloudformation-execution-policies <policy ARN>`, with a customer managed policy that allows
 * `labExecutionActions()` on `*`. Plain data, no AWS or CDK code; test/classroom/lab-services.test.ts derives the
 * list from every resource type of every synthesized template and fails when a service is missing or unused.
 *
 * It keeps CloudFormation to these services, no more: with `iam:*` a template can still create a role with any
 * policy, so a student who writes templates can reach further than the labs. It narrows what a mistake can touch,
 * not what a determined student can do.
 */

/** Why each service's actions are needed, by IAM service prefix. */
export const LAB_SERVICE_REASONS: Readonly<Record<string, string>> = {
  'apigateway': 'AWS::ApiGateway::* (the users lab\'s REST API; ClassroomSetup\'s account setting)',
  'application-autoscaling': 'AWS::ApplicationAutoScaling::* (the SQS workers\' scaling)',
  'autoscaling': 'AWS::AutoScaling::* (the fleet), and the group of an Elastic Beanstalk environment',
  'cloudformation': 'Elastic Beanstalk deploys its environment as a CloudFormation stack of its own',
  'cloudwatch': 'AWS::CloudWatch::Alarm (the SQS workers), and an Elastic Beanstalk environment\'s alarms',
  'dynamodb': 'AWS::DynamoDB::Table',
  'ec2': 'AWS::EC2::* (networks, instances, security groups), and what an Elastic Beanstalk environment launches',
  'ecs': 'AWS::ECS::* (clusters, services, task definitions)',
  'elasticbeanstalk': 'AWS::ElasticBeanstalk::*',
  'elasticloadbalancing': 'AWS::ElasticLoadBalancingV2::*, and an Elastic Beanstalk environment\'s load balancer',
  'events': 'AWS::Events::Rule',
  'iam': 'AWS::IAM::* (the resources\' roles), iam:PassRole to every service that takes a role, and '
    + 'iam:CreateServiceLinkedRole for services on their first use',
  'lambda': 'AWS::Lambda::*, and the functions behind every custom resource (Custom::*), which CloudFormation invokes',
  'logs': 'AWS::Logs::LogGroup, and an Elastic Beanstalk environment\'s logs',
  's3': 'AWS::S3::*, the assets (Lambda code, Beanstalk bundles) CloudFormation reads from the bootstrap bucket, '
    + 'and Elastic Beanstalk\'s own bucket',
  'scheduler': 'AWS::Scheduler::* (EcsEventTasksLab\'s sweep; a time-to-live\'s deletion)',
  'sns': 'AWS::SNS::*',
  'sqs': 'AWS::SQS::*',
  'ssm': 'template parameters of type AWS::SSM::Parameter::Value (the bootstrap version, the latest AMI)',
};

/** The IAM service prefixes the labs' stacks use, sorted. */
export const LAB_SERVICES: readonly string[] = Object.keys(LAB_SERVICE_REASONS).sort();

/** Services of which CloudFormation needs less than everything: reading parameters is all SSM is used for. */
const NARROWER: Readonly<Record<string, readonly string[]>> = {
  ssm: ['ssm:GetParameters'],
};

/** The actions of the execution policy, `<prefix>:*` for each service (less where NARROWER says), sorted. */
export function labExecutionActions(): string[] {
  return LAB_SERVICES.flatMap((prefix) => NARROWER[prefix] ?? [`${prefix}:*`]).sort();
}
