import { costDrivers } from '../../lib/cost/drivers';
import { HOURLY, HOURS_PER_30_DAYS } from '../../lib/cost/prices';
import {
  costSummary, formatCostReport, formatScaledTasks, formatScaler, labCost,
} from '../../lib/cost/report';

// The figures the lab guides quote, worked out by hand from the price table (us-east-1 on-demand, USD):
//   t3.micro 0.0104/h; gp3 0.08 per GB-month = 0.08/730 per GB-hour; a public IPv4 0.005/h; ALB 0.0225/h;
//   Fargate x86 0.04048 per vCPU-hour and 0.004445 per GB-hour, arm64 0.03238 and 0.00356; NAT gateway 0.045/h;
//   an alarm metric 0.10 per month at standard resolution, 0.30 at high resolution, a month being 730 hours.
//   30 days = 720 hours.
const cost = (resources: Record<string, object>) => labCost('Lab', costDrivers({ Resources: resources as never }));
const gp3 = (size: number) => [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: size, VolumeType: 'gp3' } }];
const PUBLIC = { Public: { Type: 'AWS::EC2::Subnet', Properties: { MapPublicIpOnLaunch: true } } };

test('uses the published prices and 720 hours per 30 days', () => {
  expect(HOURLY['ec2:t3.micro']).toBe(0.0104);
  expect(HOURLY['ebs:gp3 per GB']).toBe(0.08 / 730);
  expect(HOURLY['ebs:gp2 per GB']).toBe(0.10 / 730);
  expect(HOURLY['vpc:public IPv4 address']).toBe(0.005);
  expect(HOURLY['cloudwatch:alarm metric, standard resolution']).toBe(0.10 / 730);
  expect(HOURLY['cloudwatch:alarm metric, high resolution']).toBe(0.30 / 730);
  expect(HOURS_PER_30_DAYS).toBe(720);
});

test.each([
  ['t2.micro', 0.0116],
  ['t3.nano', 0.0052],
  ['t3.micro', 0.0104],
  ['t3.small', 0.0208],
  ['t3.medium', 0.0416],
  ['t4g.nano', 0.0042],
  ['t4g.micro', 0.0084],
  ['t4g.small', 0.0168],
  ['t4g.medium', 0.0336],
])('prices a %s at its published $%d/h', (instanceType, hourly) => {
  const lab = cost({ Web: { Type: 'AWS::EC2::Instance', Properties: { InstanceType: instanceType } } });
  expect(lab.lines.find((line) => line.price === `ec2:${instanceType}`)?.hourly).toBe(hourly);
});

test.each([
  ['API Gateway REST API', '$3.50 per million requests'],
  ['Lambda requests', '$0.20 per million requests'],
  ['Lambda arm64 duration', '$0.0000133334 per GB-second'],
  ['Lambda x86 duration', '$0.0000166667 per GB-second'],
  ['DynamoDB on-demand writes', '$0.625 per million write request units'],
  ['DynamoDB on-demand reads', '$0.125 per million read request units'],
  ['NAT gateway data', '$0.045 per GB processed'],
  ['Application Load Balancer LCU', '$0.008 per LCU-hour (about 0 when idle)'],
  ['CloudWatch Logs ingestion', '$0.50 per GB'],
  ['S3 Standard storage', '$0.023 per GB-month'],
  ['S3 PUT, COPY, POST and LIST requests', '$0.005 per 1,000 requests'],
  ['S3 GET, HEAD and other requests', '$0.0004 per 1,000 requests'],
  ['SQS standard requests', '$0.40 per million requests (one per 64 KB of a message)'],
  ['SQS FIFO requests', '$0.50 per million requests (one per 64 KB of a message)'],
  ['EventBridge Scheduler invocations', '$1.00 per million invocations (the first 14 million a month are free)'],
  ['SNS publishes', '$0.50 per million requests (one per 64 KB of a message)'],
  ['SNS email deliveries', '$2.00 per 100,000 emails'],
  ['EventBridge rules on AWS service events', 'no charge (events that AWS services send to the default bus are free)'],
])('prints the pay-per-use price of %s as published: %s', (key, price) => {
  expect(formatCostReport([{ ...cost({}), perUse: [key] }]).split('\n').slice(-1)).toEqual([`    ${key}: ${price}`]);
});

test('prices one t3.micro with 8 GB of gp3 and a public IPv4 at $0.0163/h and $11.72 per 30 days', () => {
  // 0.0104 + 8 x 0.08 / 730 (= 0.000876712) + 0.005 = 0.016276712 per hour; x 720 = 11.719233.
  const lab = cost({
    ...PUBLIC,
    Web: {
      Type: 'AWS::EC2::Instance',
      Properties: { InstanceType: 't3.micro', SubnetId: { Ref: 'Public' }, BlockDeviceMappings: gp3(8) },
    },
  });
  expect(lab.knownHourly).toBeCloseTo(0.016276712, 9);
  expect(costSummary(lab)).toBe('$0.0163/h, $11.72 per 30 days');
});

test('prices 2 t3.micro of 8 GB in public subnets behind an internet-facing ALB in 2 AZs at $0.0651/h '
  + 'and $46.84 per 30 days', () => {
  // 2 x 0.0104 + 16 x 0.08 / 730 (= 0.001753425) + (2 + 2) x 0.005 + 0.0225 = 0.065053425; x 720 = 46.838466.
  const lab = cost({
    ...PUBLIC,
    Template: {
      Type: 'AWS::EC2::LaunchTemplate',
      Properties: { LaunchTemplateData: { InstanceType: 't3.micro', BlockDeviceMappings: gp3(8) } },
    },
    Group: {
      Type: 'AWS::AutoScaling::AutoScalingGroup',
      Properties: {
        MinSize: '2',
        MaxSize: '4',
        LaunchTemplate: { LaunchTemplateId: { Ref: 'Template' } },
        VPCZoneIdentifier: [{ Ref: 'Public' }],
      },
    },
    Alb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Subnets: ['a', 'b'] } },
  });
  expect(lab.knownHourly).toBeCloseTo(0.065053425, 9);
  expect(costSummary(lab)).toBe('$0.0651/h, $46.84 per 30 days');
});

test('prices 2 x86 Fargate tasks of 0.5 vCPU and 1 GB with public IPs at $0.0594/h and $42.75 per 30 days', () => {
  // 1 vCPU x 0.04048 + 2 GB x 0.004445 + 2 x 0.005 = 0.05937; x 720 = 42.7464.
  const lab = cost({
    Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { Cpu: '512', Memory: '1024' } },
    Service: {
      Type: 'AWS::ECS::Service',
      Properties: {
        LaunchType: 'FARGATE',
        DesiredCount: 2,
        TaskDefinition: { Ref: 'Task' },
        NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'ENABLED' } },
      },
    },
  });
  expect(lab.knownHourly).toBeCloseTo(0.05937, 9);
  expect(costSummary(lab)).toBe('$0.0594/h, $42.75 per 30 days');
});

test('prices the same tasks on arm64 at $0.0495/h and $35.64 per 30 days', () => {
  // 1 vCPU x 0.03238 + 2 GB x 0.00356 + 2 x 0.005 = 0.0495; x 720 = 35.64.
  const lab = cost({
    Task: {
      Type: 'AWS::ECS::TaskDefinition',
      Properties: { Cpu: '512', Memory: '1024', RuntimePlatform: { CpuArchitecture: 'ARM64' } },
    },
    Service: {
      Type: 'AWS::ECS::Service',
      Properties: {
        LaunchType: 'FARGATE',
        DesiredCount: 2,
        TaskDefinition: { Ref: 'Task' },
        NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'ENABLED' } },
      },
    },
  });
  expect(lab.knownHourly).toBeCloseTo(0.0495, 9);
  expect(costSummary(lab)).toBe('$0.0495/h, $35.64 per 30 days');
});

test('prices a NAT gateway and its Elastic IP at $0.0500/h and $36.00 per 30 days', () => {
  // 0.045 + 0.005 = 0.05; x 720 = 36.
  const lab = cost({ Nat: { Type: 'AWS::EC2::NatGateway' }, Ip: { Type: 'AWS::EC2::EIP' } });
  expect(lab.knownHourly).toBeCloseTo(0.05, 9);
  expect(costSummary(lab)).toBe('$0.0500/h, $36.00 per 30 days');
});

test('rounds to 4 decimals per hour and 2 per 30 days: $0.00005/h is $0.0001/h and $0.04 per 30 days', () => {
  // 0.45625 GB of gp3: 0.45625 x 0.08 / 730 = 0.00005 per hour; x 720 = 0.036.
  const lab = cost({
    Disk: {
      Type: 'AWS::EC2::Instance',
      Properties: { InstanceType: 'unpriced.type', BlockDeviceMappings: gp3(0.45625) },
    },
  });
  expect(lab.knownHourly).toBe(0.00005);
  expect(costSummary(lab)).toBe('at least $0.0001/h, at least $0.04 per 30 days');
});

describe('CloudWatch alarms', () => {
  const alarm = (Period: number) => ({
    Type: 'AWS::CloudWatch::Alarm',
    Properties: { MetricName: 'CPUUtilization', Namespace: 'AWS/EC2', Period, EvaluationPeriods: 1 },
  });
  const metricStat = (Id: string) => ({
    Id, MetricStat: { Metric: { MetricName: Id, Namespace: 'AWS/SQS' }, Period: 60, Stat: 'Maximum' },
  });

  test('prices an alarm on 1 metric and one on a math expression of 2 at 3 alarm metrics: $0.0004/h and '
    + '$0.30 per 30 days', () => {
    // 3 x 0.10 / 730 = 0.000410959 per hour; x 720 = 0.295890.
    const lab = cost({
      Waiting: alarm(60),
      Idle: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          EvaluationPeriods: 5,
          Metrics: [{ Id: 'e', Expression: 'a + b', ReturnData: true }, metricStat('a'), metricStat('b')],
        },
      },
    });
    expect(lab.knownHourly).toBeCloseTo(0.000410959, 9);
    expect(costSummary(lab)).toBe('$0.0004/h, $0.30 per 30 days');
  });

  test('prices 10 standard alarm metrics at $0.0014/h and $0.99 per 30 days', () => {
    // 10 x 0.10 / 730 = 0.001369863 per hour; x 720 = 0.986301.
    const lab = cost(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`Alarm${i}`, alarm(300)])));
    expect(lab.knownHourly).toBeCloseTo(0.001369863, 9);
    expect(costSummary(lab)).toBe('$0.0014/h, $0.99 per 30 days');
  });

  test('prices one high-resolution alarm metric as 3 standard ones: $0.0004/h and $0.30 per 30 days', () => {
    // 0.30 / 730 = 0.000410959 per hour.
    const lab = cost({ Fast: alarm(10) });
    expect(lab.knownHourly).toBeCloseTo(0.000410959, 9);
    expect(costSummary(lab)).toBe('$0.0004/h, $0.30 per 30 days');
  });

  test('says an alarm it cannot count makes the total a lower bound', () => {
    const lab = cost({
      Query: { Type: 'AWS::CloudWatch::Alarm', Properties: { Metrics: [{ Id: 'q', Expression: 'SELECT 1' }] } },
    });
    expect(lab.incomplete).toBe(true);
    expect(costSummary(lab)).toBe('at least $0.0000/h, at least $0.00 per 30 days');
  });
});

describe('the tasks a Fargate service\'s scaler may start, per task-hour', () => {
  const scaled = ({ min, max, task = {}, publicIp = 'ENABLED' }:
    { min: number; max: number; task?: object; publicIp?: string }) => cost({
    Task: {
      Type: 'AWS::ECS::TaskDefinition',
      Properties: { Cpu: '256', Memory: '512', RuntimePlatform: { CpuArchitecture: 'ARM64' }, ...task },
    },
    Service: {
      Type: 'AWS::ECS::Service',
      Properties: {
        LaunchType: 'FARGATE',
        TaskDefinition: { Ref: 'Task' },
        NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: publicIp } },
      },
    },
    Target: {
      Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
      Properties: {
        ScalableDimension: 'ecs:service:DesiredCount',
        ResourceId: { 'Fn::GetAtt': ['Service', 'Name'] },
        MinCapacity: min,
        MaxCapacity: max,
      },
    },
  }).scaledServices[0];

  test('prices an arm64 worker of 0.25 vCPU and 0.5 GB with a public IPv4 at $0.0149 per task-hour, '
    + 'and 0 to 4 of them at most $0.0595/h', () => {
    // 0.25 x 0.03238 + 0.5 x 0.00356 + 0.005 = 0.014875 per task-hour; x 4 = 0.0595.
    const workers = scaled({ min: 0, max: 4 });
    expect(workers.taskHourly).toBeCloseTo(0.014875, 12);
    expect(formatScaledTasks(workers)).toBe('Fargate service tasks (arm64, 0.25 vCPU, 0.5 GB, public IPv4 each): '
      + '$0.0149 per task-hour while they run (billed per second, 1 minute minimum)');
    expect(formatScaler(workers)).toBe('Service: its scaler runs 0 to 4 tasks, at most $0.0595/h while all 4 run');
  });

  test('prices only the 2 tasks above a minimum of 2 that the idle cost counts: x86 of 0.5 vCPU and 1 GB with '
    + 'a public IPv4, $0.0297 per task-hour, at most $0.0594/h on top', () => {
    // 0.5 x 0.04048 + 1 x 0.004445 + 0.005 = 0.029685 per task-hour; x 2 = 0.05937.
    const service = scaled({ min: 2, max: 4, task: { Cpu: '512', Memory: '1024', RuntimePlatform: undefined } });
    expect(service.taskHourly).toBeCloseTo(0.029685, 12);
    expect(formatScaledTasks(service)).toBe('Fargate service tasks (x86, 0.5 vCPU, 1 GB, public IPv4 each): '
      + '$0.0297 per task-hour while they run (billed per second, 1 minute minimum)');
    expect(formatScaler(service)).toBe('Service: its scaler runs 2 to 4 tasks; the idle cost counts 2, '
      + 'the 2 more it may start at most $0.0594/h on top');
  });

  test('prices arm64 tasks of 1 vCPU and 2 GB without a public IPv4 at $0.0395 per task-hour, 3 at most '
    + '$0.1185/h', () => {
    // 1 x 0.03238 + 2 x 0.00356 = 0.0395 per task-hour; x 3 = 0.1185.
    const service = scaled({ min: 0, max: 3, task: { Cpu: '1024', Memory: '2048' }, publicIp: 'DISABLED' });
    expect(service.taskHourly).toBeCloseTo(0.0395, 12);
    expect(formatScaledTasks(service)).toBe('Fargate service tasks (arm64, 1 vCPU, 2 GB): '
      + '$0.0395 per task-hour while they run (billed per second, 1 minute minimum)');
    expect(formatScaler(service)).toBe('Service: its scaler runs 0 to 3 tasks, at most $0.1185/h while all 3 run');
  });

  test('says the price is unknown, never zero, when the template does not give the task\'s size', () => {
    const workers = scaled({ min: 0, max: 4, task: { Cpu: { Ref: 'CpuParameter' } } });
    expect(workers.taskHourly).toBeUndefined();
    expect(formatScaledTasks(workers)).toBe('Fargate service tasks (arm64, a size set at deploy time, public IPv4 '
      + 'each): unknown (the template does not give the task\'s size)');
    expect(formatScaler(workers)).toBe('Service: its scaler runs 0 to 4 tasks');
    expect(formatScaler(scaled({ min: 2, max: 4, task: { Memory: { Ref: 'MemoryParameter' } } })))
      .toBe('Service: its scaler runs 2 to 4 tasks; the idle cost counts 2, it may start 2 more');
  });

  test('lists the scaled tasks first among the pay-per-use prices, under "nothing runs while idle" '
    + 'when the scaler\'s minimum is 0', () => {
    const lab = { ...labCost('Workers', costDrivers({ Resources: {} })), perUse: ['SQS standard requests'] };
    const report = formatCostReport([{ ...lab, scaledServices: [scaled({ min: 0, max: 4 })] }]);
    expect(report.split('\n').slice(-6)).toEqual([
      'Workers',
      '  nothing runs while idle',
      '  pay per use, on top:',
      '    Fargate service tasks (arm64, 0.25 vCPU, 0.5 GB, public IPv4 each): $0.0149 per task-hour while they run '
        + '(billed per second, 1 minute minimum)',
      '      Service: its scaler runs 0 to 4 tasks, at most $0.0595/h while all 4 run',
      '    SQS standard requests: $0.40 per million requests (one per 64 KB of a message)',
    ]);
  });
});

describe('the report', () => {
  const web = cost({
    Web: {
      Type: 'AWS::EC2::Instance',
      Properties: {
        InstanceType: 't3.micro',
        BlockDeviceMappings: gp3(8),
        NetworkInterfaces: [{ AssociatePublicIpAddress: true }],
      },
    },
  });

  test('prints each lab\'s line and breakdown, with the price of each line', () => {
    const report = formatCostReport([{ ...web, lab: 'Web' }, { ...cost({}), lab: 'LongerName' }]).split('\n');
    expect(report[0]).toMatch(/^Idle cost per lab, us-east-1 on-demand prices of \d{4}-\d\d-\d\d \(npm run cost\):$/);
    expect(report.slice(1, 4))
      .toEqual(['', '  Web         $0.0163/h, $11.72 per 30 days', '  LongerName  $0.0000/h, $0.00 per 30 days']);
    expect(report).toContain(`  ${'1 x t3.micro'.padEnd(44)} ${'$0.0104/h'.padStart(12)}   Web`);
    expect(report).toContain(`  ${'8 x gp3 per GB'.padEnd(44)} ${'$0.0009/h'.padStart(12)}   Web /dev/xvda`);
    expect(report).toContain(`  ${'1 x public IPv4 address'.padEnd(44)} ${'$0.0050/h'.padStart(12)}   Web`);
    expect(report.slice(-2)).toEqual(['LongerName', '  nothing runs while idle']);
    // Only the lab with no idle cost says so.
    expect(report.filter((line) => line.includes('nothing runs while idle'))).toHaveLength(1);
  });

  test('prints a fractional quantity with 2 decimals and a whole one without', () => {
    const tasks = cost({
      Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { Cpu: '256', Memory: '512' } },
      Service: {
        Type: 'AWS::ECS::Service',
        Properties: { LaunchType: 'FARGATE', DesiredCount: 1, TaskDefinition: { Ref: 'Task' } },
      },
    });
    const report = formatCostReport([tasks]);
    expect(report).toContain('  0.25 x x86 vCPU');
    expect(report).toContain('  0.50 x x86 GB');
  });

  test('lists the pay-per-use prices, and "unknown" for one without a price', () => {
    const report = formatCostReport([{
      ...cost({ Fn: { Type: 'AWS::Lambda::Function', Properties: {} } }),
      perUse: ['Lambda requests', 'Something new'],
    }]);
    expect(report).toContain(
      '  pay per use, on top:\n    Lambda requests: $0.20 per million requests\n    Something new: unknown',
    );
  });

  test('says when some prices are unknown', () => {
    const unknown = cost({ Big: { Type: 'AWS::EC2::Instance', Properties: { InstanceType: 'x9.huge' } } });
    expect(formatCostReport([unknown]).split('\n')[2])
      .toBe('  Lab  at least $0.0000/h, at least $0.00 per 30 days  (some prices unknown)');
    expect(formatCostReport([web]).split('\n')[2]).toBe('  Lab  $0.0163/h, $11.72 per 30 days');
  });
});
