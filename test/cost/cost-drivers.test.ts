import { costDrivers, CostDriver } from '../../lib/cost/drivers';

// Each branch of the cost drivers on hand-written templates: what is counted, how many, and from where.
const drivers = (resources: Record<string, object>) => costDrivers({ Resources: resources as never });
const idle = (resources: Record<string, object>) =>
  Object.fromEntries(drivers(resources).idle.map((d: CostDriver) => [d.price, d.quantity]));
const sources = (resources: Record<string, object>) =>
  Object.fromEntries(drivers(resources).idle.map((d: CostDriver) => [d.price, d.source]));

const PUBLIC_SUBNETS = {
  PublicA: { Type: 'AWS::EC2::Subnet', Properties: { MapPublicIpOnLaunch: true } },
  PublicB: { Type: 'AWS::EC2::Subnet', Properties: { MapPublicIpOnLaunch: true } },
  Private: { Type: 'AWS::EC2::Subnet', Properties: { MapPublicIpOnLaunch: false } },
};
const gp3 = (size: number) => [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: size, VolumeType: 'gp3' } }];

describe('EC2 instances', () => {
  const instance = (props: object) => ({
    ...PUBLIC_SUBNETS,
    Web: {
      Type: 'AWS::EC2::Instance',
      Properties: { InstanceType: 't3.micro', BlockDeviceMappings: gp3(8), ...props },
    },
  });

  test('counts a public IPv4 for an instance in a public subnet', () => {
    expect(idle(instance({ SubnetId: { Ref: 'PublicA' } })))
      .toEqual({ 'ec2:t3.micro': 1, 'ebs:gp3 per GB': 8, 'vpc:public IPv4 address': 1 });
  });

  test('counts a public IPv4 for an instance whose network interface asks for one, in any subnet', () => {
    expect(idle(instance({
      NetworkInterfaces: [{ DeviceIndex: '0', AssociatePublicIpAddress: true, SubnetId: { Ref: 'Private' } }],
    }))['vpc:public IPv4 address']).toBe(1);
  });

  test('counts one public IPv4 when any of the instance\'s network interfaces asks for one', () => {
    expect(idle(instance({
      NetworkInterfaces: [
        { DeviceIndex: '0', AssociatePublicIpAddress: false, SubnetId: { Ref: 'Private' } },
        { DeviceIndex: '1', AssociatePublicIpAddress: true, SubnetId: { Ref: 'Private' } },
      ],
    }))['vpc:public IPv4 address']).toBe(1);
  });

  test('counts no public IPv4 for an instance in a private subnet, in a subnet it cannot look up, '
    + 'or with a private interface', () => {
    expect(idle(instance({ SubnetId: { Ref: 'Private' } }))).not.toHaveProperty(['vpc:public IPv4 address']);
    expect(idle(instance({ SubnetId: 'subnet-123' }))).not.toHaveProperty(['vpc:public IPv4 address']);
    expect(idle(instance({ SubnetId: { Ref: 'Missing' } }))).not.toHaveProperty(['vpc:public IPv4 address']);
    expect(idle(instance({ NetworkInterfaces: [{ DeviceIndex: '0', AssociatePublicIpAddress: false }] })))
      .not.toHaveProperty(['vpc:public IPv4 address']);
    expect(idle(instance({}))).not.toHaveProperty(['vpc:public IPv4 address']);
  });

  test('names the instance and its device as the source', () => {
    expect(sources(instance({ SubnetId: { Ref: 'PublicA' } })))
      .toEqual({ 'ec2:t3.micro': 'Web', 'ebs:gp3 per GB': 'Web /dev/xvda', 'vpc:public IPv4 address': 'Web' });
  });

  test('prices a root volume of known size by its type, gp2 when no type is given', () => {
    expect(idle(instance({ BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 30 } }] })))
      .toEqual({ 'ec2:t3.micro': 1, 'ebs:gp2 per GB': 30 });
  });

  test('counts every volume of an instance', () => {
    expect(idle(instance({
      BlockDeviceMappings: [...gp3(8), { DeviceName: '/dev/sdb', Ebs: { VolumeSize: 2, VolumeType: 'gp3' } }],
    }))['ebs:gp3 per GB']).toBe(10);
  });

  test('counts a root volume of unknown size (set by the AMI) once, without a price, when no volume is mapped', () => {
    expect(idle(instance({ BlockDeviceMappings: undefined })))
      .toEqual({ 'ec2:t3.micro': 1, 'ebs:root volume size set by the AMI': 1 });
    expect(idle(instance({ BlockDeviceMappings: [] })))
      .toEqual({ 'ec2:t3.micro': 1, 'ebs:root volume size set by the AMI': 1 });
  });

  test('counts nothing for a mapping without a size (an instance store device)', () => {
    expect(idle(instance({ BlockDeviceMappings: [{ DeviceName: '/dev/sdb', VirtualName: 'ephemeral0' }] })))
      .toEqual({ 'ec2:t3.micro': 1 });
  });

  test('names an instance type it cannot read as set at deploy time', () => {
    expect(idle(instance({ InstanceType: { Ref: 'InstanceTypeParameter' } })))
      .toHaveProperty(['ec2:instance type set at deploy time'], 1);
    expect(idle(instance({ InstanceType: '' }))).toHaveProperty(['ec2:instance type set at deploy time'], 1);
    expect(idle(instance({ InstanceType: undefined }))).toHaveProperty(['ec2:instance type set at deploy time'], 1);
  });

  test('counts an instance without properties: its type unknown and its root volume set by the AMI', () => {
    expect(idle({ Bare: { Type: 'AWS::EC2::Instance' } }))
      .toEqual({ 'ec2:instance type set at deploy time': 1, 'ebs:root volume size set by the AMI': 1 });
  });
});

describe('Auto Scaling groups', () => {
  const group = (props: object, templateData: object = {}) => ({
    ...PUBLIC_SUBNETS,
    Template: {
      Type: 'AWS::EC2::LaunchTemplate',
      Properties: { LaunchTemplateData: { InstanceType: 't3.micro', BlockDeviceMappings: gp3(8), ...templateData } },
    },
    Group: {
      Type: 'AWS::AutoScaling::AutoScalingGroup',
      Properties: {
        MinSize: '2',
        MaxSize: '4',
        LaunchTemplate: { LaunchTemplateId: { Ref: 'Template' } },
        VPCZoneIdentifier: [{ Ref: 'PublicA' }, { Ref: 'PublicB' }],
        ...props,
      },
    },
  });

  test('prices a group at its desired capacity when it has one', () => {
    expect(idle(group({ DesiredCapacity: '3' })))
      .toEqual({ 'ec2:t3.micro': 3, 'ebs:gp3 per GB': 24, 'vpc:public IPv4 address': 3 });
    expect(sources(group({ DesiredCapacity: '3' }))['ec2:t3.micro']).toBe('Group (desired capacity)');
  });

  test('prices a group at its minimum size when it has no desired capacity', () => {
    expect(idle(group({}))).toEqual({ 'ec2:t3.micro': 2, 'ebs:gp3 per GB': 16, 'vpc:public IPv4 address': 2 });
    expect(sources(group({}))['ec2:t3.micro']).toBe('Group (minimum capacity)');
  });

  test('counts nothing for a group with neither desired capacity nor minimum size', () => {
    expect(idle(group({ MinSize: undefined }))).toEqual({});
  });

  test('counts public addresses when the launch template\'s interface asks for them, even in private subnets', () => {
    const template = group(
      { VPCZoneIdentifier: [{ Ref: 'Private' }] },
      { NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: true }] },
    );
    expect(idle(template)['vpc:public IPv4 address']).toBe(2);
  });

  test('counts public addresses when any interface of the launch template asks for them', () => {
    expect(idle(group(
      { VPCZoneIdentifier: [{ Ref: 'Private' }] },
      {
        NetworkInterfaces: [
          { DeviceIndex: 0, AssociatePublicIpAddress: false },
          { DeviceIndex: 1, AssociatePublicIpAddress: true },
        ],
      },
    ))['vpc:public IPv4 address']).toBe(2);
  });

  test('prices a group at a desired capacity of 0 at nothing, whatever its minimum size says', () => {
    expect(idle(group({ MinSize: '0', DesiredCapacity: '0' }))).toEqual({});
  });

  test('counts no public addresses for a launch template interface without one, in private subnets', () => {
    expect(idle(group(
      { VPCZoneIdentifier: [{ Ref: 'Private' }] },
      { NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: false }] },
    ))).not.toHaveProperty(['vpc:public IPv4 address']);
  });

  test('counts public addresses only when every subnet of the group is public', () => {
    expect(idle(group({ VPCZoneIdentifier: [{ Ref: 'PublicA' }, { Ref: 'Private' }] })))
      .not.toHaveProperty(['vpc:public IPv4 address']);
    expect(idle(group({ VPCZoneIdentifier: [] }))).not.toHaveProperty(['vpc:public IPv4 address']);
    expect(idle(group({ VPCZoneIdentifier: undefined }))).not.toHaveProperty(['vpc:public IPv4 address']);
  });

  describe('in classroom mode, in the class\'s imported subnets', () => {
    const imported = (name: string) => ({ 'Fn::ImportValue': name });

    test('counts public addresses in ClassroomSetup\'s public subnets', () => {
      expect(idle(group({
        VPCZoneIdentifier: [imported('ClassroomSetup-PublicSubnet1Id'), imported('ClassroomSetup-PublicSubnet2Id')],
      }))['vpc:public IPv4 address']).toBe(2);
    });

    test.each([
      ['another of its exports', 'ClassroomSetup-VpcId'],
      ['another stack\'s subnet', 'OtherSetup-PublicSubnet1Id'],
      ['a name that only starts like one', 'ClassroomSetup-PublicSubnet1IdX'],
    ])('counts none for %s', (_case, name) => {
      expect(idle(group({ VPCZoneIdentifier: [imported(name)] }))).not.toHaveProperty(['vpc:public IPv4 address']);
    });
  });

  test('prices the group\'s instances and volumes from its launch template', () => {
    expect(idle(group(
      {},
      { InstanceType: 't4g.small', BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 20 } }] },
    )))
      .toEqual({ 'ec2:t4g.small': 2, 'ebs:gp2 per GB': 40, 'vpc:public IPv4 address': 2 });
  });

  test.each([
    ['no launch template', group({ LaunchTemplate: undefined })],
    ['a launch template by name', group({ LaunchTemplate: { LaunchTemplateName: 'web', Version: '1' } })],
    ['a launch template without properties', { ...group({}), Template: { Type: 'AWS::EC2::LaunchTemplate' } }],
  ])('counts a group with %s as of a type set at deploy time, its root volume set by the AMI', (_case, template) => {
    expect(idle(template)).toEqual({
      'ec2:instance type set at deploy time': 2,
      'ebs:root volume size set by the AMI': 2,
      'vpc:public IPv4 address': 2,
    });
  });
});

describe('load balancers', () => {
  const alb = (props: object) => ({ Alb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: props } });

  test('counts an internet-facing ALB with one public IPv4 per AZ (subnet)', () => {
    expect(idle(alb({ Scheme: 'internet-facing', Subnets: ['a', 'b', 'c'] })))
      .toEqual({ 'elb:Application Load Balancer': 1, 'vpc:public IPv4 address': 3 });
    expect(sources(alb({ Scheme: 'internet-facing', Subnets: ['a', 'b'] }))['vpc:public IPv4 address'])
      .toBe('Alb (one per AZ)');
  });

  test('counts an ALB as internet-facing when no scheme is given, and its subnet mappings as AZs', () => {
    expect(idle(alb({ SubnetMappings: [{ SubnetId: 'a' }, { SubnetId: 'b' }] })))
      .toEqual({ 'elb:Application Load Balancer': 1, 'vpc:public IPv4 address': 2 });
  });

  test('counts no public address for an internal ALB', () => {
    expect(idle(alb({ Scheme: 'internal', Subnets: ['a', 'b'] }))).toEqual({ 'elb:Application Load Balancer': 1 });
  });

  test('counts an ALB without subnets and with no address', () => {
    expect(idle(alb({}))).toEqual({ 'elb:Application Load Balancer': 1 });
  });

  test('lists the ALB\'s LCU price as pay per use', () => {
    expect(drivers(alb({})).perUse).toEqual(['Application Load Balancer LCU']);
  });

  test('counts another kind of load balancer by its type, without an ALB\'s addresses or LCU', () => {
    const nlb = alb({ Type: 'network', Scheme: 'internet-facing', Subnets: ['a', 'b'] });
    expect(idle(nlb)).toEqual({ 'elb:network load balancer': 1 });
    expect(drivers(nlb).perUse).toEqual([]);
  });

  test('counts a load balancer of type application as an ALB', () => {
    expect(idle(alb({ Type: 'application' }))).toEqual({ 'elb:Application Load Balancer': 1 });
  });
});

describe('NAT gateways and Elastic IPs', () => {
  test('counts each NAT gateway and lists its data price', () => {
    const template = { A: { Type: 'AWS::EC2::NatGateway' }, B: { Type: 'AWS::EC2::NatGateway' } };
    expect(idle(template)).toEqual({ 'vpc:NAT gateway': 2 });
    expect(drivers(template).perUse).toEqual(['NAT gateway data']);
  });

  test('lists no NAT data price without a NAT gateway', () => {
    expect(drivers({ Ip: { Type: 'AWS::EC2::EIP' } }).perUse).toEqual([]);
  });

  test('counts each Elastic IP as a public IPv4 address', () => {
    expect(idle({ A: { Type: 'AWS::EC2::EIP' }, B: { Type: 'AWS::EC2::EIP' }, C: { Type: 'AWS::EC2::EIP' } }))
      .toEqual({ 'vpc:public IPv4 address': 3 });
    expect(sources({ A: { Type: 'AWS::EC2::EIP' } })['vpc:public IPv4 address']).toBe('Elastic IPs');
  });
});

describe('Fargate services', () => {
  const service = (props: object, task: object = { Cpu: '512', Memory: '1024' }) => ({
    Task: { Type: 'AWS::ECS::TaskDefinition', Properties: task },
    Service: {
      Type: 'AWS::ECS::Service',
      Properties: { LaunchType: 'FARGATE', DesiredCount: 2, TaskDefinition: { Ref: 'Task' }, ...props },
    },
  });

  test('prices x86 tasks by vCPU and GB times the desired count', () => {
    expect(idle(service({}))).toEqual({ 'fargate:x86 vCPU': 1, 'fargate:x86 GB': 2 });
    expect(sources(service({}))['fargate:x86 vCPU']).toBe('Service (2 tasks)');
  });

  test('prices ARM64 tasks at the arm64 prices', () => {
    expect(idle(service(
      {},
      { Cpu: '256', Memory: '2048', RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' } },
    )))
      .toEqual({ 'fargate:arm64 vCPU': 0.5, 'fargate:arm64 GB': 4 });
  });

  test('prices X86_64 tasks at the x86 prices', () => {
    expect(idle(service({}, { Cpu: '1024', Memory: '2048', RuntimePlatform: { CpuArchitecture: 'X86_64' } })))
      .toEqual({ 'fargate:x86 vCPU': 2, 'fargate:x86 GB': 4 });
  });

  test('reads a size written as a number like one written as text', () => {
    expect(idle(service({}, { Cpu: 512, Memory: 1024 }))).toEqual({ 'fargate:x86 vCPU': 1, 'fargate:x86 GB': 2 });
  });

  test('counts the public IPv4 of each task even when the task definition is not in the template', () => {
    expect(idle(service({
      TaskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1',
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'ENABLED' } },
    }))['vpc:public IPv4 address']).toBe(2);
  });

  test('counts one task when no desired count is given', () => {
    expect(idle(service({ DesiredCount: undefined }))).toEqual({ 'fargate:x86 vCPU': 0.5, 'fargate:x86 GB': 1 });
  });

  test('counts nothing for a service scaled to 0 tasks', () => {
    expect(idle(service({
      DesiredCount: 0,
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'ENABLED' } },
    }))).toEqual({});
  });

  test('counts a public IPv4 per task with AssignPublicIp ENABLED, none with DISABLED', () => {
    expect(idle(service({
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'ENABLED' } },
    }))['vpc:public IPv4 address']).toBe(2);
    expect(idle(service({ NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED' } } })))
      .not.toHaveProperty(['vpc:public IPv4 address']);
  });

  test('counts a service on a Fargate capacity provider, and none on EC2', () => {
    expect(idle(service({
      LaunchType: undefined,
      CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }],
    }))).toEqual({ 'fargate:x86 vCPU': 1, 'fargate:x86 GB': 2 });
    expect(idle(service({
      LaunchType: undefined,
      CapacityProviderStrategy: [{ CapacityProvider: 'MyAsgProvider', Weight: 1 }],
    }))).toEqual({});
    expect(idle(service({ LaunchType: 'EC2' }))).toEqual({});
  });
});

describe('Fargate services with a scaler', () => {
  /** An arm64 service of 0.25 vCPU, 0.5 GB and a public IPv4 per task, and the scalable target of its task count. */
  const scaled = (target: object, service: object = {}) => ({
    Task: {
      Type: 'AWS::ECS::TaskDefinition',
      Properties: { Cpu: '256', Memory: '512', RuntimePlatform: { CpuArchitecture: 'ARM64' } },
    },
    Service: {
      Type: 'AWS::ECS::Service',
      Properties: {
        LaunchType: 'FARGATE',
        TaskDefinition: { Ref: 'Task' },
        NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'ENABLED' } },
        ...service,
      },
    },
    Target: {
      Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
      Properties: {
        ServiceNamespace: 'ecs',
        ScalableDimension: 'ecs:service:DesiredCount',
        ResourceId: { 'Fn::Join': ['', ['service/', { Ref: 'Cluster' }, '/', { 'Fn::GetAtt': ['Service', 'Name'] }]] },
        ...target,
      },
    },
  });
  const WORKER = { architecture: 'arm64', vcpu: 0.25, memoryGb: 0.5, publicIp: true };

  test('counts nothing idle for a service whose scaler\'s minimum is 0, and lists the tasks it may start', () => {
    const workers = scaled({ MinCapacity: 0, MaxCapacity: 4 });
    expect(idle(workers)).toEqual({});
    expect(drivers(workers).scaledServices)
      .toEqual([{ service: 'Service', ...WORKER, minimum: 0, maximum: 4, idleTasks: 0 }]);
  });

  test('counts the scaler\'s minimum idle, and lists the tasks it may start above it', () => {
    const service = scaled({ MinCapacity: 2, MaxCapacity: 4 });
    expect(idle(service))
      .toEqual({ 'fargate:arm64 vCPU': 0.5, 'fargate:arm64 GB': 1, 'vpc:public IPv4 address': 2 });
    expect(drivers(service).scaledServices)
      .toEqual([{ service: 'Service', ...WORKER, minimum: 2, maximum: 4, idleTasks: 2 }]);
  });

  test('lists the one task a scaler may start above the desired count, and none when the desired count is its '
    + 'maximum', () => {
    expect(drivers(scaled({ MinCapacity: 1, MaxCapacity: 3 }, { DesiredCount: 2 })).scaledServices)
      .toEqual([expect.objectContaining({ minimum: 1, maximum: 3, idleTasks: 2 })]);
    expect(drivers(scaled({ MinCapacity: 1, MaxCapacity: 3 }, { DesiredCount: 3 })))
      .not.toHaveProperty('scaledServices');
  });

  test('lists no tasks for a scaler whose minimum is its maximum, one for a maximum one above', () => {
    expect(drivers(scaled({ MinCapacity: 2, MaxCapacity: 2 }))).not.toHaveProperty('scaledServices');
    expect(drivers(scaled({ MinCapacity: 2, MaxCapacity: 3 })).scaledServices)
      .toEqual([expect.objectContaining({ minimum: 2, maximum: 3, idleTasks: 2 })]);
  });

  test('lists no tasks for a service without a scaler, or with a scaler of something else', () => {
    const { Task, Service } = scaled({});
    expect(drivers({ Task, Service: { ...Service, Properties: { ...Service.Properties, DesiredCount: 1 } } }))
      .not.toHaveProperty('scaledServices');
    expect(drivers(scaled({ MinCapacity: 0, MaxCapacity: 4, ScalableDimension: 'dynamodb:table:ReadCapacityUnits' })))
      .not.toHaveProperty('scaledServices');
    expect(drivers(scaled({ MinCapacity: 0, MaxCapacity: 4, ResourceId: 'service/cluster/other' })))
      .not.toHaveProperty('scaledServices');
  });

  test('reads a scalable target without properties as no scaler', () => {
    const { Task, Service } = scaled({});
    const template = {
      Task,
      Service: { ...Service, Properties: { ...Service.Properties, DesiredCount: 2 } },
      Target: { Type: 'AWS::ApplicationAutoScaling::ScalableTarget' },
    };
    expect(drivers(template)).not.toHaveProperty('scaledServices');
    expect(idle(template)).toEqual({ 'fargate:arm64 vCPU': 0.5, 'fargate:arm64 GB': 1, 'vpc:public IPv4 address': 2 });
  });

  test('reads the architecture and the public IPv4 of the scaled tasks', () => {
    const service = scaled({ MinCapacity: 0, MaxCapacity: 2 }, {
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED' } },
    });
    service.Task.Properties.RuntimePlatform = { CpuArchitecture: 'X86_64' };
    expect(drivers(service).scaledServices)
      .toEqual([expect.objectContaining({ architecture: 'x86', publicIp: false })]);
  });
});

describe('CloudWatch alarms', () => {
  const alarm = (props: object) => ({ Type: 'AWS::CloudWatch::Alarm', Properties: { EvaluationPeriods: 1, ...props } });
  const metric = { MetricName: 'ApproximateNumberOfMessagesVisible', Namespace: 'AWS/SQS', Period: 60 };
  const stat = (id: string, period = 60) => ({
    Id: id,
    MetricStat: { Metric: { MetricName: id, Namespace: 'AWS/SQS' }, Period: period, Stat: 'Maximum' },
    ReturnData: false,
  });
  const math = (...stats: object[]) => ({
    Metrics: [{ Id: 'expr', Expression: 'waiting + inFlight', ReturnData: true }, ...stats],
  });
  const STANDARD = 'cloudwatch:alarm metric, standard resolution';
  const HIGH = 'cloudwatch:alarm metric, high resolution';
  const UNCOUNTED = 'cloudwatch:alarm on a Metrics Insights query or anomaly band';

  test('counts one metric for an alarm on a metric, and each metric that a math expression reads', () => {
    expect(idle({ Waiting: alarm(metric) })).toEqual({ [STANDARD]: 1 });
    expect(idle({ Idle: alarm(math(stat('waiting'), stat('inFlight'))) })).toEqual({ [STANDARD]: 2 });
    expect(idle({ Idle: alarm(math(stat('waiting'))) })).toEqual({ [STANDARD]: 1 });
  });

  test('adds up the metrics of every alarm, naming each alarm with its count', () => {
    const alarms = { Waiting: alarm(metric), Idle: alarm(math(stat('waiting'), stat('inFlight'))) };
    expect(idle(alarms)).toEqual({ [STANDARD]: 3 });
    expect(sources(alarms)).toEqual({ [STANDARD]: 'Waiting (1 metric); Idle (2 metrics)' });
  });

  test('counts a period of 1 second as high resolution, and none (0) as standard', () => {
    expect(idle({ Fast: alarm({ ...metric, Period: 1 }) })).toEqual({ [HIGH]: 1 });
    expect(idle({ Slow: alarm({ ...metric, Period: 0 }) })).toEqual({ [STANDARD]: 1 });
  });

  test('counts a period under 60 seconds as high resolution, and 60 seconds as standard', () => {
    expect(idle({ Fast: alarm({ ...metric, Period: 30 }) })).toEqual({ [HIGH]: 1 });
    expect(idle({ Fast: alarm({ ...metric, Period: 10 }) })).toEqual({ [HIGH]: 1 });
    expect(idle({ Fast: alarm(math(stat('waiting', 10), stat('inFlight'))) })).toEqual({ [HIGH]: 2 });
    expect(idle({ Slow: alarm(math(stat('waiting', 60), stat('inFlight', 300))) })).toEqual({ [STANDARD]: 2 });
  });

  test('counts an alarm whose metrics the template does not say as unknown, never as free', () => {
    const query = alarm({ Metrics: [{ Id: 'q', Expression: 'SELECT MAX(CPUUtilization) FROM "AWS/EC2"' }] });
    const band = alarm({
      ThresholdMetricId: 'band',
      Metrics: [stat('waiting'), { Id: 'band', Expression: 'ANOMALY_DETECTION_BAND(waiting, 2)', ReturnData: true }],
    });
    expect(idle({ Query: query })).toEqual({ [UNCOUNTED]: 1 });
    expect(idle({ Band: band })).toEqual({ [UNCOUNTED]: 1 });
    expect(idle({ Empty: alarm({}) })).toEqual({ [UNCOUNTED]: 1 });
  });
});

describe('Elastic Beanstalk environments', () => {
  const environment = (options: Array<[string, string, string]>) => ({
    Environment: {
      Type: 'AWS::ElasticBeanstalk::Environment',
      Properties: {
        OptionSettings: options.map(([Namespace, OptionName, Value]) => ({ Namespace, OptionName, Value })),
      },
    },
  });
  const SINGLE: [string, string, string] = ['aws:elasticbeanstalk:environment', 'EnvironmentType', 'SingleInstance'];
  const TYPES: [string, string, string] = ['aws:ec2:instances', 'InstanceTypes', 't3.micro,t3.small'];

  test('counts a single-instance environment: one instance, its root volume and an Elastic IP, '
    + 'no load balancer', () => {
    expect(idle(environment([
      SINGLE,
      TYPES,
      ['aws:autoscaling:launchconfiguration', 'RootVolumeSize', '8'],
      ['aws:autoscaling:asg', 'MinSize', '3'],
    ])))
      .toEqual({ 'ec2:t3.micro': 1, 'ebs:gp3 per GB': 8, 'vpc:public IPv4 address': 1 });
  });

  test('counts a load-balanced environment at its minimum size, with the load balancer Beanstalk creates '
    + 'and no Elastic IP', () => {
    const env = environment([
      ['aws:elasticbeanstalk:environment', 'EnvironmentType', 'LoadBalanced'],
      TYPES,
      ['aws:autoscaling:asg', 'MinSize', '2'],
      ['aws:autoscaling:launchconfiguration', 'RootVolumeSize', '10'],
    ]);
    expect(idle(env)).toEqual({ 'ec2:t3.micro': 2, 'ebs:gp3 per GB': 20, 'elb:load balancer created by Beanstalk': 1 });
    expect(sources(env)).toEqual({
      'ec2:t3.micro': 'Environment (Beanstalk instances)',
      'ebs:gp3 per GB': 'Environment root volume',
      'elb:load balancer created by Beanstalk': 'Environment',
    });
  });

  test('counts a load-balanced environment without a minimum size as one instance', () => {
    expect(idle(environment([TYPES]))).toEqual({
      'ec2:t3.micro': 1,
      'ebs:root volume size set by the AMI': 1,
      'elb:load balancer created by Beanstalk': 1,
    });
  });

  test('reads the instance type from the launch configuration before the instance types list', () => {
    expect(idle(environment([SINGLE, ['aws:autoscaling:launchconfiguration', 'InstanceType', 't3.small'], TYPES])))
      .toHaveProperty(['ec2:t3.small'], 1);
  });

  test('names an instance type it cannot read as set at deploy time', () => {
    expect(idle(environment([SINGLE]))).toHaveProperty(['ec2:instance type set at deploy time'], 1);
  });

  test('prices a root volume of known size by its type, and one of unknown size as set by the AMI', () => {
    expect(idle(environment([
      SINGLE,
      TYPES,
      ['aws:autoscaling:launchconfiguration', 'RootVolumeSize', '16'],
      ['aws:autoscaling:launchconfiguration', 'RootVolumeType', 'gp2'],
    ])))
      .toHaveProperty(['ebs:gp2 per GB'], 16);
    expect(idle(environment([SINGLE, TYPES])))
      .toEqual({ 'ec2:t3.micro': 1, 'ebs:root volume size set by the AMI': 1, 'vpc:public IPv4 address': 1 });
  });

  test('counts an environment without settings as one instance behind a load balancer, all set at deploy time', () => {
    expect(idle({ Environment: { Type: 'AWS::ElasticBeanstalk::Environment' } })).toEqual({
      'ec2:instance type set at deploy time': 1,
      'ebs:root volume size set by the AMI': 1,
      'elb:load balancer created by Beanstalk': 1,
    });
  });

  test('ignores an option of the same name in another namespace', () => {
    expect(idle(environment([['aws:other', 'EnvironmentType', 'SingleInstance'], TYPES])))
      .toHaveProperty(['elb:load balancer created by Beanstalk'], 1);
  });
});

describe('pay per use', () => {
  test('lists Lambda x86 duration for a function without an architecture, arm64 for an arm64 one', () => {
    expect(drivers({ Fn: { Type: 'AWS::Lambda::Function', Properties: {} } }).perUse)
      .toEqual(['Lambda requests', 'Lambda x86 duration']);
    expect(drivers({ Fn: { Type: 'AWS::Lambda::Function', Properties: { Architectures: ['x86_64'] } } }).perUse)
      .toEqual(['Lambda requests', 'Lambda x86 duration']);
    expect(drivers({ Fn: { Type: 'AWS::Lambda::Function', Properties: { Architectures: ['arm64'] } } }).perUse)
      .toEqual(['Lambda arm64 duration', 'Lambda requests']);
  });

  test('leaves out functions that only serve custom resources (they run at deploy and delete time)', () => {
    const template = {
      Handler: { Type: 'AWS::Lambda::Function', Properties: { Architectures: ['arm64'] } },
      Provider: { Type: 'AWS::Lambda::Function', Properties: {} },
      Custom: { Type: 'Custom::AutoDeleteObjects', Properties: { ServiceToken: { 'Fn::GetAtt': ['Handler', 'Arn'] } } },
      Other: {
        Type: 'AWS::CloudFormation::CustomResource',
        Properties: { ServiceToken: { 'Fn::GetAtt': ['Provider', 'Arn'] } },
      },
    };
    expect(drivers(template).perUse).toEqual([]);
  });

  test('lists Lambda x86 duration for a function without properties, beside a custom resource without any', () => {
    expect(drivers({
      Fn: { Type: 'AWS::Lambda::Function' },
      Custom: { Type: 'Custom::Thing' },
    }).perUse).toEqual(['Lambda requests', 'Lambda x86 duration']);
  });

  test('lists a function beside a custom resource handler', () => {
    const template = {
      Api: { Type: 'AWS::Lambda::Function', Properties: { Architectures: ['arm64'] } },
      Handler: { Type: 'AWS::Lambda::Function', Properties: {} },
      Custom: { Type: 'Custom::LogRetention', Properties: { ServiceToken: { 'Fn::GetAtt': ['Handler', 'Arn'] } } },
      Plain: { Type: 'AWS::SNS::Topic', Properties: { ServiceToken: { 'Fn::GetAtt': ['Api', 'Arn'] } } },
      Odd: { Type: 'Custom::Thing', Properties: { ServiceToken: 'arn:aws:lambda:us-east-1:1:function:x' } },
    };
    expect(drivers(template).perUse).toEqual(['Lambda arm64 duration', 'Lambda requests']);
  });

  test('lists DynamoDB on-demand prices only for an on-demand table', () => {
    expect(drivers({ T: { Type: 'AWS::DynamoDB::Table', Properties: { BillingMode: 'PAY_PER_REQUEST' } } }).perUse)
      .toEqual(['DynamoDB on-demand reads', 'DynamoDB on-demand writes']);
    expect(drivers({ T: { Type: 'AWS::DynamoDB::Table', Properties: { BillingMode: 'PROVISIONED' } } }).perUse)
      .toEqual([]);
    expect(drivers({ T: { Type: 'AWS::DynamoDB::Table' } }).perUse).toEqual([]);
  });

  test('lists API Gateway and CloudWatch Logs ingestion when the template has them', () => {
    expect(drivers({ Api: { Type: 'AWS::ApiGateway::RestApi' }, Logs: { Type: 'AWS::Logs::LogGroup' } }).perUse)
      .toEqual(['API Gateway REST API', 'CloudWatch Logs ingestion']);
    expect(drivers({}).perUse).toEqual([]);
  });

  test('lists S3 storage and both request tiers for a bucket, and nothing while idle', () => {
    const bucket = { B: { Type: 'AWS::S3::Bucket', Properties: {} } };
    expect(drivers(bucket)).toEqual({
      idle: [],
      perUse: ['S3 GET, HEAD and other requests', 'S3 PUT, COPY, POST and LIST requests', 'S3 Standard storage'],
    });
    expect(drivers({ P: { Type: 'AWS::S3::BucketPolicy' } }).perUse).toEqual([]);
  });

  test('lists SQS standard requests for a queue, FIFO requests for a FIFO queue, and nothing while idle', () => {
    expect(drivers({ Q: { Type: 'AWS::SQS::Queue' } })).toEqual({ idle: [], perUse: ['SQS standard requests'] });
    expect(drivers({ Q: { Type: 'AWS::SQS::Queue', Properties: { FifoQueue: false } } }).perUse)
      .toEqual(['SQS standard requests']);
    expect(drivers({ Q: { Type: 'AWS::SQS::Queue', Properties: { FifoQueue: true } } }).perUse)
      .toEqual(['SQS FIFO requests']);
    expect(drivers({ Q: { Type: 'AWS::SQS::Queue', Properties: { FifoQueue: 'true' } } }).perUse)
      .toEqual(['SQS FIFO requests']);
    expect(drivers({ P: { Type: 'AWS::SQS::QueuePolicy' } }).perUse).toEqual([]);
  });

  test('reads a template without resources as free', () => {
    expect(costDrivers({})).toEqual({ idle: [], perUse: [] });
  });
});

describe('merging', () => {
  test('adds up drivers of the same price and names every source', () => {
    const result = drivers({
      A: { Type: 'AWS::EC2::EIP' },
      Nat: { Type: 'AWS::EC2::NatGateway' },
      Web: {
        Type: 'AWS::EC2::Instance',
        Properties: {
          InstanceType: 't3.micro',
          BlockDeviceMappings: gp3(8),
          NetworkInterfaces: [{ AssociatePublicIpAddress: true }],
        },
      },
    });
    expect(result.idle).toEqual([
      { price: 'ec2:t3.micro', quantity: 1, source: 'Web' },
      { price: 'ebs:gp3 per GB', quantity: 8, source: 'Web /dev/xvda' },
      { price: 'vpc:public IPv4 address', quantity: 2, source: 'Web; Elastic IPs' },
      { price: 'vpc:NAT gateway', quantity: 1, source: 'NAT gateways' },
    ]);
  });
});
