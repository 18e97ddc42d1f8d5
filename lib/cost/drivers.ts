import { CfnResourceJson, CfnTemplate, resourcesOfType } from '../template/cfn-template';
import { referencedResources } from '../template/dependencies';
import { FargateTask, fargateTask, fargateTaskStarts } from './task-starts';
import { importsClassroomPublicSubnet } from '../classroom/classroom-exports';

/** Something in a template that costs money while the lab sits idle, counted. */
export interface CostDriver {
  /** Key into the HOURLY price table, e.g. `ec2:t3.micro`. */
  readonly price: string;
  readonly quantity: number;
  /** Which resource(s) it comes from. */
  readonly source: string;
}

/**
 * Fargate tasks that something starts (an EventBridge rule, a Scheduler schedule), priced per run: one run of one
 * task definition with one network setting, however many rules and schedules start it.
 */
export interface TaskRun extends FargateTask {
  /** Tasks started each time. */
  readonly taskCount: number;
  /** What starts it (a rule's or schedule's logical id), and when: `each matching event`, `rate(1 hour)`. */
  readonly startedBy: Array<{ readonly starter: string; readonly when: string }>;
}

/**
 * A Fargate service whose scaler may run more tasks than the idle cost counts: those are priced per task-hour, on top,
 * for as long as they run.
 */
export interface ScaledService extends FargateTask {
  /** The service's logical id. */
  readonly service: string;
  /** The scaler's MinCapacity and MaxCapacity. */
  readonly minimum: number;
  readonly maximum: number;
  /** The tasks the idle cost counts: the service's DesiredCount, else the scaler's minimum. */
  readonly idleTasks: number;
}

/** What a template would cost: idle drivers, and the pay-per-use prices that apply on top. */
export interface CostDrivers {
  readonly idle: CostDriver[];
  readonly perUse: string[];
  /** The task runs that rules and schedules start; absent when nothing starts a task. */
  readonly taskRuns?: TaskRun[];
  /** The Fargate services that may scale above what the idle cost counts; absent when none may. */
  readonly scaledServices?: ScaledService[];
}

/** Counts the cost drivers of one synthesized lab template. */
export function costDrivers(template: CfnTemplate): CostDrivers {
  const idle: CostDriver[] = [];
  const perUse = new Set<string>();
  const scaledServices: ScaledService[] = [];
  const resource = (value: any): CfnResourceJson | undefined => (typeof value?.Ref === 'string'
    ? template.Resources?.[value.Ref]
    : undefined);
  // The class's subnets (classroom mode) are imported, and public: ClassroomSetup's LabVpc maps public IPs on launch.
  const publicSubnet = (subnet: any) => resource(subnet)?.Properties?.MapPublicIpOnLaunch === true
    || importsClassroomPublicSubnet(subnet);
  const add = (price: string, quantity: number, source: string) => {
    if (quantity > 0) idle.push({ price, quantity, source });
  };
  const addVolumes = (mappings: any[] | undefined, count: number, source: string) => {
    for (const mapping of mappings ?? []) {
      if (mapping.Ebs?.VolumeSize) {
        add(`ebs:${mapping.Ebs.VolumeType ?? 'gp2'} per GB`, mapping.Ebs.VolumeSize * count,
          `${source} ${mapping.DeviceName}`);
      }
    }
    if (!mappings?.length) add('ebs:root volume size set by the AMI', count, source);
  };

  for (const [id, instance] of resourcesOfType(template, 'AWS::EC2::Instance')) {
    const props = instance.Properties ?? {};
    add(`ec2:${instanceTypeName(props.InstanceType)}`, 1, id);
    addVolumes(props.BlockDeviceMappings, 1, id);
    const publicIp = (props.NetworkInterfaces ?? []).some((nic: any) => nic.AssociatePublicIpAddress === true)
      || publicSubnet(props.SubnetId);
    if (publicIp) add('vpc:public IPv4 address', 1, id);
  }

  for (const [id, group] of resourcesOfType(template, 'AWS::AutoScaling::AutoScalingGroup')) {
    const props = group.Properties ?? {};
    const count = Number(props.DesiredCapacity ?? props.MinSize ?? 0);
    const launchTemplate = resource({ Ref: props.LaunchTemplate?.LaunchTemplateId?.Ref })
      ?.Properties?.LaunchTemplateData ?? {};
    add(
      `ec2:${instanceTypeName(launchTemplate.InstanceType)}`,
      count,
      `${id} (${props.DesiredCapacity ? 'desired' : 'minimum'} capacity)`,
    );
    addVolumes(launchTemplate.BlockDeviceMappings, count, id);
    const nicPublic = (launchTemplate.NetworkInterfaces ?? [])
      .some((nic: any) => nic.AssociatePublicIpAddress === true);
    if (nicPublic
      || (props.VPCZoneIdentifier ?? []).every(publicSubnet) && (props.VPCZoneIdentifier ?? []).length > 0) {
      add('vpc:public IPv4 address', count, id);
    }
  }

  for (const [id, balancer] of resourcesOfType(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer')) {
    const props = balancer.Properties ?? {};
    if ((props.Type ?? 'application') !== 'application') { add(`elb:${props.Type} load balancer`, 1, id); continue; }
    add('elb:Application Load Balancer', 1, id);
    perUse.add('Application Load Balancer LCU');
    if ((props.Scheme ?? 'internet-facing') === 'internet-facing') {
      add('vpc:public IPv4 address', (props.Subnets ?? props.SubnetMappings ?? []).length, `${id} (one per AZ)`);
    }
  }

  add('vpc:NAT gateway', resourcesOfType(template, 'AWS::EC2::NatGateway').length, 'NAT gateways');
  if (resourcesOfType(template, 'AWS::EC2::NatGateway').length > 0) perUse.add('NAT gateway data');
  add('vpc:public IPv4 address', resourcesOfType(template, 'AWS::EC2::EIP').length, 'Elastic IPs');

  for (const [id, service] of resourcesOfType(template, 'AWS::ECS::Service')) {
    const props = service.Properties ?? {};
    const fargate = props.LaunchType === 'FARGATE'
      || (props.CapacityProviderStrategy ?? []).some((s: any) => String(s.CapacityProvider).startsWith('FARGATE'));
    if (!fargate) continue;
    const scaler = scalableTarget(template, id);
    const minimum = scaler === undefined ? undefined : Number(scaler.MinCapacity);
    const count = Number(props.DesiredCount ?? minimum ?? 1);
    const network = props.NetworkConfiguration?.AwsvpcConfiguration;
    const task = fargateTask(resource(props.TaskDefinition), network?.AssignPublicIp);
    add(`fargate:${task.architecture} vCPU`, task.vcpu * count, `${id} (${count} tasks)`);
    add(`fargate:${task.architecture} GB`, task.memoryGb * count, `${id} (${count} tasks)`);
    if (task.publicIp) add('vpc:public IPv4 address', count, `${id} (one per task)`);
    const maximum = Number(scaler?.MaxCapacity);
    if (minimum !== undefined && maximum > count) {
      scaledServices.push({ service: id, ...task, minimum, maximum, idleTasks: count });
    }
  }

  for (const [id, environment] of resourcesOfType(template, 'AWS::ElasticBeanstalk::Environment')) {
    const options: any[] = environment.Properties?.OptionSettings ?? [];
    const option = (namespace: string, name: string) =>
      options.find((o) => o.Namespace === namespace && o.OptionName === name)?.Value;
    const instanceType = option('aws:autoscaling:launchconfiguration', 'InstanceType')
      ?? String(option('aws:ec2:instances', 'InstanceTypes') ?? '').split(',')[0];
    const single = option('aws:elasticbeanstalk:environment', 'EnvironmentType') === 'SingleInstance';
    const count = single ? 1 : Number(option('aws:autoscaling:asg', 'MinSize') ?? 1);
    add(`ec2:${instanceTypeName(instanceType)}`, count, `${id} (Beanstalk instances)`);
    const rootSize = Number(option('aws:autoscaling:launchconfiguration', 'RootVolumeSize') ?? 0);
    if (rootSize > 0) {
      add(`ebs:${option('aws:autoscaling:launchconfiguration', 'RootVolumeType') ?? 'gp3'} per GB`, rootSize * count,
        `${id} root volume`);
    } else {
      add('ebs:root volume size set by the AMI', count, `${id} root volume`);
    }
    // A single-instance environment gets an Elastic IP; a load-balanced one a load balancer Beanstalk creates.
    add('vpc:public IPv4 address', single ? 1 : 0, `${id} (Elastic IP)`);
    if (!single) add('elb:load balancer created by Beanstalk', 1, id);
  }

  for (const [id, alarm] of resourcesOfType(template, 'AWS::CloudWatch::Alarm')) {
    const { metrics, highResolution } = alarmMetrics(alarm);
    if (metrics === undefined) {
      add('cloudwatch:alarm on a Metrics Insights query or anomaly band', 1, id);
    } else {
      add(`cloudwatch:alarm metric, ${highResolution ? 'high' : 'standard'} resolution`, metrics,
        `${id} (${metrics} metric${metrics === 1 ? '' : 's'})`);
    }
  }

  if (resourcesOfType(template, 'AWS::ApiGateway::RestApi').length > 0) perUse.add('API Gateway REST API');
  const functions = resourcesOfType(template, 'AWS::Lambda::Function')
    .filter(([id]) => !customResourceHandlers(template).has(id));
  if (functions.length > 0) perUse.add('Lambda requests');
  for (const [, fn] of functions) {
    perUse.add((fn.Properties?.Architectures ?? []).includes('arm64')
      ? 'Lambda arm64 duration' : 'Lambda x86 duration');
  }
  if (resourcesOfType(template, 'AWS::DynamoDB::Table')
    .some(([, table]) => table.Properties?.BillingMode === 'PAY_PER_REQUEST')) {
    perUse.add('DynamoDB on-demand writes');
    perUse.add('DynamoDB on-demand reads');
  }
  if (resourcesOfType(template, 'AWS::Logs::LogGroup').length > 0) perUse.add('CloudWatch Logs ingestion');
  // An empty bucket costs nothing: storage and requests are billed as they are used.
  if (resourcesOfType(template, 'AWS::S3::Bucket').length > 0) {
    perUse.add('S3 Standard storage');
    perUse.add('S3 PUT, COPY, POST and LIST requests');
    perUse.add('S3 GET, HEAD and other requests');
  }
  for (const [, queue] of resourcesOfType(template, 'AWS::SQS::Queue')) {
    perUse.add(String(queue.Properties?.FifoQueue) === 'true' ? 'SQS FIFO requests' : 'SQS standard requests');
  }
  if (resourcesOfType(template, 'AWS::Scheduler::Schedule').length > 0) {
    perUse.add('EventBridge Scheduler invocations');
  }
  if (publishedTopic(template)) {
    perUse.add('SNS publishes');
    if (emailSubscriptions(template)) perUse.add('SNS email deliveries');
  }
  if (resourcesOfType(template, 'AWS::Events::Rule').some(([, rule]) => onAwsServiceEvents(rule))) {
    perUse.add('EventBridge rules on AWS service events');
  }

  const taskRuns = groupTaskRuns(template);
  return {
    idle: mergeDrivers(idle),
    perUse: [...perUse].sort(),
    ...(taskRuns.length > 0 ? { taskRuns } : {}),
    ...(scaledServices.length > 0 ? { scaledServices } : {}),
  };
}

/**
 * The metrics an alarm evaluates, which CloudWatch prices each by the month: 1 for an alarm on one metric
 * (MetricName), and for an alarm on a metric math expression (Metrics) each metric the expression reads (its MetricStat
 * entries; the expressions themselves are free). High resolution when a period is under 60 seconds. Undefined for
 * what the template cannot count: a Metrics Insights query (no MetricStat), whose metrics are the time series it
 * matches, and an anomaly detection band, which CloudWatch prices as more metrics than it reads.
 */
function alarmMetrics(alarm: CfnResourceJson): { metrics?: number; highResolution: boolean } {
  const props = alarm.Properties ?? {};
  const queries: any[] = Array.isArray(props.Metrics) ? props.Metrics : [];
  const stats = queries.filter((query) => query?.MetricStat !== undefined);
  const periods = [props.Period, ...stats.map((query) => query.MetricStat.Period)].map(Number);
  const highResolution = periods.some((period) => period > 0 && period < 60);
  if (props.MetricName !== undefined) return { metrics: 1, highResolution };
  const anomalyBand = queries.some((query) => /ANOMALY_DETECTION_BAND/i.test(String(query?.Expression ?? '')));
  return stats.length === 0 || anomalyBand ? { highResolution } : { metrics: stats.length, highResolution };
}

/**
 * The Fargate runs the template's rules and schedules start, one per task definition, network setting and task
 * count. Two starters of the same task are one run with two starters: a run costs the same whoever starts it, and
 * each start is one run.
 */
function groupTaskRuns(template: CfnTemplate): TaskRun[] {
  const runs = new Map<string, TaskRun>();
  for (const start of fargateTaskStarts(template)) {
    const key = `${start.taskDefinition} ${start.publicIp} ${start.taskCount}`;
    const startedBy = { starter: start.starter, when: start.when };
    const run = runs.get(key);
    runs.set(key, run
      ? { ...run, startedBy: [...run.startedBy, startedBy] }
      : {
        architecture: start.architecture,
        vcpu: start.vcpu,
        memoryGb: start.memoryGb,
        publicIp: start.publicIp,
        taskCount: start.taskCount,
        startedBy: [startedBy],
      });
  }
  return [...runs.values()];
}

/**
 * A topic that something of the template publishes to: a resource other than its subscriptions and its policy refers
 * to it (a rule's or schedule's target, a function's variable, a policy that allows sns:Publish).
 */
function publishedTopic(template: CfnTemplate): boolean {
  const topics = new Set(resourcesOfType(template, 'AWS::SNS::Topic').map(([id]) => id));
  const notPublishers = ['AWS::SNS::Topic', 'AWS::SNS::Subscription', 'AWS::SNS::TopicPolicy'];
  return Object.values(template.Resources ?? {})
    .filter((resource) => !notPublishers.includes(resource.Type))
    .some((resource) => [...referencedResources(template, resource.Properties)].some((id) => topics.has(id)));
}

/** An SNS subscription by email, as a resource of its own or in a topic's Subscription list. */
function emailSubscriptions(template: CfnTemplate): boolean {
  const email = (protocol: unknown) => protocol === 'email' || protocol === 'email-json';
  return resourcesOfType(template, 'AWS::SNS::Subscription').some(([, sub]) => email(sub.Properties?.Protocol))
    || resourcesOfType(template, 'AWS::SNS::Topic')
      .some(([, topic]) => (topic.Properties?.Subscription ?? []).some((sub: any) => email(sub?.Protocol)));
}

/**
 * A rule on the default event bus that matches only events from AWS services (every `source` starts with `aws.`,
 * which no one else may send): EventBridge charges nothing for those.
 */
function onAwsServiceEvents(rule: CfnResourceJson): boolean {
  const props = rule.Properties ?? {};
  const sources: unknown = eventPattern(props.EventPattern)?.source;
  const defaultBus = props.EventBusName === undefined || props.EventBusName === 'default';
  return defaultBus && Array.isArray(sources) && sources.length > 0
    && sources.every((source) => typeof source === 'string' && source.startsWith('aws.'));
}

/**
 * The properties of the scalable target that owns a service's task count: with a scaler the template leaves
 * DesiredCount out, and the scaler keeps at least its MinCapacity running (ECS starts a new service at 1 task), and at
 * most its MaxCapacity.
 */
function scalableTarget(template: CfnTemplate, serviceId: string): Record<string, any> | undefined {
  const target = resourcesOfType(template, 'AWS::ApplicationAutoScaling::ScalableTarget')
    .find(([, scalable]) => scalable.Properties?.ScalableDimension === 'ecs:service:DesiredCount'
      && referencedResources(template, scalable.Properties?.ResourceId).has(serviceId));
  return target === undefined ? undefined : target[1].Properties ?? {};
}

/** A rule's EventPattern, which CloudFormation takes as an object or as its JSON text. */
function eventPattern(value: unknown): any {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** Functions that only serve CloudFormation custom resources: they run at deploy and delete time, not per use. */
function customResourceHandlers(template: CfnTemplate): Set<string> {
  return new Set(Object.values(template.Resources ?? {})
    .filter((resource) => resource.Type.startsWith('Custom::')
      || resource.Type === 'AWS::CloudFormation::CustomResource')
    .map((resource) => resource.Properties?.ServiceToken?.['Fn::GetAtt']?.[0])
    .filter((id): id is string => typeof id === 'string'));
}

function instanceTypeName(value: unknown): string {
  return typeof value === 'string' && value !== '' ? value : 'instance type set at deploy time';
}

function mergeDrivers(drivers: CostDriver[]): CostDriver[] {
  const merged = new Map<string, CostDriver>();
  for (const driver of drivers) {
    const existing = merged.get(driver.price);
    merged.set(driver.price, existing
      ? {
        price: driver.price,
        quantity: existing.quantity + driver.quantity,
        source: `${existing.source}; ${driver.source}`,
      }
      : driver);
  }
  return [...merged.values()];
}
