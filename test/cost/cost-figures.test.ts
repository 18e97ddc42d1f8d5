import { costDrivers } from '../../lib/cost/drivers';
import { HOURLY, HOURS_PER_30_DAYS } from '../../lib/cost/prices';
import { costSummary, formatCostReport, labCost } from '../../lib/cost/report';

// The figures the lab guides quote, worked out by hand from the price table (us-east-1 on-demand, USD):
//   t3.micro 0.0104/h; gp3 0.08 per GB-month = 0.08/730 per GB-hour; a public IPv4 0.005/h; ALB 0.0225/h;
//   Fargate x86 0.04048 per vCPU-hour and 0.004445 per GB-hour, arm64 0.03238 and 0.00356; NAT gateway 0.045/h.
//   30 days = 720 hours.
const cost = (resources: Record<string, object>) => labCost('Lab', costDrivers({ Resources: resources as never }));
const gp3 = (size: number) => [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: size, VolumeType: 'gp3' } }];
const PUBLIC = { Public: { Type: 'AWS::EC2::Subnet', Properties: { MapPublicIpOnLaunch: true } } };

test('uses the published prices and 720 hours per 30 days', () => {
  expect(HOURLY['ec2:t3.micro']).toBe(0.0104);
  expect(HOURLY['ebs:gp3 per GB']).toBe(0.08 / 730);
  expect(HOURLY['ebs:gp2 per GB']).toBe(0.10 / 730);
  expect(HOURLY['vpc:public IPv4 address']).toBe(0.005);
  expect(HOURS_PER_30_DAYS).toBe(720);
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
