import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { costDrivers } from '../../lib/cost/drivers';
import { costSummary, formatCostReport, formatScaler, labCost } from '../../lib/cost/report';
import { synthLabs, templateOf, testAppProps } from '../helpers/synth';

const costOf = (name: string, template: any) => labCost(name, costDrivers(template));
const hourlyBy = (cost: ReturnType<typeof costOf>) =>
  Object.fromEntries(cost.lines.map((line) => [line.price, [line.quantity, line.hourly]]));
/** The logical ids of a template's resources of one type. */
const idsOf = (template: any, type: string) => Object.keys(template.Resources)
  .filter((id) => template.Resources[id].Type === type);

test('prices the CDK default VPC: 2 NAT gateways and their 2 Elastic IPs, $0.10/h before any workload', () => {
  const stack = new Stack(new App(testAppProps()), 'DefaultVpc');
  new ec2.Vpc(stack, 'Vpc');
  const cost = costOf('DefaultVpc', Template.fromStack(stack).toJSON());
  expect(hourlyBy(cost)).toEqual({ 'vpc:NAT gateway': [2, 0.09], 'vpc:public IPv4 address': [2, 0.01] });
  expect(costSummary(cost)).toBe('$0.1000/h, $72.00 per 30 days');
  expect(cost.perUse).toContain('NAT gateway data');
});

test('prices the Ec2WebServerLab: a t3.micro, its public IPv4 and 8 GB of gp3', () => {
  const cost = costOf('Ec2WebServerLab', synthLabs(['Ec2WebServerLab']).templates.Ec2WebServerLab);
  expect(hourlyBy(cost)).toEqual({
    'ec2:t3.micro': [1, 0.0104],
    'vpc:public IPv4 address': [1, 0.005],
    'ebs:gp3 per GB': [8, 8 * 0.08 / 730],
  });
  expect(costSummary(cost)).toBe('$0.0163/h, $11.72 per 30 days');
  expect(cost.perUse).toEqual(['CloudWatch Logs ingestion']);
});

test('counts an Auto Scaling group at its desired capacity and an internet-facing ALB with one address per AZ', () => {
  const template = {
    Resources: {
      SubnetA: { Type: 'AWS::EC2::Subnet', Properties: { MapPublicIpOnLaunch: true } },
      SubnetB: { Type: 'AWS::EC2::Subnet', Properties: { MapPublicIpOnLaunch: true } },
      Template: {
        Type: 'AWS::EC2::LaunchTemplate',
        Properties: {
          LaunchTemplateData: {
            InstanceType: 't3.micro',
            BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 8, VolumeType: 'gp3' } }],
          },
        },
      },
      Group: {
        Type: 'AWS::AutoScaling::AutoScalingGroup',
        Properties: {
          MinSize: '1',
          DesiredCapacity: '2',
          MaxSize: '4',
          LaunchTemplate: { LaunchTemplateId: { Ref: 'Template' } },
          VPCZoneIdentifier: [{ Ref: 'SubnetA' }, { Ref: 'SubnetB' }],
        },
      },
      Alb: {
        Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
        Properties: { Scheme: 'internet-facing', Subnets: [{ Ref: 'SubnetA' }, { Ref: 'SubnetB' }] },
      },
    },
  };
  const cost = costOf('Fleet', template);
  expect(hourlyBy(cost)).toEqual({
    'ec2:t3.micro': [2, 0.0208],
    'ebs:gp3 per GB': [16, 16 * 0.08 / 730],
    'vpc:public IPv4 address': [4, 0.02],
    'elb:Application Load Balancer': [1, 0.0225],
  });
  expect(costSummary(cost)).toBe('$0.0651/h, $46.84 per 30 days');
});

test('counts Fargate tasks by vCPU, GB and public address', () => {
  const template = {
    Resources: {
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
    },
  };
  const cost = costOf('Tasks', template);
  expect(hourlyBy(cost)).toEqual({
    'fargate:x86 vCPU': [1, 0.04048],
    'fargate:x86 GB': [2, 0.00889],
    'vpc:public IPv4 address': [2, 0.01],
  });
  expect(costSummary(cost)).toBe('$0.0594/h, $42.75 per 30 days');
});

test('counts a single-instance Beanstalk environment: its instance, root volume and Elastic IP', () => {
  const template = {
    Resources: {
      Environment: {
        Type: 'AWS::ElasticBeanstalk::Environment',
        Properties: {
          OptionSettings: [
            { Namespace: 'aws:elasticbeanstalk:environment', OptionName: 'EnvironmentType', Value: 'SingleInstance' },
            { Namespace: 'aws:ec2:instances', OptionName: 'InstanceTypes', Value: 't3.micro' },
            { Namespace: 'aws:autoscaling:launchconfiguration', OptionName: 'RootVolumeSize', Value: '8' },
          ],
        },
      },
    },
  };
  expect(hourlyBy(costOf('Beanstalk', template))).toEqual({
    'ec2:t3.micro': [1, 0.0104],
    'ebs:gp3 per GB': [8, 8 * 0.08 / 730],
    'vpc:public IPv4 address': [1, 0.005],
  });
});

test('lists pay-per-use prices for API Gateway, Lambda and on-demand DynamoDB, idle cost zero', () => {
  const template = {
    Resources: {
      Api: { Type: 'AWS::ApiGateway::RestApi', Properties: {} },
      Fn: { Type: 'AWS::Lambda::Function', Properties: { Architectures: ['arm64'] } },
      Table: { Type: 'AWS::DynamoDB::Table', Properties: { BillingMode: 'PAY_PER_REQUEST' } },
    },
  };
  const cost = costOf('Serverless', template);
  expect(cost.lines).toEqual([]);
  expect(costSummary(cost)).toBe('$0.0000/h, $0.00 per 30 days');
  expect(cost.perUse).toEqual([
    'API Gateway REST API',
    'DynamoDB on-demand reads',
    'DynamoDB on-demand writes',
    'Lambda arm64 duration',
    'Lambda requests',
  ]);
});

test('reports a price missing from the table as unknown, and the total as a lower bound, never as zero', () => {
  const template = {
    Resources: {
      Big: {
        Type: 'AWS::EC2::Instance',
        Properties: {
          InstanceType: 'x2iedn.32xlarge',
          BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 8, VolumeType: 'gp3' } }],
        },
      },
    },
  };
  const cost = costOf('Big', template);
  expect(cost.incomplete).toBe(true);
  expect(cost.lines.find((line) => line.price === 'ec2:x2iedn.32xlarge')?.hourly).toBeUndefined();
  expect(costSummary(cost)).toBe('at least $0.0009/h, at least $0.63 per 30 days');
  expect(formatCostReport([cost])).toContain('unknown (no price in the table)');
});

test('prices the Ec2AsgAlbLab at its minimum: ALB with 2 addresses, 2 t3.micro with their addresses '
  + 'and volumes', () => {
  const cost = costOf('Ec2AsgAlbLab', synthLabs(['Ec2AsgAlbLab']).templates.Ec2AsgAlbLab);
  expect(hourlyBy(cost)).toEqual({
    'ec2:t3.micro': [2, 0.0208],
    'ebs:gp3 per GB': [16, 16 * 0.08 / 730],
    'vpc:public IPv4 address': [4, 0.02],
    'elb:Application Load Balancer': [1, 0.0225],
  });
  expect(costSummary(cost)).toBe('$0.0651/h, $46.84 per 30 days');
});

test('prices the LambdaUsersLab at nothing while idle, and lists what it costs per use', () => {
  const cost = costOf('LambdaUsersLab', synthLabs(['LambdaUsersLab']).templates.LambdaUsersLab);
  expect(cost.lines).toEqual([]);
  expect(costSummary(cost)).toBe('$0.0000/h, $0.00 per 30 days');
  expect(cost.perUse).toEqual([
    'API Gateway REST API',
    'CloudWatch Logs ingestion',
    'DynamoDB on-demand reads',
    'DynamoDB on-demand writes',
    'Lambda arm64 duration',
    'Lambda requests',
  ]);
});

test('prices the S3UploadsLab at nothing while idle, and lists what it costs per use, each with a price', () => {
  const cost = costOf('S3UploadsLab', synthLabs(['S3UploadsLab']).templates.S3UploadsLab);
  expect(cost.lines).toEqual([]);
  expect(costSummary(cost)).toBe('$0.0000/h, $0.00 per 30 days');
  // CDK's functions that empty the bucket and write its notification settings run at deploy and delete time only.
  expect(cost.perUse).toEqual([
    'CloudWatch Logs ingestion',
    'DynamoDB on-demand reads',
    'DynamoDB on-demand writes',
    'Lambda arm64 duration',
    'Lambda requests',
    'S3 GET, HEAD and other requests',
    'S3 PUT, COPY, POST and LIST requests',
    'S3 Standard storage',
    'SQS standard requests',
  ]);
  const report = formatCostReport([cost]);
  expect(report).toContain('S3UploadsLab\n  nothing runs while idle\n  pay per use, on top:');
  expect(report).toContain('    S3 Standard storage: $0.023 per GB-month');
  expect(report).toContain('    S3 PUT, COPY, POST and LIST requests: $0.005 per 1,000 requests');
  expect(report).toContain('    S3 GET, HEAD and other requests: $0.0004 per 1,000 requests');
  expect(report).toContain('    SQS standard requests: $0.40 per million requests (one per 64 KB of a message)');
  expect(report).toContain('    Lambda arm64 duration: $0.0000133334 per GB-second');
  expect(report).toContain('    DynamoDB on-demand writes: $0.625 per million write request units');
  expect(report).not.toContain('unknown');
});

test('prices the FargateServiceLab: 2 tasks of 0.5 vCPU and 1 GB with a public IPv4 each', () => {
  const cost = costOf('FargateServiceLab', synthLabs(['FargateServiceLab']).templates.FargateServiceLab);
  expect(hourlyBy(cost)).toEqual({
    'fargate:x86 vCPU': [1, 0.04048],
    'fargate:x86 GB': [2, 0.00889],
    'vpc:public IPv4 address': [2, 0.01],
  });
  expect(costSummary(cost)).toBe('$0.0594/h, $42.75 per 30 days');
});

test('prices the BeanstalkAppLab at least at one t3.micro and its Elastic IP: the platform image sets '
  + 'the root volume', () => {
  const cost = costOf('BeanstalkAppLab', synthLabs(['BeanstalkAppLab']).templates.BeanstalkAppLab);
  expect(hourlyBy(cost)).toEqual({
    'ec2:t3.micro': [1, 0.0104],
    'ebs:root volume size set by the AMI': [1, undefined],
    'vpc:public IPv4 address': [1, 0.005],
  });
  expect(costSummary(cost)).toBe('at least $0.0154/h, at least $11.09 per 30 days');
});

describe('a scaled FargateServiceLab (-c autoScaling=true)', () => {
  const template = templateOf(synthLabs(['FargateServiceLab'], { context: { autoScaling: 'true' } }),
    'FargateServiceLab');

  test('prices the lab at its scaler\'s minimum of 2 tasks, which the template leaves to the scaler', () => {
    expect(costSummary(costOf('FargateServiceLab', template))).toBe('$0.0594/h, $42.75 per 30 days');
  });

  test('lists the 2 tasks the scaler may start above its minimum, at most $0.0594/h on top', () => {
    // 0.5 vCPU x 0.04048 + 1 GB x 0.004445 + a public IPv4 0.005 = 0.029685 per task-hour; x 2 = 0.05937.
    const report = formatCostReport([costOf('FargateServiceLab', template)]);
    const [service] = idsOf(template, 'AWS::ECS::Service');
    expect(report).toContain([
      '  pay per use, on top:',
      '    Fargate service tasks (x86, 0.5 vCPU, 1 GB, public IPv4 each): $0.0297 per task-hour while they run '
        + '(billed per second, 1 minute minimum)',
      `      ${service}: its scaler runs 2 to 4 tasks; the idle cost counts 2, the 2 more it may start at most `
        + '$0.0594/h on top',
    ].join('\n'));
  });

  test('lists no scaled tasks without the scaler', () => {
    const cost = costOf('FargateServiceLab', synthLabs(['FargateServiceLab']).templates.FargateServiceLab);
    expect(cost.scaledServices).toEqual([]);
    expect(formatCostReport([cost])).not.toContain('Fargate service tasks');
  });
});

describe('the SqsWorkersLab', () => {
  const lab = 'SqsWorkersLab';
  const template = templateOf(synthLabs([lab]), lab);

  test('prices the lab at its alarms\' 3 metrics while idle: no worker runs, the scaler\'s minimum is 0', () => {
    // One alarm on 1 metric, one on a math expression of 2: 3 x 0.10 / 730 = 0.000410959 per hour; x 720 = 0.2959.
    const cost = costOf(lab, template);
    expect(hourlyBy(cost)).toEqual({ 'cloudwatch:alarm metric, standard resolution': [3, 3 * (0.10 / 730)] });
    expect(costSummary(cost)).toBe('$0.0004/h, $0.30 per 30 days');
    expect(cost.perUse).toEqual([
      'CloudWatch Logs ingestion',
      'DynamoDB on-demand reads',
      'DynamoDB on-demand writes',
      'SQS standard requests',
    ]);
  });

  test('prices each worker per task-hour while it runs, up to the scaler\'s 4', () => {
    // 0.25 vCPU x 0.03238 + 0.5 GB x 0.00356 + a public IPv4 0.005 = 0.014875 per task-hour.
    expect(costOf(lab, template).scaledServices).toEqual([{
      service: idsOf(template, 'AWS::ECS::Service')[0],
      architecture: 'arm64',
      vcpu: 0.25,
      memoryGb: 0.5,
      publicIp: true,
      minimum: 0,
      maximum: 4,
      idleTasks: 0,
      taskHourly: expect.closeTo(0.014875, 12),
    }]);
  });

  test('prints the alarms, the workers at most $0.0595/h while all 4 run, and the per-use prices', () => {
    // 4 x 0.014875 = 0.0595.
    const [waiting, idle] = idsOf(template, 'AWS::CloudWatch::Alarm');
    const label = '3 x alarm metric, standard resolution';
    expect(formatCostReport([costOf(lab, template)]).split('\n').slice(4)).toEqual([
      'SqsWorkersLab',
      `  ${label.padEnd(44)} ${'$0.0004/h'.padStart(12)}   ${waiting} (1 metric); ${idle} (2 metrics)`,
      '  pay per use, on top:',
      '    Fargate service tasks (arm64, 0.25 vCPU, 0.5 GB, public IPv4 each): $0.0149 per task-hour while they run '
        + '(billed per second, 1 minute minimum)',
      `      ${idsOf(template, 'AWS::ECS::Service')[0]}: its scaler runs 0 to 4 tasks, at most $0.0595/h while all 4 `
        + 'run',
      '    CloudWatch Logs ingestion: $0.50 per GB',
      '    DynamoDB on-demand reads: $0.125 per million read request units',
      '    DynamoDB on-demand writes: $0.625 per million write request units',
      '    SQS standard requests: $0.40 per million requests (one per 64 KB of a message)',
    ]);
  });

  test('reads the maximum from the scaler: 8 workers (-c maxWorkers=8) at most $0.1190/h', () => {
    // 8 x 0.014875 = 0.119.
    const eight = templateOf(synthLabs([lab], { context: { maxWorkers: '8' } }), lab);
    const [workers] = costOf(lab, eight).scaledServices;
    expect(workers).toMatchObject({ minimum: 0, maximum: 8 });
    expect(formatScaler(workers)).toMatch(/: its scaler runs 0 to 8 tasks, at most \$0\.1190\/h while all 8 run$/);
    expect(costSummary(costOf(lab, eight))).toBe('$0.0004/h, $0.30 per 30 days');
  });
});

describe('the EcsEventTasksLab', () => {
  const lab = 'EcsEventTasksLab';
  const template = templateOf(synthLabs([lab]), lab);
  /** The logical id of the one resource of the type that starts the lab's task. */
  const starterOf = (synthesized: any, type: string) => Object.entries<any>(synthesized.Resources)
    .filter(([, resource]) => resource.Type === type && JSON.stringify(resource.Properties).includes('EcsParameters'))
    .map(([id]) => id);
  const PER_USE_WITHOUT_SCHEDULE = [
    'CloudWatch Logs ingestion',
    'DynamoDB on-demand reads',
    'DynamoDB on-demand writes',
    'EventBridge rules on AWS service events',
    'S3 GET, HEAD and other requests',
    'S3 PUT, COPY, POST and LIST requests',
    'S3 Standard storage',
    'SNS publishes',
    'SQS standard requests',
  ];

  test('prices the lab at nothing while idle: no service, only tasks that an upload or the schedule starts', () => {
    const cost = costOf(lab, template);
    expect(cost.lines).toEqual([]);
    expect(costSummary(cost)).toBe('$0.0000/h, $0.00 per 30 days');
    expect(cost.perUse).toEqual([...PER_USE_WITHOUT_SCHEDULE, 'EventBridge Scheduler invocations'].sort());
  });

  test('prices one run of its task, which the upload rule and the hourly schedule both start', () => {
    // 0.25 vCPU x 0.03238 + 0.5 GB x 0.00356 + a public IPv4 0.005 = 0.014875 per hour of run.
    const [rule] = starterOf(template, 'AWS::Events::Rule');
    const [sweep] = starterOf(template, 'AWS::Scheduler::Schedule');
    const { taskRuns } = costOf(lab, template);
    expect(taskRuns).toEqual([{
      architecture: 'arm64',
      vcpu: 0.25,
      memoryGb: 0.5,
      publicIp: true,
      taskCount: 1,
      startedBy: [{ starter: rule, when: 'each matching event' }, { starter: sweep, when: 'rate(1 hour)' }],
      hourly: expect.closeTo(0.014875, 12),
    }]);
  });

  test('prints the task run, the sweep\'s 720 runs at their minimum and the free AWS events', () => {
    // 720 runs x 0.014875 / 60 = 0.1785.
    const [rule] = starterOf(template, 'AWS::Events::Rule');
    const [sweep] = starterOf(template, 'AWS::Scheduler::Schedule');
    const report = formatCostReport([costOf(lab, template)]);
    expect(report).toContain([
      'EcsEventTasksLab',
      '  nothing runs while idle but the scheduled task runs below',
      '  pay per use, on top:',
      '    Fargate task run (arm64, 0.25 vCPU, 0.5 GB, public IPv4): $0.0149 per hour of run, $0.00025 per minute '
        + '(billed per second, 1 minute minimum)',
      `      started by ${rule} (each matching event), ${sweep} (rate(1 hour): 720 runs per 30 days, at least $0.18)`,
      '    CloudWatch Logs ingestion: $0.50 per GB',
    ].join('\n'));
    expect(report).toContain(
      '    EventBridge Scheduler invocations: $1.00 per million invocations (the first 14 million a month are free)',
    );
    expect(report).toContain('    EventBridge rules on AWS service events: '
      + 'no charge (events that AWS services send to the default bus are free)');
    expect(report).toContain('    SNS publishes: $0.50 per million requests (one per 64 KB of a message)');
    expect(report).not.toContain('unknown');
  });

  test('prices the lab without its schedule (-c schedule=off): uploads alone start the task, '
    + 'and nothing runs while idle', () => {
    const off = templateOf(synthLabs([lab], { context: { schedule: 'off' } }), lab);
    const cost = costOf(lab, off);
    expect(costSummary(cost)).toBe('$0.0000/h, $0.00 per 30 days');
    expect(cost.perUse).toEqual(PER_USE_WITHOUT_SCHEDULE);
    expect(cost.taskRuns.map((run) => run.startedBy))
      .toEqual([[{ starter: starterOf(off, 'AWS::Events::Rule')[0], when: 'each matching event' }]]);
    expect(formatCostReport([cost])).toContain('EcsEventTasksLab\n  nothing runs while idle\n  pay per use, on top:\n');
  });

  test('lists SNS email deliveries only when the lab subscribes an address (-c notifyEmail=...)', () => {
    const withEmail = templateOf(synthLabs([lab], { context: { notifyEmail: 'student@example.com' } }), lab);
    expect(costOf(lab, withEmail).perUse).toContain('SNS email deliveries');
    expect(costOf(lab, template).perUse).not.toContain('SNS email deliveries');
    expect(formatCostReport([costOf(lab, withEmail)])).toContain('    SNS email deliveries: $2.00 per 100,000 emails');
  });
});
