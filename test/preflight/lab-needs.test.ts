import { LABS } from '../../bin/labs';
import { LAB_SERVICE_LINKED_ROLES } from '../../lib/leftovers/find-leftovers';
import { labNeeds } from '../../lib/preflight/lab-needs';
import { synthLabs, templateOf } from '../helpers/synth';
import { bootstrapParts, fargateTemplate, taskStartsTemplate } from './templates';

// What preflight reads from the labs' synthesized templates, so a new lab is checked without code in preflight.
const labs = Object.keys(LABS);
const synthesized = synthLabs();
const withOptions = synthLabs(['FargateServiceLab'], { context: { withLoadBalancer: 'true', autoScaling: 'true' } });
const needsOf = (lab: string) => labNeeds(templateOf(synthesized, lab));

test.each(labs)('reads the bootstrap version %s requires and its SSM parameter '
  + 'from the template\'s own rule', (lab) => {
  const template = templateOf(synthesized, lab);
  const required = Number(
    /version (\d+) required/.exec(template.Rules.CheckBootstrapVersion.Assertions[0].AssertDescription)![1],
  );
  expect(labNeeds(template).bootstrap)
    .toEqual({ minimum: required, parameter: template.Parameters.BootstrapVersion.Default });
});

test('takes the version above the highest one the rule refuses, and nothing without the rule', () => {
  expect(labNeeds({ ...bootstrapParts(5), Resources: {} }).bootstrap?.minimum).toBe(6);
  expect(labNeeds({ ...bootstrapParts(20), Resources: {} }).bootstrap?.minimum).toBe(21);
  expect(labNeeds({ Resources: {} }).bootstrap).toBeUndefined();
});

test('reads the services each lab needs in the region', () => {
  expect(Object.fromEntries(labs.map((lab) => [lab, needsOf(lab).services]))).toEqual({
    Ec2WebServerLab: ['lambda'],
    Ec2AsgAlbLab: ['lambda', 'autoscaling', 'elb'],
    LambdaUsersLab: ['lambda', 'apigateway', 'dynamodb'],
    FargateServiceLab: ['lambda', 'ecs', 'fargate'],
    BeanstalkAppLab: ['lambda', 'elasticbeanstalk'],
    S3UploadsLab: ['lambda', 'dynamodb', 's3', 'sqs'],
    EcsEventTasksLab: ['lambda', 'dynamodb', 'ecs', 'fargate', 's3', 'sqs', 'events', 'scheduler', 'sns'],
    SqsWorkersLab: ['lambda', 'dynamodb', 'ecs', 'fargate', 'sqs'],
  });
});

test('reads EventBridge, Scheduler and SNS as services of their own, each only when the template has it', () => {
  const services = (types: string[]) => labNeeds({
    Resources: Object.fromEntries(types.map((type, i) => [`R${i}`, { Type: type }])),
  }).services;
  expect(services(['AWS::Events::Rule'])).toEqual(['events']);
  expect(services(['AWS::Scheduler::Schedule'])).toEqual(['scheduler']);
  expect(services(['AWS::Scheduler::ScheduleGroup'])).toEqual(['scheduler']);
  expect(services(['AWS::SNS::Topic', 'AWS::SNS::Subscription'])).toEqual(['sns']);
  expect(services(['AWS::SQS::Queue'])).toEqual(['sqs']);
});

test('reads Fargate as a service of a lab whose tasks only a rule or a schedule starts', () => {
  expect(labNeeds(taskStartsTemplate({ rule: true })).services).toEqual(['ecs', 'fargate', 'events']);
  expect(labNeeds(taskStartsTemplate({ schedule: true })).services).toEqual(['ecs', 'fargate', 'scheduler']);
  expect(labNeeds(taskStartsTemplate({ rule: true, launchType: 'EC2' })).services).toEqual(['ecs', 'events']);
});

test('reads the Lambda runtimes and the Beanstalk platform branch the labs use', () => {
  expect(needsOf('LambdaUsersLab').lambdaRuntimes).toContain('nodejs24.x on arm64');
  expect(needsOf('BeanstalkAppLab').beanstalkBranches).toEqual(['Node.js 22 running on 64bit Amazon Linux 2023']);
  expect(needsOf('Ec2AsgAlbLab').beanstalkBranches).toEqual([]);
});

test('reads the service-linked roles each lab\'s resources need', () => {
  const roles = (needs: ReturnType<typeof labNeeds>) => needs.serviceLinkedRoles.map((role) => role.roleName);
  expect(Object.fromEntries(labs.map((lab) => [lab, roles(needsOf(lab))]))).toEqual({
    Ec2WebServerLab: [],
    Ec2AsgAlbLab: ['AWSServiceRoleForElasticLoadBalancing', 'AWSServiceRoleForAutoScaling'],
    LambdaUsersLab: [],
    FargateServiceLab: ['AWSServiceRoleForECS'],
    BeanstalkAppLab: ['AWSServiceRoleForAutoScaling'],
    S3UploadsLab: [],
    EcsEventTasksLab: ['AWSServiceRoleForECS'],
    SqsWorkersLab: ['AWSServiceRoleForECS', 'AWSServiceRoleForApplicationAutoScaling_ECSService'],
  });
  expect(roles(labNeeds(templateOf(withOptions, 'FargateServiceLab'))))
    .toEqual([
      'AWSServiceRoleForECS',
      'AWSServiceRoleForElasticLoadBalancing',
      'AWSServiceRoleForApplicationAutoScaling_ECSService',
    ]);
});

test('lists for leftovers every service-linked role a lab can make its services create, with its options on', () => {
  for (const lab of labs) {
    for (const role of needsOf(lab).serviceLinkedRoles) expect({
      lab, role: role.roleName, listed: LAB_SERVICE_LINKED_ROLES[lab].includes(role.roleName),
    }).toEqual({ lab, role: role.roleName, listed: true });
  }
  for (const role of labNeeds(templateOf(withOptions, 'FargateServiceLab')).serviceLinkedRoles)
    expect(LAB_SERVICE_LINKED_ROLES.FargateServiceLab).toContain(role.roleName);
});

test('sees that the Fargate lab creates ECS\'s service-linked role itself, before the cluster', () => {
  expect(needsOf('FargateServiceLab').serviceLinkedRoles[0]).toMatchObject({
    roleName: 'AWSServiceRoleForECS',
    createdBy: expect.any(String),
    createdFirst: true,
  });
});

test('sees that the ECS event tasks lab creates ECS\'s service-linked role itself, before the cluster', () => {
  expect(needsOf('EcsEventTasksLab').serviceLinkedRoles).toEqual([expect.objectContaining({
    roleName: 'AWSServiceRoleForECS',
    service: 'ecs.amazonaws.com',
    createdBy: expect.any(String),
    before: ['AWS::ECS::Cluster'],
    createdFirst: true,
  })]);
});

test('sees that the SQS workers lab creates ECS\'s service-linked role before the cluster, and leaves Application '
  + 'Auto Scaling\'s to AWS, which creates it when the scaler is registered', () => {
  const template = templateOf(synthesized, 'SqsWorkersLab');
  const [creator] = Object.keys(template.Resources)
    .filter((id) => template.Resources[id].Type === 'Custom::ServiceLinkedRole');
  expect(needsOf('SqsWorkersLab').serviceLinkedRoles).toEqual([
    {
      roleName: 'AWSServiceRoleForECS',
      service: 'ecs.amazonaws.com',
      neededBy: ['AWS::ECS::Cluster', 'AWS::ECS::TaskDefinition', 'AWS::ECS::Service'],
      createdBy: creator,
      before: ['AWS::ECS::Cluster'],
      createdFirst: true,
    },
    {
      roleName: 'AWSServiceRoleForApplicationAutoScaling_ECSService',
      service: 'ecs.application-autoscaling.amazonaws.com',
      neededBy: ['AWS::ApplicationAutoScaling::ScalableTarget'],
      createdBy: undefined,
      before: ['AWS::ApplicationAutoScaling::ScalableTarget'],
      createdFirst: false,
    },
  ]);
});

test('sees whether the template creates the ECS role, and whether before the cluster', () => {
  const ecsRole = (createsRole: 'no' | 'first' | 'late') => labNeeds(fargateTemplate({ createsRole }))
    .serviceLinkedRoles[0];
  expect(ecsRole('first')).toMatchObject({ createdBy: 'EcsRole', before: ['AWS::ECS::Cluster'], createdFirst: true });
  expect(ecsRole('late')).toMatchObject({ createdBy: 'EcsRole', createdFirst: false });
  expect(ecsRole('no')).toMatchObject({ createdBy: undefined, createdFirst: false });
});

test('counts the instances each lab launches at its maximum', () => {
  const launches = (lab: string) => needsOf(lab).instances
    .map(({ instanceType, count }) => `${count} x ${instanceType}`);
  expect(launches('Ec2WebServerLab')).toEqual(['1 x t3.micro']);
  expect(launches('Ec2AsgAlbLab')).toEqual(['4 x t3.micro']);
  expect(launches('BeanstalkAppLab')).toEqual(['1 x t3.micro']);
  expect(launches('LambdaUsersLab')).toEqual([]);
});

test('counts the Fargate tasks at the desired count, or at the scaling maximum when the lab scales', () => {
  const tasks = (needs: ReturnType<typeof labNeeds>) => needs.fargateTasks
    .map(({ vcpu, count }) => `${count} x ${vcpu} vCPU`);
  expect(tasks(needsOf('FargateServiceLab'))).toEqual(['2 x 0.5 vCPU']);
  expect(tasks(labNeeds(templateOf(withOptions, 'FargateServiceLab')))).toEqual(['4 x 0.5 vCPU']);
  expect(tasks(labNeeds(fargateTemplate({ maxCapacity: 6 })))).toEqual(['6 x 0.5 vCPU']);
});

test('counts the SQS workers at their scaler\'s maximum of 4 tasks of 0.25 vCPU, not at the 0 that run idle', () => {
  const template = templateOf(synthesized, 'SqsWorkersLab');
  const idOf = (type: string) => Object.keys(template.Resources).find((id) => template.Resources[id].Type === type);
  expect(needsOf('SqsWorkersLab').fargateTasks).toEqual([{
    vcpu: 0.25,
    count: 4,
    source: `${idOf('AWS::ECS::Service')} (${idOf('AWS::ApplicationAutoScaling::ScalableTarget')} MaxCapacity)`,
  }]);
});

describe('Fargate tasks that a rule or a schedule starts', () => {
  const tasks = (needs: ReturnType<typeof labNeeds>) => needs.fargateTasks
    .map(({ vcpu, count, source }) => `${count} x ${vcpu} vCPU from ${source}`);

  test('counts one task of 0.25 vCPU for the upload rule and one for the hourly sweep: '
    + 'both can run at once', () => {
    const template = templateOf(synthesized, 'EcsEventTasksLab');
    const id = (type: string) => Object.entries<any>(template.Resources).find(([, resource]) =>
      resource.Type === type && JSON.stringify(resource.Properties).includes('EcsParameters'))![0];
    expect(tasks(needsOf('EcsEventTasksLab'))).toEqual([
      `1 x 0.25 vCPU from ${id('AWS::Events::Rule')} (per event)`,
      `1 x 0.25 vCPU from ${id('AWS::Scheduler::Schedule')} (rate(1 hour))`,
    ]);
  });

  test('counts the upload rule\'s task alone without the sweep (-c schedule=off), never 0', () => {
    const off = synthLabs(['EcsEventTasksLab'], { context: { schedule: 'off' } });
    expect(labNeeds(templateOf(off, 'EcsEventTasksLab')).fargateTasks.map(({ vcpu, count }) => [count, vcpu]))
      .toEqual([[1, 0.25]]);
  });

  test('counts a target\'s TaskCount, and nothing for tasks on EC2', () => {
    expect(tasks(labNeeds(taskStartsTemplate({ rule: true, taskCount: 3 }))))
      .toEqual(['3 x 0.5 vCPU from Rule (per event)']);
    expect(tasks(labNeeds(taskStartsTemplate({ schedule: true }))))
      .toEqual(['1 x 0.5 vCPU from Schedule (rate(1 day))']);
    expect(labNeeds(taskStartsTemplate({ rule: true, schedule: true, launchType: 'EC2' })).fargateTasks).toEqual([]);
  });
});

describe('what a copy of each lab holds, for a class\'s quotas', () => {
  // Every lab as a student's copy, on the class's network from ClassroomSetup.
  const classroom = synthLabs(undefined, { context: { student: 'alice' } });
  const copyNeeds = (lab: string) => labNeeds(templateOf(classroom, `alice-${lab}`));
  const counts = (launches: ReadonlyArray<{ count: number }>) =>
    launches.reduce((sum, launch) => sum + launch.count, 0);
  type Needs = ReturnType<typeof labNeeds>;
  const perLab = (read: (needs: Needs) => number, needsOfLab: (lab: string) => Needs = needsOf) =>
    Object.fromEntries(labs.map((lab) => [lab, read(needsOfLab(lab))]));
  const resources = (entries: Record<string, { Type: string; Properties?: Record<string, unknown> }>) =>
    labNeeds({ Resources: entries });

  test('a VPC for each lab with a network of its own, none for a student\'s copy on the class\'s network', () => {
    expect(perLab((needs) => counts(needs.vpcs))).toEqual({
      Ec2WebServerLab: 1, Ec2AsgAlbLab: 1, FargateServiceLab: 1, BeanstalkAppLab: 1, LambdaUsersLab: 0,
      S3UploadsLab: 0, EcsEventTasksLab: 1, SqsWorkersLab: 1,
    });
    expect(Object.values(perLab((needs) => counts(needs.vpcs), copyNeeds)).every((count) => count === 0)).toBe(true);
  });

  test('an Elastic IP for the single-instance Beanstalk environment, and none for instances with public IPs', () => {
    const elasticIps = perLab((needs) => counts(needs.elasticIps), copyNeeds);
    expect(elasticIps).toEqual({ ...Object.fromEntries(labs.map((lab) => [lab, 0])), BeanstalkAppLab: 1 });
    expect(perLab((needs) => counts(needs.elasticIps))).toEqual(elasticIps);
  });

  test('an Elastic IP for each AWS::EC2::EIP, and none for a load-balanced Beanstalk environment', () => {
    expect(resources({ A: { Type: 'AWS::EC2::EIP' }, B: { Type: 'AWS::EC2::EIP' } }).elasticIps)
      .toEqual([{ count: 1, source: 'A' }, { count: 1, source: 'B' }]);
    expect(resources({ E: { Type: 'AWS::ElasticBeanstalk::Environment', Properties: { OptionSettings: [] } } })
      .elasticIps).toEqual([]);
  });

  test('an Application Load Balancer for the Auto Scaling lab, and for the Fargate lab with one', () => {
    expect(perLab((needs) => counts(needs.loadBalancers), copyNeeds))
      .toEqual({ ...Object.fromEntries(labs.map((lab) => [lab, 0])), Ec2AsgAlbLab: 1 });
    expect(counts(labNeeds(templateOf(withOptions, 'FargateServiceLab')).loadBalancers)).toBe(1);
  });

  test('counts application load balancers only, of ELBv2 or a load-balanced Beanstalk environment', () => {
    const beanstalk = (type?: string, environmentType = 'LoadBalanced') => ({
      Type: 'AWS::ElasticBeanstalk::Environment',
      Properties: {
        OptionSettings: [
          { Namespace: 'aws:elasticbeanstalk:environment', OptionName: 'EnvironmentType', Value: environmentType },
          ...(type ? [{ Namespace: 'aws:elasticbeanstalk:environment', OptionName: 'LoadBalancerType', Value: type }]
            : []),
        ],
      },
    });
    expect(resources({
      Default: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: {} },
      Alb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Type: 'application' } },
      Nlb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Type: 'network' } },
      EnvAlb: beanstalk('application'),
      EnvClassic: beanstalk(),
      EnvNlb: beanstalk('network'),
      EnvSingle: beanstalk('application', 'SingleInstance'),
    }).loadBalancers.map((launch) => launch.source)).toEqual(['Default', 'Alb', 'EnvAlb (load balanced)']);
  });

  test('the functions, and the concurrency each reserves: none in the labs, a positive one in a template', () => {
    expect(Object.values(perLab((needs) => counts(needs.lambda.reservedConcurrency))).every((count) => count === 0))
      .toBe(true);
    expect(needsOf('LambdaUsersLab').lambda.functions).toBeGreaterThan(0);
    const fn = (reserved?: number) => ({
      Type: 'AWS::Lambda::Function',
      Properties: reserved === undefined ? {} : { ReservedConcurrentExecutions: reserved },
    });
    expect(resources({ A: fn(5), B: fn(0), C: fn(), D: fn(1) }).lambda)
      .toEqual({ functions: 4, reservedConcurrency: [{ count: 5, source: 'A' }, { count: 1, source: 'D' }] });
  });

  test('the exports a student\'s copy imports, all ClassroomSetup\'s: the class\'s VPC instead of its own; none '
    + 'outside classroom mode', () => {
    for (const lab of labs) {
      expect(copyNeeds(lab).imports.filter((name) => !name.startsWith('ClassroomSetup-'))).toEqual([]);
      expect({ lab, vpc: copyNeeds(lab).imports.includes('ClassroomSetup-VpcId') })
        .toEqual({ lab, vpc: needsOf(lab).vpcs.length > 0 });
      expect(needsOf(lab).imports).toEqual([]);
    }
    expect(labNeeds({
      Resources: { A: { Type: 'X', Properties: { V: { 'Fn::ImportValue': 'b' }, W: [{ 'Fn::ImportValue': 'a' }] } } },
      Outputs: { O: { Value: { 'Fn::ImportValue': 'b' } } },
    }).imports).toEqual(['a', 'b']);
  });
});
