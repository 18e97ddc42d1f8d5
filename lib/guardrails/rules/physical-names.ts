import { CfnTemplate, Finding } from '../../template/cfn-template';

/** Name properties that, when fixed, stop two copies of a lab from deploying side by side (and block replacement). */
const NAME_PROPERTIES: Record<string, string> = {
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::InstanceProfile': 'InstanceProfileName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::ECS::Cluster': 'ClusterName',
  'AWS::ECS::Service': 'ServiceName',
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'Name',
  'AWS::ElasticLoadBalancingV2::TargetGroup': 'Name',
  'AWS::AutoScaling::AutoScalingGroup': 'AutoScalingGroupName',
  'AWS::ElasticBeanstalk::Application': 'ApplicationName',
  'AWS::ElasticBeanstalk::Environment': 'EnvironmentName',
};

/** Resources given a literal physical name. Names built from the stack name (tokens) are unique per stack and pass. */
export function physicalNames(template: CfnTemplate): Finding[] {
  return Object.entries(template.Resources ?? {}).flatMap(([logicalId, resource]) => {
    const property = NAME_PROPERTIES[resource.Type];
    const value = property && resource.Properties?.[property];
    return typeof value === 'string'
      ? [{ logicalId, location: `Properties.${property}`, message: `${resource.Type} is named "${value}"` }]
      : [];
  });
}
