import { costDrivers } from '../../lib/cost/drivers';
import { formatCostReport, formatStarters, formatTaskRun, labCost } from '../../lib/cost/report';
import { fargateTaskStarts, runsPer30Days } from '../../lib/cost/task-starts';

// Fargate tasks that EventBridge rules and Scheduler schedules start, priced per run, and the per-use prices of the
// services that start them, on hand-written templates. Figures worked out by hand from the price table (us-east-1):
//   Fargate arm64 0.03238 per vCPU-hour and 0.00356 per GB-hour, x86 0.04048 and 0.004445; a public IPv4 0.005/h.
const template = (resources: Record<string, object>) => ({ Resources: resources as never });
const drivers = (resources: Record<string, object>) => costDrivers(template(resources));
const cost = (resources: Record<string, object>) => labCost('Lab', drivers(resources));

const ARM64 = { RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' } };
const task = (props: object = {}) => ({
  Type: 'AWS::ECS::TaskDefinition',
  Properties: { Cpu: '256', Memory: '512', ...ARM64, ...props },
});
/** EcsParameters as EventBridge writes them (AwsVpcConfiguration). */
const ruleEcs = (props: object = {}, assignPublicIp = 'ENABLED') => ({
  LaunchType: 'FARGATE',
  TaskDefinitionArn: { Ref: 'Task' },
  NetworkConfiguration: { AwsVpcConfiguration: { AssignPublicIp: assignPublicIp, Subnets: ['subnet-1'] } },
  ...props,
});
const rule = (ecs: object | undefined, props: object = {}) => ({
  Type: 'AWS::Events::Rule',
  Properties: {
    EventPattern: { source: ['aws.s3'], 'detail-type': ['Object Created'] },
    Targets: [{ Id: 'Target0', Arn: 'cluster-arn', ...(ecs ? { EcsParameters: ecs } : {}) }],
    ...props,
  },
});
/** A schedule's target, with EcsParameters as Scheduler writes them (AwsvpcConfiguration). */
const schedule = (expression = 'rate(1 hour)', assignPublicIp = 'ENABLED', ecs: object = {}) => ({
  Type: 'AWS::Scheduler::Schedule',
  Properties: {
    ScheduleExpression: expression,
    FlexibleTimeWindow: { Mode: 'OFF' },
    Target: {
      Arn: 'cluster-arn',
      RoleArn: 'role-arn',
      EcsParameters: {
        LaunchType: 'FARGATE',
        TaskDefinitionArn: { Ref: 'Task' },
        NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: assignPublicIp, Subnets: ['subnet-1'] } },
        ...ecs,
      },
    },
  },
});

describe('the Fargate tasks that rules and schedules start', () => {
  test('reads a rule\'s task: its size, architecture and public IPv4, one task on each matching event', () => {
    expect(fargateTaskStarts(template({ Task: task(), OnUpload: rule(ruleEcs()) }))).toEqual([{
      starter: 'OnUpload',
      when: 'each matching event',
      taskDefinition: 'Task',
      architecture: 'arm64',
      vcpu: 0.25,
      memoryGb: 0.5,
      publicIp: true,
      taskCount: 1,
    }]);
  });

  test('reads a schedule\'s task, with Scheduler\'s spelling of the network settings, and its expression', () => {
    expect(fargateTaskStarts(template({ Task: task(), Sweep: schedule('cron(0 3 * * ? *)') }))).toEqual([
      expect.objectContaining({ starter: 'Sweep', when: 'cron(0 3 * * ? *)', publicIp: true, taskCount: 1 }),
    ]);
  });

  test('names a schedule without an expression "its schedule"', () => {
    const sweep = schedule();
    delete (sweep.Properties as Partial<typeof sweep.Properties>).ScheduleExpression;
    expect(fargateTaskStarts(template({ Task: task(), Sweep: sweep })))
      .toEqual([expect.objectContaining({ starter: 'Sweep', when: 'its schedule' })]);
  });

  test('reads the expression of a scheduled rule', () => {
    const nightly = rule(ruleEcs(), { ScheduleExpression: 'rate(1 day)' });
    expect(fargateTaskStarts(template({ Task: task(), Nightly: nightly })))
      .toEqual([expect.objectContaining({ starter: 'Nightly', when: 'rate(1 day)' })]);
  });

  test('reads x86 for a task without a runtime platform or on X86_64, arm64 for ARM64', () => {
    const architecture = (props: object) =>
      fargateTaskStarts(template({ Task: task(props), OnUpload: rule(ruleEcs()) }))[0].architecture;
    expect(architecture({ RuntimePlatform: undefined })).toBe('x86');
    expect(architecture({ RuntimePlatform: { CpuArchitecture: 'X86_64' } })).toBe('x86');
    expect(architecture({})).toBe('arm64');
  });

  test('reads no public IPv4 with AssignPublicIp DISABLED or no network settings', () => {
    const publicIp = (resources: Record<string, object>) => fargateTaskStarts(template(resources))[0].publicIp;
    expect(publicIp({ Task: task(), OnUpload: rule(ruleEcs({}, 'DISABLED')) })).toBe(false);
    expect(publicIp({ Task: task(), Sweep: schedule('rate(1 hour)', 'DISABLED') })).toBe(false);
    expect(publicIp({ Task: task(), OnUpload: rule(ruleEcs({ NetworkConfiguration: undefined })) })).toBe(false);
  });

  test('reads the task count of a target, 1 when it has none', () => {
    const count = (ecs: object) => fargateTaskStarts(template({ Task: task(), OnUpload: rule(ruleEcs(ecs)) }))[0]
      .taskCount;
    expect(count({ TaskCount: 3 })).toBe(3);
    expect(count({})).toBe(1);
  });

  test('reads a FARGATE or FARGATE_SPOT capacity provider as Fargate', () => {
    const starts = (provider: string) => fargateTaskStarts(template({
      Task: task(),
      OnUpload: rule(ruleEcs({ LaunchType: undefined, CapacityProviderStrategy: [{ CapacityProvider: provider }] })),
    }));
    expect(starts('FARGATE_SPOT')).toHaveLength(1);
    expect(starts('FARGATE')).toHaveLength(1);
    expect(starts('MyAsgProvider')).toEqual([]);
  });

  test('leaves out a target on EC2, a target that is no task, and a task definition it cannot read', () => {
    const starts = (resources: Record<string, object>) => fargateTaskStarts(template(resources));
    expect(starts({ Task: task(), OnUpload: rule(ruleEcs({ LaunchType: 'EC2' })) })).toEqual([]);
    expect(starts({ Task: task(), OnUpload: rule(undefined) })).toEqual([]);
    const byArn = ruleEcs({ TaskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/x:1' });
    expect(starts({ Task: task(), OnUpload: rule(byArn) })).toEqual([]);
    expect(starts({ Task: { Type: 'AWS::SNS::Topic' }, OnUpload: rule(ruleEcs()) })).toEqual([]);
    expect(starts({ Task: task(), Sweep: schedule('rate(1 hour)', 'ENABLED', { LaunchType: 'EC2' }) })).toEqual([]);
    expect(starts({ Sweep: { Type: 'AWS::Scheduler::Schedule', Properties: { Target: { Arn: 'queue-arn' } } } }))
      .toEqual([]);
    expect(starts({ Task: task(), OnUpload: rule(ruleEcs({ TaskDefinitionArn: undefined })) })).toEqual([]);
  });

  test('reads a rule or a schedule without properties, or a schedule without a target, as starting nothing', () => {
    expect(fargateTaskStarts(template({
      Task: task(),
      Bare: { Type: 'AWS::Events::Rule' },
      BareSchedule: { Type: 'AWS::Scheduler::Schedule' },
      Untargeted: { Type: 'AWS::Scheduler::Schedule', Properties: { ScheduleExpression: 'rate(1 hour)' } },
    }))).toEqual([]);
  });

  test('reads a size written as a number of CPU units and MiB, like one written as text', () => {
    const [start] = fargateTaskStarts(template({ Task: task({ Cpu: 1024, Memory: 3072 }), OnUpload: rule(ruleEcs()) }));
    expect([start.vcpu, start.memoryGb]).toEqual([1, 3]);
  });

  test.each(['0x400', '1e3', ' 1024', '1024 ', '', '-1024'])('reads the size %p, not only digits, as unknown (NaN)',
    (Cpu) => {
      const [start] = fargateTaskStarts(template({ Task: task({ Cpu }), OnUpload: rule(ruleEcs()) }));
      expect(start.vcpu).toBeNaN();
    });

  test('reads a size given as a parameter as unknown (NaN)', () => {
    const [start] = fargateTaskStarts(template({
      Task: task({ Cpu: { Ref: 'CpuParameter' }, Memory: '1 GB' }),
      OnUpload: rule(ruleEcs()),
    }));
    expect(start.vcpu).toBeNaN();
    expect(start.memoryGb).toBeNaN();
  });
});

describe('runs per 30 days of a schedule expression', () => {
  test('counts the runs of a rate: 720 an hour apart, 1440 half an hour apart, 30 a day apart', () => {
    expect(runsPer30Days('rate(1 hour)')).toBe(720);
    expect(runsPer30Days('rate(2 hours)')).toBe(360);
    expect(runsPer30Days('rate(30 minutes)')).toBe(1440);
    expect(runsPer30Days('rate(1 minute)')).toBe(43200);
    expect(runsPer30Days('rate(1 day)')).toBe(30);
    expect(runsPer30Days('rate(7 days)')).toBe(4); // 720 / 168 = 4.29: 4 whole weeks
  });

  test('counts nothing for a cron or one-time expression, an event, a rate of 0, or text around a rate', () => {
    expect(runsPer30Days('cron(0 3 * * ? *)')).toBeUndefined();
    expect(runsPer30Days('at(2026-12-01T00:00:00)')).toBeUndefined();
    expect(runsPer30Days('each matching event')).toBeUndefined();
    expect(runsPer30Days('rate(0 hours)')).toBeUndefined();
    expect(runsPer30Days('rate(1 week)')).toBeUndefined();
    expect(runsPer30Days('xrate(1 hour)')).toBeUndefined();
    expect(runsPer30Days('rate(1 hour) ')).toBeUndefined();
  });
});

describe('task runs in the cost drivers', () => {
  test('counts a task that a rule and a schedule start the same way once, naming both: a run costs the same '
    + 'whoever starts it', () => {
    expect(drivers({ Task: task(), OnUpload: rule(ruleEcs()), Sweep: schedule() }).taskRuns).toEqual([{
      architecture: 'arm64',
      vcpu: 0.25,
      memoryGb: 0.5,
      publicIp: true,
      taskCount: 1,
      startedBy: [{ starter: 'OnUpload', when: 'each matching event' }, { starter: 'Sweep', when: 'rate(1 hour)' }],
    }]);
  });

  test('counts the same task twice when one starter gives it a public IPv4 and the other does not', () => {
    const runs = drivers({ Task: task(), OnUpload: rule(ruleEcs()), Sweep: schedule('rate(1 hour)', 'DISABLED') })
      .taskRuns!;
    expect(runs.map((run) => [run.publicIp, run.startedBy.map(({ starter }) => starter)]))
      .toEqual([[true, ['OnUpload']], [false, ['Sweep']]]);
  });

  test('counts two task definitions as two runs, and one task definition started in twos apart', () => {
    const runs = drivers({
      Task: task(),
      Other: task({ Cpu: '1024', Memory: '2048', RuntimePlatform: undefined }),
      OnUpload: rule(ruleEcs()),
      OnOther: rule(ruleEcs({ TaskDefinitionArn: { Ref: 'Other' } })),
      InTwos: rule(ruleEcs({ TaskCount: 2 })),
    }).taskRuns!;
    expect(runs.map((run) => [run.architecture, run.vcpu, run.taskCount, run.startedBy[0].starter])).toEqual([
      ['arm64', 0.25, 1, 'OnUpload'],
      ['x86', 1, 1, 'OnOther'],
      ['arm64', 0.25, 2, 'InTwos'],
    ]);
  });

  test('has no task runs, and nothing idle, when nothing starts a task', () => {
    expect(drivers({ Task: task() })).toEqual({ idle: [], perUse: [] });
    expect(drivers({ Task: task(), Sweep: schedule('rate(1 hour)', 'ENABLED', { LaunchType: 'EC2' }) }))
      .not.toHaveProperty('taskRuns');
  });

  test('counts a task definition that rules start as nothing while idle', () => {
    const lab = cost({ Task: task(), OnUpload: rule(ruleEcs()), Sweep: schedule() });
    expect(lab.lines).toEqual([]);
    expect(lab.knownHourly).toBe(0);
  });
});

describe('the price of one task run, worked out by hand', () => {
  const runOf = (resources: Record<string, object>) => cost(resources).taskRuns[0];

  test('prices an arm64 task of 0.25 vCPU and 0.5 GB with a public IPv4 at $0.0149 per hour of run', () => {
    // 0.25 x 0.03238 + 0.5 x 0.00356 + 0.005 = 0.008095 + 0.00178 + 0.005 = 0.014875; / 60 = 0.000247917.
    const run = runOf({ Task: task(), OnUpload: rule(ruleEcs()) });
    expect(run.hourly).toBeCloseTo(0.014875, 12);
    expect(formatTaskRun(run)).toBe('Fargate task run (arm64, 0.25 vCPU, 0.5 GB, public IPv4): $0.0149 per hour of '
      + 'run, $0.00025 per minute (billed per second, 1 minute minimum)');
  });

  test('prices the same task without a public IPv4 at $0.0099 per hour of run', () => {
    // 0.008095 + 0.00178 = 0.009875; / 60 = 0.000164583.
    const run = runOf({ Task: task(), OnUpload: rule(ruleEcs({}, 'DISABLED')) });
    expect(run.hourly).toBeCloseTo(0.009875, 12);
    expect(formatTaskRun(run)).toBe('Fargate task run (arm64, 0.25 vCPU, 0.5 GB): $0.0099 per hour of run, '
      + '$0.00016 per minute (billed per second, 1 minute minimum)');
  });

  test('prices the same task on x86 at $0.0173 per hour of run', () => {
    // 0.25 x 0.04048 + 0.5 x 0.004445 + 0.005 = 0.01012 + 0.0022225 + 0.005 = 0.0173425; / 60 = 0.000289042.
    const run = runOf({ Task: task({ RuntimePlatform: undefined }), OnUpload: rule(ruleEcs()) });
    expect(run.hourly).toBeCloseTo(0.0173425, 12);
    expect(formatTaskRun(run)).toBe('Fargate task run (x86, 0.25 vCPU, 0.5 GB, public IPv4): $0.0173 per hour of '
      + 'run, $0.00029 per minute (billed per second, 1 minute minimum)');
  });

  test('prices an x86 task of 1 vCPU and 2 GB without a public IPv4 at $0.0494 per hour of run', () => {
    // 1 x 0.04048 + 2 x 0.004445 = 0.04937; / 60 = 0.000822833.
    const run = runOf({
      Task: task({ Cpu: '1024', Memory: '2048', RuntimePlatform: { CpuArchitecture: 'X86_64' } }),
      Sweep: schedule('rate(1 hour)', 'DISABLED'),
    });
    expect(run.hourly).toBeCloseTo(0.04937, 12);
    expect(formatTaskRun(run)).toBe('Fargate task run (x86, 1 vCPU, 2 GB): $0.0494 per hour of run, $0.00082 per '
      + 'minute (billed per second, 1 minute minimum)');
  });

  test('prices a start of 2 tasks, each with a public IPv4, at twice one task', () => {
    // x86: 2 x 0.0173425 = 0.034685; / 60 = 0.000578083.
    const run = runOf({ Task: task({ RuntimePlatform: undefined }), OnUpload: rule(ruleEcs({ TaskCount: 2 })) });
    expect(run.hourly).toBeCloseTo(0.034685, 12);
    expect(formatTaskRun(run)).toBe('Fargate task run (2 tasks of x86, 0.25 vCPU, 0.5 GB, public IPv4 each): '
      + '$0.0347 per hour of run, $0.00058 per minute (billed per second, 1 minute minimum)');
  });

  test('says the price is unknown, never zero, when the template does not give the task\'s size', () => {
    const run = runOf({ Task: task({ Memory: { Ref: 'MemoryParameter' } }), OnUpload: rule(ruleEcs()) });
    expect(run.hourly).toBeUndefined();
    expect(formatTaskRun(run)).toBe('Fargate task run (arm64, a size set at deploy time, public IPv4): '
      + 'unknown (the template does not give the task\'s size)');
  });

  test('names each starter, and what a rate schedule\'s runs cost at their one-minute minimum', () => {
    // rate(1 hour): 720 runs x 0.014875 / 60 = 0.1785; rate(30 minutes): 1440 runs x 0.014875 / 60 = 0.357.
    expect(formatStarters(runOf({ Task: task(), OnUpload: rule(ruleEcs()), Sweep: schedule() })))
      .toBe('started by OnUpload (each matching event), Sweep (rate(1 hour): 720 runs per 30 days, at least $0.18)');
    expect(formatStarters(runOf({ Task: task(), Sweep: schedule('rate(30 minutes)') })))
      .toBe('started by Sweep (rate(30 minutes): 1440 runs per 30 days, at least $0.36)');
    expect(formatStarters(runOf({ Task: task(), Sweep: schedule('cron(0 3 * * ? *)') })))
      .toBe('started by Sweep (cron(0 3 * * ? *))');
  });

  test('names a schedule\'s runs without a figure when the task\'s size is unknown', () => {
    expect(formatStarters(runOf({ Task: task({ Cpu: { Ref: 'CpuParameter' } }), Sweep: schedule() })))
      .toBe('started by Sweep (rate(1 hour))');
  });
});

describe('pay per use of the services that start tasks', () => {
  const perUse = (resources: Record<string, object>) => drivers(resources).perUse;
  const awsRule = (props: object) => ({ R: { Type: 'AWS::Events::Rule', Properties: props } });

  test('lists Scheduler invocations for a schedule, and none without one', () => {
    expect(perUse({ S: schedule() })).toEqual(['EventBridge Scheduler invocations']);
    expect(perUse({ G: { Type: 'AWS::Scheduler::ScheduleGroup' } })).toEqual([]);
  });

  /** A topic that a rule on a custom source (no per-use line of its own) publishes to. */
  const published = (topic: object, others: Record<string, object> = {}) => ({
    T: { Type: 'AWS::SNS::Topic', Properties: topic },
    Publisher: {
      Type: 'AWS::Events::Rule',
      Properties: { EventPattern: { source: ['my.app'] }, Targets: [{ Id: 'Target0', Arn: { Ref: 'T' } }] },
    },
    ...others,
  });

  test('lists SNS publishes for a topic that something in the template publishes to, and none for another', () => {
    expect(perUse(published({}))).toEqual(['SNS publishes']);
    expect(perUse({
      T: { Type: 'AWS::SNS::Topic', Properties: {} },
      P: { Type: 'AWS::SNS::TopicPolicy', Properties: { Topics: [{ Ref: 'T' }] } },
      S: { Type: 'AWS::SNS::Subscription', Properties: { Protocol: 'email', TopicArn: { Ref: 'T' } } },
    })).toEqual([]);
  });

  test('lists SNS publishes, and no email deliveries, for a published topic without properties', () => {
    expect(perUse({ ...published({}), T: { Type: 'AWS::SNS::Topic' } })).toEqual(['SNS publishes']);
  });

  test('lists email deliveries only with an email subscription', () => {
    const subscribed = (Protocol: string) => perUse(published({}, {
      S: { Type: 'AWS::SNS::Subscription', Properties: { Protocol, TopicArn: { Ref: 'T' }, Endpoint: 'x' } },
    }));
    expect(subscribed('email')).toEqual(['SNS email deliveries', 'SNS publishes']);
    expect(subscribed('email-json')).toEqual(['SNS email deliveries', 'SNS publishes']);
    expect(subscribed('sqs')).toEqual(['SNS publishes']);
  });

  test('lists email deliveries for an email subscription written in the topic', () => {
    const topic = (Protocol: string) => perUse(published({ Subscription: [{ Protocol, Endpoint: 'a@example.com' }] }));
    expect(topic('email')).toEqual(['SNS email deliveries', 'SNS publishes']);
    expect(topic('lambda')).toEqual(['SNS publishes']);
  });

  test('says a rule on AWS service events on the default bus costs nothing', () => {
    const free = ['EventBridge rules on AWS service events'];
    expect(perUse(awsRule({ EventPattern: { source: ['aws.ecs'] } }))).toEqual(free);
    expect(perUse(awsRule({ EventPattern: { source: ['aws.s3', 'aws.ecs'] }, EventBusName: 'default' })))
      .toEqual(free);
    expect(perUse(awsRule({ EventPattern: JSON.stringify({ source: ['aws.s3'] }) }))).toEqual(free);
  });

  test('says nothing of a rule on other events, on another bus, or without a pattern', () => {
    expect(perUse(awsRule({ EventPattern: { source: ['my.app'] } }))).toEqual([]);
    expect(perUse(awsRule({ EventPattern: { source: ['aws.s3', 'my.app'] } }))).toEqual([]);
    expect(perUse(awsRule({ EventPattern: { source: [] } }))).toEqual([]);
    expect(perUse(awsRule({ EventPattern: { 'detail-type': ['Object Created'] } }))).toEqual([]);
    expect(perUse(awsRule({ EventPattern: { source: ['aws.s3'] }, EventBusName: 'lab-bus' }))).toEqual([]);
    expect(perUse(awsRule({ ScheduleExpression: 'rate(1 hour)' }))).toEqual([]);
    expect(perUse(awsRule({ EventPattern: '{not json' }))).toEqual([]);
    // A content filter may match other senders' sources too.
    expect(perUse(awsRule({ EventPattern: { source: [{ prefix: 'aws.' }] } }))).toEqual([]);
    expect(perUse({ R: { Type: 'AWS::Events::Rule' } })).toEqual([]);
  });
});

describe('the report', () => {
  test('lists each task run with its starters first among the pay-per-use prices', () => {
    const report = formatCostReport([cost({ Task: task(), OnUpload: rule(ruleEcs()), Sweep: schedule() })]);
    expect(report).toContain([
      'Lab',
      '  nothing runs while idle but the scheduled task runs below',
      '  pay per use, on top:',
      '    Fargate task run (arm64, 0.25 vCPU, 0.5 GB, public IPv4): $0.0149 per hour of run, $0.00025 per minute '
        + '(billed per second, 1 minute minimum)',
      '      started by OnUpload (each matching event), Sweep (rate(1 hour): 720 runs per 30 days, at least $0.18)',
      '    EventBridge Scheduler invocations: $1.00 per million invocations (the first 14 million a month are free)',
      '    EventBridge rules on AWS service events: no charge (events that AWS services send to the default bus '
        + 'are free)',
    ].join('\n'));
  });

  test('says nothing runs while idle when only events start tasks', () => {
    const report = formatCostReport([cost({ Task: task(), OnUpload: rule(ruleEcs()) })]).split('\n');
    expect(report.slice(4, 7)).toEqual([
      'Lab',
      '  nothing runs while idle',
      '  pay per use, on top:',
    ]);
  });

  test('lists task runs under pay per use even when the lab has no other per-use price', () => {
    const report = formatCostReport([cost({
      Task: task(),
      OnMyEvent: rule(ruleEcs({}, 'DISABLED'), { EventPattern: { source: ['my.app'] } }),
    })]);
    expect(report.split('\n').slice(-5)).toEqual([
      'Lab',
      '  nothing runs while idle',
      '  pay per use, on top:',
      '    Fargate task run (arm64, 0.25 vCPU, 0.5 GB): $0.0099 per hour of run, $0.00016 per minute '
        + '(billed per second, 1 minute minimum)',
      '      started by OnMyEvent (each matching event)',
    ]);
  });
});
