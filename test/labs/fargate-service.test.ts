import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import { normalizeTemplate } from '../helpers/normalize-template';
import { synthLabs, templateOf } from '../helpers/synth';

const STACK = 'FargateServiceLab';
const synthed = synthLabs([STACK]);
const template = Template.fromJSON(templateOf(synthed, STACK));
const withContext = (context: Record<string, unknown>) => {
  const result = synthLabs([STACK], { context });
  expect(result.violations).toEqual([]);
  return Template.fromJSON(templateOf(result, STACK));
};
const idOf = (t: Template, type: string) => {
  const ids = Object.keys(t.findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0];
};
/** Every resource `id` waits for, through DependsOn, Ref and Fn::GetAtt, as CloudFormation orders them. */
const dependenciesOf = (t: Template, id: string): Set<string> => {
  const resources = t.toJSON().Resources;
  const seen = new Set<string>();
  const visit = (current: string) => {
    const resource = resources[current];
    const text = JSON.stringify(resource.Properties ?? {});
    const referenced = [...text.matchAll(/"Ref":"([^"]+)"|"Fn::GetAtt":\["([^"]+)"/g)]
      .map((match) => match[1] ?? match[2]);
    for (const next of [...(resource.DependsOn ?? []), ...referenced]) {
      if (resources[next] && !seen.has(next)) { seen.add(next); visit(next); }
    }
  };
  visit(id);
  return seen;
};

test('synthesizes with no unacknowledged finding', () => {
  expect(synthed.error).toBeUndefined();
  expect(synthed.violations).toEqual([]);
});

test('matches the snapshot', () => {
  expect(normalizeTemplate(templateOf(synthed, STACK))).toMatchSnapshot();
});

test('defines a Fargate task of 0.5 vCPU and 1 GB running the chapter\'s sample image on port 80', () => {
  template.hasResourceProperties('AWS::ECS::TaskDefinition', {
    Cpu: '512',
    Memory: '1024',
    NetworkMode: 'awsvpc',
    RequiresCompatibilities: ['FARGATE'],
    ContainerDefinitions: [Match.objectLike({
      Name: 'web-app',
      Image: 'public.ecr.aws/ecs-sample-image/amazon-ecs-sample:latest',
      PortMappings: [{ ContainerPort: 80, Protocol: 'tcp' }],
    })],
  });
});

test('sends container logs through awslogs to a log group of the stack, with retention, deleted with it', () => {
  const group = new Capture();
  template.hasResourceProperties('AWS::ECS::TaskDefinition', {
    ContainerDefinitions: [Match.objectLike({
      LogConfiguration: { LogDriver: 'awslogs', Options: Match.objectLike({ 'awslogs-group': { Ref: group } }) },
    })],
  });
  expect(template.toJSON().Resources[group.asString()]).toEqual(expect.objectContaining({
    Type: 'AWS::Logs::LogGroup',
    Properties: expect.objectContaining({ RetentionInDays: 7 }),
    DeletionPolicy: 'Delete',
    UpdateReplacePolicy: 'Delete',
  }));
});

test('gives the task role nothing and the execution role only its log group', () => {
  const task = Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0].Properties;
  const taskRole = task.TaskRoleArn['Fn::GetAtt'][0];
  const executionRole = task.ExecutionRoleArn['Fn::GetAtt'][0];
  expect(taskRole).not.toBe(executionRole);
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).map((policy) => policy.Properties);
  expect(policies.filter((policy) => JSON.stringify(policy.Roles).includes(taskRole))).toEqual([]);
  const executionPolicies = policies.filter((policy) => JSON.stringify(policy.Roles).includes(executionRole));
  expect(executionPolicies.map((policy) => policy.PolicyDocument.Statement)).toEqual([[
    {
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^WebAppLogs/), 'Arn'] },
    },
  ]]);
});

test('runs 2 tasks with public IPs in the public subnets, as a rolling update with a circuit breaker '
  + 'that rolls back', () => {
  template.hasResourceProperties('AWS::ECS::Service', {
    LaunchType: 'FARGATE',
    DesiredCount: 2,
    DeploymentController: { Type: 'ECS' },
    DeploymentConfiguration: {
      DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      MaximumPercent: 200,
      MinimumHealthyPercent: 100,
    },
    NetworkConfiguration: {
      AwsvpcConfiguration: Match.objectLike({
        AssignPublicIp: 'ENABLED',
        Subnets: [{ Ref: Match.stringLikeRegexp('PublicSubnet1') }, { Ref: Match.stringLikeRegexp('PublicSubnet2') }],
      }),
    },
  });
  template.resourceCountIs('AWS::EC2::NatGateway', 0);
});

test('opens HTTP 80 from anywhere, and nothing else, when there is no load balancer', () => {
  template.hasResourceProperties('AWS::EC2::SecurityGroup', {
    SecurityGroupIngress: [Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 80, ToPort: 80, IpProtocol: 'tcp' })],
  });
  template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
  template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
});

test('makes sure ECS\'s service-linked role exists, in a Custom::ServiceLinkedRole resource '
  + 'the cluster depends on', () => {
  const slr = idOf(template, 'Custom::ServiceLinkedRole');
  const resource = template.toJSON().Resources[slr];
  expect(resource.Properties).toEqual({
    ServiceToken: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
    ServiceName: 'ecs.amazonaws.com',
    ServiceTimeout: '300',
  });
  expect(template.toJSON().Resources[idOf(template, 'AWS::ECS::Cluster')].DependsOn).toEqual([slr]);
});

test('lets the service-linked role function only create ECS\'s service-linked role and write its own log group', () => {
  const slr = template.toJSON().Resources[idOf(template, 'Custom::ServiceLinkedRole')];
  const fn = template.toJSON().Resources[slr.Properties.ServiceToken['Fn::GetAtt'][0]];
  expect(fn.Properties).toEqual(expect.objectContaining({
    Runtime: 'nodejs24.x',
    Architectures: ['arm64'],
    Timeout: 60,
  }));
  const logGroup = fn.Properties.LoggingConfig.LogGroup.Ref;
  expect(template.toJSON().Resources[logGroup]).toEqual(expect.objectContaining({
    Type: 'AWS::Logs::LogGroup',
    DeletionPolicy: 'Delete',
  }));
  const role = fn.Properties.Role['Fn::GetAtt'][0];
  expect(template.toJSON().Resources[role].Properties.ManagedPolicyArns).toBeUndefined();
  const policies = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(role));
  expect(policies.map((policy) => policy.Properties.PolicyDocument.Statement)).toEqual([[
    {
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [logGroup, 'Arn'] },
    },
    {
      Action: 'iam:CreateServiceLinkedRole',
      Condition: { StringEquals: { 'iam:AWSServiceName': 'ecs.amazonaws.com' } },
      Effect: 'Allow',
      Resource: {
        'Fn::Join': ['', [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':iam::',
          { Ref: 'AWS::AccountId' },
          ':role/aws-service-role/ecs.amazonaws.com/*',
        ]],
      },
    },
  ]]);
});

test('creates the tasks after, and deletes them before, the internet gateway\'s attachment '
  + 'and the public routes', () => {
  const dependencies = dependenciesOf(template, idOf(template, 'AWS::ECS::Service'));
  expect(dependencies).toContain(idOf(template, 'AWS::EC2::VPCGatewayAttachment'));
  const routes = Object.keys(template.findResources('AWS::EC2::Route'));
  expect(routes).toHaveLength(2);
  for (const route of routes) expect(dependencies).toContain(route);
});

test('turns Container Insights off', () => {
  template.hasResourceProperties('AWS::ECS::Cluster', {
    ClusterSettings: [{ Name: 'containerInsights', Value: 'disabled' }],
  });
});

test('outputs the cluster and service names and the command that lists the tasks\' public IPs', () => {
  const outputs = template.findOutputs('*');
  expect(Object.keys(outputs).sort()).toEqual(['ClusterName', 'ServiceName', 'TaskIpsCommand']);
  const command = JSON.stringify(outputs.TaskIpsCommand.Value);
  expect(command).toContain('aws ecs list-tasks --cluster ');
  expect(command).toContain('NetworkInterfaces[].Association.PublicIp');
});

test('scales to 4 tasks with a one-line redeploy (-c desiredCount=4)', () => {
  withContext({ desiredCount: '4' }).hasResourceProperties('AWS::ECS::Service', { DesiredCount: 4 });
});

describe('withLoadBalancer', () => {
  const withAlb = withContext({ withLoadBalancer: 'true' });

  test('puts an internet-facing ALB in front, health-checking the tasks on /', () => {
    withAlb.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
      Type: 'application',
    });
    withAlb.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Port: 80,
      Protocol: 'HTTP',
      TargetType: 'ip',
      HealthCheckPath: '/',
    });
    withAlb.hasResourceProperties('AWS::ECS::Service', {
      LoadBalancers: [{
        ContainerName: 'web-app',
        ContainerPort: 80,
        TargetGroupArn: { Ref: idOf(withAlb, 'AWS::ElasticLoadBalancingV2::TargetGroup') },
      }],
    });
    expect(Object.keys(withAlb.findOutputs('*'))).toContain('Url');
  });

  test('lets the tasks accept port 80 from the load balancer only', () => {
    const service = Object.values(withAlb.findResources('AWS::ECS::Service'))[0].Properties;
    const taskGroup = service.NetworkConfiguration.AwsvpcConfiguration.SecurityGroups[0]['Fn::GetAtt'][0];
    expect(withAlb.toJSON().Resources[taskGroup].Properties.SecurityGroupIngress).toBeUndefined();
    const ingress = Object.values(withAlb.findResources('AWS::EC2::SecurityGroupIngress'))
      .map((rule) => rule.Properties);
    expect(ingress).toEqual([expect.objectContaining({
      GroupId: { 'Fn::GetAtt': [taskGroup, 'GroupId'] },
      SourceSecurityGroupId: expect.anything(),
      FromPort: 80,
      ToPort: 80,
    })]);
  });
});

describe('autoScaling', () => {
  const scaled = withContext({ autoScaling: 'true' });

  test('leaves the task count to the scaler: no DesiredCount in the template, so a redeploy keeps it', () => {
    const service = Object.values(scaled.findResources('AWS::ECS::Service'))[0];
    expect(service.Properties).not.toHaveProperty('DesiredCount');
    expect(Object.values(template.findResources('AWS::ECS::Service'))[0].Properties.DesiredCount).toBe(2);
  });

  test('scales between 2 and 4 tasks on CPU at 50 %', () => {
    scaled.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 2,
      MaxCapacity: 4,
      ScalableDimension: 'ecs:service:DesiredCount',
    });
    scaled.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        TargetValue: 50,
      }),
    });
  });
});

test.each([
  [
    { cpu: '512', memoryLimitMiB: '512' },
    'Fargate does not offer cpu 512 with memory 512 MiB; for cpu 512: 1024-4096 MiB in steps of 1024',
  ],
  [
    { cpu: '256', memoryLimitMiB: '1536' },
    'Fargate does not offer cpu 256 with memory 1536 MiB; for cpu 256: 512-2048 MiB in steps of 512 '
      + '(512, 1024 or 2048)',
  ],
  [
    { cpu: '300' },
    'Fargate does not offer cpu 300 with memory 1024 MiB; cpu is one of 256, 512, 1024, 2048, 4096, 8192, 16384',
  ],
  [{ desiredCount: '-1' }, 'desiredCount must be a whole number of tasks, 0 or more, got -1'],
  [{ desiredCount: '2.5' }, 'desiredCount must be a whole number of tasks, 0 or more, got 2.5'],
  [
    { desiredCount: '2', autoScaling: 'true' },
    'desiredCount cannot be set with autoScaling, got 2: the scaler owns the task count (2-4)',
  ],
  [{ withLoadBalancer: 'yes' }, 'Context value withLoadBalancer must be true or false, got "yes"'],
])('fails on %p with a message that says what is allowed', (context, message) => {
  expect(() => synthLabs([STACK], { context })).toThrow(message);
});
