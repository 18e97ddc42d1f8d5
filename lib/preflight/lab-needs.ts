import { EACH_MATCHING_EVENT, fargateTaskStarts } from '../cost/task-starts';
import { CfnResourceJson, CfnTemplate, resourcesOfType } from '../template/cfn-template';
import { dependsOn, referencedResources } from '../template/dependencies';

/** A synthesized lab template, with the parts preflight reads beyond the resources. */
export interface PreflightTemplate extends CfnTemplate {
  readonly Parameters?: Record<string, { readonly Type?: string; readonly Default?: unknown }>;
  readonly Rules?: Record<string, { readonly Assertions?: ReadonlyArray<{ readonly Assert?: unknown }> }>;
}

/** A service-linked role a lab's resources need, and whether the template itself creates it. */
export interface ServiceLinkedRoleNeed {
  readonly roleName: string;
  /** The service principal, for `aws iam create-service-linked-role --aws-service-name`. */
  readonly service: string;
  /** The resource types that need it. */
  readonly neededBy: string[];
  /** The logical id of the template's resource that creates it, if the lab creates it itself. */
  readonly createdBy?: string;
  /** The resource types that must wait for the role: those the service creates it for (ECS: the cluster). */
  readonly before: string[];
  /** Whether every resource of the `before` types depends on `createdBy`, so the role exists before them. */
  readonly createdFirst: boolean;
}

/** Instances or tasks a lab runs at its maximum. */
export interface Launch {
  readonly count: number;
  readonly source: string;
}

export interface InstanceLaunch extends Launch {
  readonly instanceType: string;
}

export interface FargateLaunch extends Launch {
  /** vCPUs of one task. */
  readonly vcpu: number;
  /** Started by a rule or a schedule (one start counted), not kept running by a service. */
  readonly started?: boolean;
}

/** What a deploy of the lab needs from the account and region, read from its synthesized template. */
export interface LabNeeds {
  /** Service codes of the public SSM parameters /aws/service/global-infrastructure/regions/<region>/services/<code>. */
  readonly services: string[];
  /** `nodejs24.x on arm64`, one per runtime and architecture of the template's functions. */
  readonly lambdaRuntimes: string[];
  /** Elastic Beanstalk platform branches whose recommended version the lab looks up at deploy time. */
  readonly beanstalkBranches: string[];
  /** The CDK bootstrap version the template requires, and the SSM parameter that holds the deployed one. */
  readonly bootstrap?: { readonly minimum: number; readonly parameter: string };
  readonly serviceLinkedRoles: ServiceLinkedRoleNeed[];
  /** The template sets the account's API Gateway CloudWatch role (AWS::ApiGateway::Account). */
  readonly setsApiGatewayAccount: boolean;
  readonly instances: InstanceLaunch[];
  readonly fargateTasks: FargateLaunch[];
  /** Whether the lab has an Elastic Beanstalk environment. */
  readonly beanstalkEnvironment: boolean;
  /** The VPCs the template creates: one with its own network, none on the class's (classroom mode). */
  readonly vpcs: Launch[];
  /**
   * The Elastic IP addresses a copy of the lab holds: its AWS::EC2::EIP resources (a NAT gateway's among them) and
   * a single-instance Beanstalk environment's. An instance with a public IP of its own holds none.
   */
  readonly elasticIps: Launch[];
  /** The Application Load Balancers a copy creates (ELBv2 of type application; a Beanstalk environment's). */
  readonly loadBalancers: Launch[];
  /** The template's Lambda functions (custom resources' included), and the concurrency each reserves. */
  readonly lambda: { readonly functions: number; readonly reservedConcurrency: Launch[] };
  /** The CloudFormation exports the template imports (Fn::ImportValue), sorted: ClassroomSetup's in classroom mode. */
  readonly imports: string[];
}

/** The service code a resource type needs in the region, by type prefix. */
const SERVICES: ReadonlyArray<[string, string]> = [
  ['AWS::Lambda::', 'lambda'],
  ['AWS::ApiGateway::', 'apigateway'],
  ['AWS::DynamoDB::', 'dynamodb'],
  ['AWS::ECS::', 'ecs'],
  ['AWS::ElasticBeanstalk::', 'elasticbeanstalk'],
  ['AWS::AutoScaling::', 'autoscaling'],
  ['AWS::ElasticLoadBalancingV2::', 'elb'],
  ['AWS::S3::', 's3'],
  ['AWS::SQS::', 'sqs'],
  ['AWS::Events::', 'events'],
  ['AWS::Scheduler::', 'scheduler'],
  ['AWS::SNS::', 'sns'],
];

/** The service-linked roles AWS services create on first use, and which resources need them. */
const SERVICE_LINKED_ROLES: ReadonlyArray<{
  roleName: string; service: string; needs: (resource: CfnResourceJson) => boolean; before?: string[]
}> = [
  {
    roleName: 'AWSServiceRoleForECS',
    service: 'ecs.amazonaws.com',
    needs: (r) => r.Type.startsWith('AWS::ECS::'),
    before: ['AWS::ECS::Cluster'],
  },
  {
    roleName: 'AWSServiceRoleForElasticLoadBalancing',
    service: 'elasticloadbalancing.amazonaws.com',
    needs: (r) => r.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer'
      || (r.Type === 'AWS::ElasticBeanstalk::Environment' && !singleInstance(r)),
  },
  {
    roleName: 'AWSServiceRoleForAutoScaling',
    service: 'autoscaling.amazonaws.com',
    needs: (r) => r.Type === 'AWS::AutoScaling::AutoScalingGroup' || r.Type === 'AWS::ElasticBeanstalk::Environment',
  },
  {
    roleName: 'AWSServiceRoleForApplicationAutoScaling_ECSService',
    service: 'ecs.application-autoscaling.amazonaws.com',
    needs: (r) => r.Type === 'AWS::ApplicationAutoScaling::ScalableTarget' && r.Properties?.ServiceNamespace === 'ecs',
  },
];

/** Reads what a deploy of the lab needs from its synthesized template, so a new lab is covered without code here. */
export function labNeeds(template: PreflightTemplate): LabNeeds {
  const resources = Object.entries(template.Resources ?? {});
  const types = new Set(resources.map(([, resource]) => resource.Type));
  const services = SERVICES.filter(([prefix]) => [...types].some((type) => type.startsWith(prefix)))
    .map(([, code]) => code);
  const fargateTasks = fargateLaunches(template);
  if (fargateTasks.length > 0) services.splice(services.indexOf('ecs') + 1, 0, 'fargate');

  return {
    services,
    lambdaRuntimes: [...new Set(resourcesOfType(template, 'AWS::Lambda::Function').map(([, fn]) => {
      const architecture = (fn.Properties?.Architectures ?? ['x86_64'])[0];
      return `${fn.Properties?.Runtime ?? 'a container image'} on ${architecture}`;
    }))],
    beanstalkBranches: [...new Set(resources.flatMap(([, resource]) => platformBranch(resource) ?? []))],
    bootstrap: bootstrapNeed(template),
    serviceLinkedRoles: serviceLinkedRoles(template),
    setsApiGatewayAccount: types.has('AWS::ApiGateway::Account'),
    instances: instanceLaunches(template),
    fargateTasks,
    beanstalkEnvironment: types.has('AWS::ElasticBeanstalk::Environment'),
    vpcs: resourcesOfType(template, 'AWS::EC2::VPC').map(([id]) => ({ count: 1, source: id })),
    elasticIps: elasticIps(template),
    loadBalancers: applicationLoadBalancers(template),
    lambda: {
      functions: resourcesOfType(template, 'AWS::Lambda::Function').length,
      reservedConcurrency: resourcesOfType(template, 'AWS::Lambda::Function')
        .filter(([, fn]) => Number(fn.Properties?.ReservedConcurrentExecutions) > 0)
        .map(([id, fn]) => ({ count: Number(fn.Properties!.ReservedConcurrentExecutions), source: id })),
    },
    imports: [...new Set(importedNames(template))].sort(),
  };
}

function elasticIps(template: PreflightTemplate): Launch[] {
  return [
    ...resourcesOfType(template, 'AWS::EC2::EIP').map(([id]) => ({ count: 1, source: id })),
    ...resourcesOfType(template, 'AWS::ElasticBeanstalk::Environment')
      .filter(([, environment]) => singleInstance(environment))
      .map(([id]) => ({ count: 1, source: `${id} (single instance)` })),
  ];
}

/**
 * ELBv2 load balancers of type application (the default type), and load-balanced Beanstalk environments whose
 * LoadBalancerType is application; a Classic or Network Load Balancer counts against a quota of its own.
 */
function applicationLoadBalancers(template: PreflightTemplate): Launch[] {
  return [
    ...resourcesOfType(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer')
      .filter(([, balancer]) => (balancer.Properties?.Type ?? 'application') === 'application')
      .map(([id]) => ({ count: 1, source: id })),
    ...resourcesOfType(template, 'AWS::ElasticBeanstalk::Environment')
      .filter(([, environment]) => !singleInstance(environment)
        && option(environment, 'aws:elasticbeanstalk:environment', 'LoadBalancerType') === 'application')
      .map(([id]) => ({ count: 1, source: `${id} (load balanced)` })),
  ];
}

/** The export names of every `Fn::ImportValue` with a literal name, anywhere in the template. */
function importedNames(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(importedNames);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) => (key === 'Fn::ImportValue' && typeof item === 'string'
    ? [item]
    : importedNames(item)));
}

/**
 * The minimum bootstrap version is in the CheckBootstrapVersion rule the CDK writes: it fails the deploy when the
 * BootstrapVersion parameter (read from SSM) is one of a list of older versions. The minimum is one above the list.
 */
function bootstrapNeed(template: PreflightTemplate): LabNeeds['bootstrap'] {
  const parameter = template.Parameters?.BootstrapVersion?.Default;
  const assertion: any = template.Rules?.CheckBootstrapVersion?.Assertions?.[0]?.Assert;
  const tooOld = assertion?.['Fn::Not']?.[0]?.['Fn::Contains']?.[0];
  if (typeof parameter !== 'string' || !Array.isArray(tooOld)) return undefined;
  return { minimum: Math.max(0, ...tooOld.map(Number)) + 1, parameter };
}

/** The branch of a custom resource that looks up a Beanstalk platform's recommended version (BeanstalkPlatform). */
function platformBranch(resource: CfnResourceJson): string | undefined {
  if (!resource.Type.startsWith('Custom::') || typeof resource.Properties?.Create !== 'string') return undefined;
  let call: any;
  try {
    call = JSON.parse(resource.Properties.Create);
  } catch {
    return undefined;
  }
  if (call?.service !== 'ElasticBeanstalk' || call?.action !== 'listPlatformVersions') return undefined;
  return call.parameters?.Filters?.find((filter: any) => filter.Type === 'PlatformBranchName')?.Values?.[0];
}

function serviceLinkedRoles(template: PreflightTemplate): ServiceLinkedRoleNeed[] {
  const resources = Object.entries(template.Resources ?? {});
  return SERVICE_LINKED_ROLES.flatMap(({ roleName, service, needs, before }) => {
    const needing = resources.filter(([, resource]) => needs(resource));
    if (needing.length === 0) return [];
    const createdBy = resources.find(([, resource]) => createsServiceLinkedRole(resource, service))?.[0];
    const neededBy = [...new Set(needing.map(([, resource]) => resource.Type))];
    const first = before ?? neededBy;
    const waiting = needing.filter(([id, resource]) => id !== createdBy && first.includes(resource.Type));
    return [{
      roleName,
      service,
      neededBy,
      createdBy,
      before: first,
      createdFirst: createdBy !== undefined && waiting.every(([id]) => dependsOn(template, id, createdBy)),
    }];
  });
}

/**
 * AWS::IAM::ServiceLinkedRole, or a custom resource that creates the role (its type or call names
 * ServiceLinkedRole).
 */
function createsServiceLinkedRole(resource: CfnResourceJson, service: string): boolean {
  if (resource.Type === 'AWS::IAM::ServiceLinkedRole') return resource.Properties?.AWSServiceName === service;
  if (!resource.Type.startsWith('Custom::') && resource.Type !== 'AWS::CloudFormation::CustomResource') return false;
  const text = JSON.stringify(resource.Properties ?? {});
  return /ServiceLinkedRole/i.test(`${resource.Type}${text}`) && text.includes(service);
}

const option = (environment: CfnResourceJson, namespace: string, name: string) =>
  (environment.Properties?.OptionSettings ?? [])
    .find((o: any) => o.Namespace === namespace && o.OptionName === name)?.Value;
const singleInstance = (environment: CfnResourceJson) =>
  option(environment, 'aws:elasticbeanstalk:environment', 'EnvironmentType') === 'SingleInstance';

/**
 * The instances a lab runs at its maximum: an instance is 1, an Auto Scaling group its MaxSize, a Beanstalk
 * environment 1 or its group's MaxSize.
 */
function instanceLaunches(template: PreflightTemplate): InstanceLaunch[] {
  const launches: InstanceLaunch[] = [];
  const typeName = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  for (const [id, instance] of resourcesOfType(template, 'AWS::EC2::Instance')) {
    const instanceType = typeName(instance.Properties?.InstanceType);
    if (instanceType) launches.push({ instanceType, count: 1, source: id });
  }
  for (const [id, group] of resourcesOfType(template, 'AWS::AutoScaling::AutoScalingGroup')) {
    const props = group.Properties ?? {};
    const launchTemplate = template.Resources?.[props.LaunchTemplate?.LaunchTemplateId?.Ref
      ?? props.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification?.LaunchTemplateId?.Ref];
    const configuration = template.Resources?.[props.LaunchConfigurationName?.Ref];
    const instanceType = typeName(launchTemplate?.Properties?.LaunchTemplateData?.InstanceType
      ?? configuration?.Properties?.InstanceType);
    if (instanceType) launches.push({ instanceType, count: Number(props.MaxSize), source: `${id} (MaxSize)` });
  }
  for (const [id, environment] of resourcesOfType(template, 'AWS::ElasticBeanstalk::Environment')) {
    const instanceType = typeName(option(environment, 'aws:autoscaling:launchconfiguration', 'InstanceType')
      ?? String(option(environment, 'aws:ec2:instances', 'InstanceTypes') ?? '').split(',')[0]);
    const count = singleInstance(environment) ? 1 : Number(option(environment, 'aws:autoscaling:asg', 'MaxSize') ?? 4);
    if (instanceType) launches.push({
      instanceType, count, source: `${id} (${singleInstance(environment) ? 'single instance' : 'MaxSize'})`,
    });
  }
  return launches;
}

/**
 * The Fargate tasks a lab runs at its maximum: a service's scalable target's MaxCapacity, else its DesiredCount; and
 * the tasks that each rule target and schedule starts at a time (its TaskCount), counted once per starter: a rule
 * and a schedule can each have theirs running at once. More events arriving together start more tasks than that,
 * which no template can say; the quota check then counts at least one start of each.
 */
function fargateLaunches(template: PreflightTemplate): FargateLaunch[] {
  const targets = resourcesOfType(template, 'AWS::ApplicationAutoScaling::ScalableTarget')
    .filter(([, target]) => target.Properties?.ServiceNamespace === 'ecs');
  const services = resourcesOfType(template, 'AWS::ECS::Service').flatMap(([id, service]) => {
    const props = service.Properties ?? {};
    const fargate = props.LaunchType === 'FARGATE'
      || (props.CapacityProviderStrategy ?? []).some((s: any) => String(s.CapacityProvider).startsWith('FARGATE'));
    if (!fargate) return [];
    const task = template.Resources?.[props.TaskDefinition?.Ref]?.Properties ?? {};
    const target = targets.find(([, t]) => referencedResources(template, t.Properties?.ResourceId).has(id));
    const count = target ? Number(target[1].Properties?.MaxCapacity) : Number(props.DesiredCount ?? 1);
    return [{
      vcpu: Number(task.Cpu) / 1024,
      count,
      source: target ? `${id} (${target[0]} MaxCapacity)` : `${id} (DesiredCount)`,
    }];
  });
  const started = fargateTaskStarts(template).map((start) => ({
    vcpu: start.vcpu,
    count: start.taskCount,
    started: true,
    source: `${start.starter} (${start.when === EACH_MATCHING_EVENT ? 'per event' : start.when})`,
  }));
  return [...services, ...started];
}
