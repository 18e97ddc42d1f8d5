import { CfnResourceJson, CfnTemplate, Finding, resourcesOfType } from '../../template/cfn-template';
import { allDependencies, referencedResources } from '../../template/dependencies';

const GATEWAY_ATTACHMENT = 'AWS::EC2::VPCGatewayAttachment';

/** Why a resource holds a public address in the VPC, or undefined when it holds none. */
type PublicAddressCheck = (template: CfnTemplate, resource: CfnResourceJson, logicalId: string) => string | undefined;

/** Resource types that can hold a public address, each with the check that says whether this one does. */
const PUBLIC_ADDRESS_HOLDERS: Record<string, PublicAddressCheck> = {
  'AWS::AutoScaling::AutoScalingGroup': (template, group) => {
    const { VPCZoneIdentifier, LaunchTemplate, MixedInstancesPolicy, LaunchConfigurationName } = group.Properties ?? {};
    return instancesArePublic(template, {
      subnets: VPCZoneIdentifier,
      launchSettings: launchSettingsOf(template, [LaunchTemplate, MixedInstancesPolicy, LaunchConfigurationName]),
    }) ? 'its instances get public IPs' : undefined;
  },
  'AWS::EC2::Instance': (template, instance) => {
    const ownInterfaces = instance.Properties?.NetworkInterfaces;
    const launchTemplates = launchTemplatesOf(template, instance.Properties?.LaunchTemplate);
    return instancesArePublic(template, {
      subnets: [instance.Properties?.SubnetId, ownInterfaces, launchTemplates.map((data) => data?.NetworkInterfaces)],
      launchSettings: ownInterfaces !== undefined
        ? [interfacesAssignPublicIp(ownInterfaces)]
        : launchTemplates.map((data) => interfacesAssignPublicIp(data?.NetworkInterfaces)),
    }) ? 'the instance gets a public IP' : undefined;
  },
  'AWS::ECS::Service': (_template, service) => assignsPublicIp(service.Properties?.NetworkConfiguration)
    ? 'its tasks get public IPs (AssignPublicIp ENABLED)' : undefined,
  'AWS::Events::Rule': (_template, rule) => (rule.Properties?.Targets ?? [])
    .some((target: any) => assignsPublicIp(target?.EcsParameters?.NetworkConfiguration))
    ? 'a target starts ECS tasks with public IPs (AssignPublicIp ENABLED)' : undefined,
  'AWS::Scheduler::Schedule': (_template, schedule) =>
    assignsPublicIp(schedule.Properties?.Target?.EcsParameters?.NetworkConfiguration)
    ? 'its target starts ECS tasks with public IPs (AssignPublicIp ENABLED)' : undefined,
  'AWS::EC2::EIP': (template, _eip, logicalId) => allocatedToNatGateway(template, logicalId)
    ? undefined : 'an Elastic IP',
  'AWS::EC2::NatGateway': (_template, nat) => (nat.Properties?.ConnectivityType ?? 'public') === 'public'
    ? 'a public NAT gateway maps its Elastic IP' : undefined,
  // Gateway Load Balancers have no Scheme and no public address.
  'AWS::ElasticLoadBalancingV2::LoadBalancer': (_template, loadBalancer) =>
    loadBalancer.Properties?.Type !== 'gateway' && isInternetFacing(loadBalancer)
    ? 'an internet-facing load balancer' : undefined,
  'AWS::ElasticLoadBalancing::LoadBalancer': (_template, loadBalancer) => isInternetFacing(loadBalancer)
    ? 'an internet-facing load balancer' : undefined,
  'AWS::ElasticBeanstalk::Environment': (_template, environment) => {
    const option = (namespace: string, name: string) => (environment.Properties?.OptionSettings ?? [])
      .find((setting: any) => setting?.Namespace === namespace && setting?.OptionName === name)?.Value;
    if (String(option('aws:elasticbeanstalk:environment', 'EnvironmentType')) === 'SingleInstance') {
      return 'a single-instance environment gets an Elastic IP';
    }
    if (String(option('aws:ec2:vpc', 'AssociatePublicIpAddress')) === 'true') {
      return 'its instances get public IPs (aws:ec2:vpc AssociatePublicIpAddress)';
    }
    return undefined;
  },
};

/**
 * Resources that hold a public address in a VPC with an internet gateway but do not depend on the gateway's attachment.
 * On delete, CloudFormation may then detach the gateway while the address is still mapped, and the stack ends in
 * DELETE_FAILED with "has some mapped public address(es)" (aws/aws-cdk#26716).
 */
export function publicAddressesBeforeGateway(template: CfnTemplate): Finding[] {
  const attachments = resourcesOfType(template, GATEWAY_ATTACHMENT).map(([logicalId]) => logicalId);
  if (attachments.length === 0) return [];
  return Object.entries(template.Resources ?? {}).flatMap(([logicalId, resource]) => {
    const holds = PUBLIC_ADDRESS_HOLDERS[resource.Type]?.(template, resource, logicalId);
    if (holds === undefined) return [];
    const dependencies = allDependencies(template, logicalId);
    return attachments.some((attachment) => dependencies.has(attachment)) ? [] : [{
      logicalId,
      location: 'DependsOn',
      message: `${resource.Type}: ${holds}, but it does not depend on the internet gateway attachment `
        + `(${attachments.join(', ')}), so delete can detach the gateway first and fail`,
    }];
  });
}

interface InstancePlacement {
  /** Values that refer to the subnets the instances launch in. */
  readonly subnets: unknown;
  /** Each launch template's or configuration's AssociatePublicIpAddress for eth0: true, false or unset. */
  readonly launchSettings: Array<boolean | undefined>;
}

/** An explicit AssociatePublicIpAddress decides; without one, the subnet's MapPublicIpOnLaunch does. */
function instancesArePublic(template: CfnTemplate, placement: InstancePlacement): boolean {
  if (placement.launchSettings.includes(true)) return true;
  if (placement.launchSettings.includes(false)) return false;
  return [...referencedResources(template, placement.subnets)].some((logicalId) => {
    const subnet = template.Resources?.[logicalId];
    return subnet?.Type === 'AWS::EC2::Subnet' && String(subnet.Properties?.MapPublicIpOnLaunch) === 'true';
  });
}

/** The AssociatePublicIpAddress settings of the launch templates and launch configurations a group refers to. */
function launchSettingsOf(template: CfnTemplate, values: unknown[]): Array<boolean | undefined> {
  const configurations = [...referencedResources(template, values)]
    .map((logicalId) => template.Resources?.[logicalId])
    .filter((resource) => resource?.Type === 'AWS::AutoScaling::LaunchConfiguration')
    .map((configuration) => booleanOf(configuration?.Properties?.AssociatePublicIpAddress));
  const templates = launchTemplatesOf(template, values)
    .map((data) => interfacesAssignPublicIp(data?.NetworkInterfaces));
  return [...configurations, ...templates];
}

/** The LaunchTemplateData of the template's launch templates that a value refers to. */
function launchTemplatesOf(template: CfnTemplate, value: unknown): any[] {
  return [...referencedResources(template, value)]
    .map((logicalId) => template.Resources?.[logicalId])
    .filter((resource) => resource?.Type === 'AWS::EC2::LaunchTemplate')
    .map((launchTemplate) => launchTemplate?.Properties?.LaunchTemplateData);
}

/**
 * true when a network interface asks for a public IP, false when the primary one declines it, undefined when none
 * says.
 */
function interfacesAssignPublicIp(interfaces: unknown): boolean | undefined {
  if (!Array.isArray(interfaces) || interfaces.length === 0) return undefined;
  if (interfaces.some((nic) => booleanOf(nic?.AssociatePublicIpAddress) === true)) return true;
  const primary = interfaces.find((nic) => String(nic?.DeviceIndex) === '0') ?? interfaces[0];
  return booleanOf(primary?.AssociatePublicIpAddress);
}

function booleanOf(value: unknown): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  return String(value) === 'true';
}

/** ECS's awsvpc network configuration: AwsvpcConfiguration in services and schedules, AwsVpcConfiguration in rules. */
function assignsPublicIp(networkConfiguration: any): boolean {
  const awsvpc = networkConfiguration?.AwsvpcConfiguration ?? networkConfiguration?.AwsVpcConfiguration;
  return awsvpc?.AssignPublicIp === 'ENABLED';
}

/** A load balancer without a Scheme is internet-facing. */
function isInternetFacing(loadBalancer: CfnResourceJson): boolean {
  return (loadBalancer.Properties?.Scheme ?? 'internet-facing') === 'internet-facing';
}

/**
 * An Elastic IP a NAT gateway of the template allocates is mapped while that gateway lives: the gateway is the
 * holder.
 */
function allocatedToNatGateway(template: CfnTemplate, eipLogicalId: string): boolean {
  return resourcesOfType(template, 'AWS::EC2::NatGateway')
    .some(([, nat]) => referencedResources(template, nat.Properties?.AllocationId).has(eipLogicalId));
}
