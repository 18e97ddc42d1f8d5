import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { CloudFormationClient, DescribeStacksCommand, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { DescribeNetworkInterfacesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeServicesCommand, DescribeTaskDefinitionCommand, DescribeTasksCommand, ECSClient, ListTasksCommand,
} from '@aws-sdk/client-ecs';
import {
  DescribeConfigurationSettingsCommand, DescribeEnvironmentsCommand, ElasticBeanstalkClient,
} from '@aws-sdk/client-elastic-beanstalk';
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { createServer as createBeanstalkApp } from '../../labs/beanstalk-app/app/app';
import { awsClients } from '../../lib/aws/clients';
import { verifyLab } from '../../lib/verify/verify-lab';
import { serveStandIn, StandIn } from '../helpers/http-stand-in';
import { webServerPage } from '../helpers/web-server-page';
import { joinRegExp } from '../helpers/join-regexp';

// The checks of the deployed labs, over real HTTP against local servers that stand in for the instances, load
// balancers and tasks, with the AWS API answers mocked: there is no AWS account here.
const cloudFormation = mockClient(CloudFormationClient);
const autoScaling = mockClient(AutoScalingClient);
const elbv2 = mockClient(ElasticLoadBalancingV2Client);
const ecs = mockClient(ECSClient);
const ec2 = mockClient(EC2Client);
const elasticBeanstalk = mockClient(ElasticBeanstalkClient);

const standIns: StandIn[] = [];
async function standIn(...args: Parameters<typeof serveStandIn>): Promise<StandIn> {
  const server = await serveStandIn(...args);
  standIns.push(server);
  return server;
}

beforeEach(() => [cloudFormation, autoScaling, elbv2, ecs, ec2, elasticBeanstalk].forEach((mock) => mock.reset()));
afterEach(async () => {
  await Promise.all(standIns.splice(0).map((server) => server.close()));
});

function deployed(stackName: string, outputs: Record<string, string>, template?: unknown): void {
  cloudFormation.on(DescribeStacksCommand, { StackName: stackName }).resolves({
    Stacks: [{
      StackName: stackName,
      StackStatus: 'CREATE_COMPLETE',
      CreationTime: new Date(),
      Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
    }],
  });
  if (template) {
    cloudFormation.on(GetTemplateCommand, { StackName: stackName })
      .resolves({ TemplateBody: JSON.stringify(template) });
  }
}

async function verify(stackName: string): Promise<{ passed: boolean; lines: string[] }> {
  const lines: string[] = [];
  const passed = await verifyLab({
    stackName,
    aws: awsClients({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
    timeLimitMs: 300,
    retryDelayMs: 20,
    print: (line) => lines.push(line),
  });
  return { passed, lines };
}

const html = (body: string) => (_: unknown, response: import('http').ServerResponse) => {
  response.writeHead(200, { 'Content-Type': 'text/html' }).end(body);
};

describe('Ec2WebServerLab (AWS API mocked)', () => {
  test('passes when the instance serves the page the user data writes, naming itself', async () => {
    const instance = await standIn(html(webServerPage('i-0123456789abcdef0')));
    deployed('Ec2WebServerLab', { Url: instance.origin, InstanceId: 'i-0123456789abcdef0' });
    expect(await verify('Ec2WebServerLab')).toEqual({
      passed: true,
      lines: [
        'Checking Ec2WebServerLab in us-east-1 (retrying for up to 0 s while it warms up)',
        `PASS  the web server answers 200 with its page: ${instance.origin} served by i-0123456789abcdef0`,
        '1 of 1 checks passed.',
      ],
    });
  });

  test('fails when another instance answers, or Apache still shows its test page', async () => {
    const other = await standIn(html(webServerPage('i-0fffffffffffffff0')));
    deployed('Ec2WebServerLab', { Url: other.origin, InstanceId: 'i-0123456789abcdef0' });
    const { passed, lines } = await verify('Ec2WebServerLab');
    expect(passed).toBe(false);
    expect(lines[1]).toMatch(joinRegExp(
      /^FAIL {2}the web server answers 200 with its page: /,
      /the page names i-0fffffffffffffff0, not the lab's instance i-0123456789abcdef0/,
    ));

    const testPage = await standIn((_, response) => response.writeHead(403).end('<h1>It works!</h1>'));
    deployed('Ec2WebServerLab', { Url: testPage.origin, InstanceId: 'i-0123456789abcdef0' });
    expect((await verify('Ec2WebServerLab')).lines[1])
      .toContain(`GET ${testPage.origin} answered 403: <h1>It works!</h1>`);
  });
});

describe('Ec2AsgAlbLab (AWS API mocked)', () => {
  const template = {
    Resources: { Group: { Type: 'AWS::AutoScaling::AutoScalingGroup', Properties: { MinSize: '2', MaxSize: '4' } } },
  };
  const outputs = (url: string) => ({
    Url: url,
    GroupName: 'Ec2AsgAlbLab-Fleet-1',
    TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/1',
  });

  test('passes when requests reach two instances, both targets are healthy and the group keeps 2 to 4', async () => {
    let request = 0;
    const loadBalancer = await standIn((_, response) =>
      html(webServerPage(++request % 2 ? 'i-0aaaaaaaaaaaaaaa1' : 'i-0bbbbbbbbbbbbbbb2'))(_, response));
    deployed('Ec2AsgAlbLab', outputs(loadBalancer.origin), template);
    elbv2.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [
      { Target: { Id: 'i-0aaaaaaaaaaaaaaa1' }, TargetHealth: { State: 'healthy' } },
      { Target: { Id: 'i-0bbbbbbbbbbbbbbb2' }, TargetHealth: { State: 'healthy' } },
    ] });
    autoScaling.on(DescribeAutoScalingGroupsCommand, { AutoScalingGroupNames: ['Ec2AsgAlbLab-Fleet-1'] })
      .resolves({ AutoScalingGroups: [
        {
          AutoScalingGroupName: 'Ec2AsgAlbLab-Fleet-1', MinSize: 2, MaxSize: 4, DesiredCapacity: 2,
          Instances: [{} as any, {} as any], DefaultCooldown: 300, AvailabilityZones: [], HealthCheckType: 'ELB',
          CreatedTime: new Date(),
        },
      ] });
    const { passed, lines } = await verify('Ec2AsgAlbLab');
    expect(lines.slice(1)).toEqual([
      `PASS  the load balancer answers 200 with a web server's page: ${loadBalancer.origin} `
        + 'served by i-0aaaaaaaaaaaaaaa1',
      'PASS  over 20 requests, at least 2 instances answer: 2 instance(s): i-0aaaaaaaaaaaaaaa1, i-0bbbbbbbbbbbbbbb2',
      'PASS  the target group reports at least the group\'s minimum of healthy targets: 2 of 2 healthy, 2 needed '
        + '(i-0aaaaaaaaaaaaaaa1 healthy, i-0bbbbbbbbbbbbbbb2 healthy)',
      'PASS  the Auto Scaling group has the size it was deployed with: min 2, max 4, desired 2, 2 instance(s); '
        + 'deployed min 2, max 4',
      '4 of 4 checks passed.',
    ]);
    expect(passed).toBe(true);
  });

  test('fails each check with what it saw: one instance answering, a target still starting, '
    + 'a group resized by hand', async () => {
    const loadBalancer = await standIn(html(webServerPage('i-0aaaaaaaaaaaaaaa1')));
    deployed('Ec2AsgAlbLab', outputs(loadBalancer.origin), template);
    elbv2.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [
      { Target: { Id: 'i-0aaaaaaaaaaaaaaa1' }, TargetHealth: { State: 'healthy' } },
      { Target: { Id: 'i-0bbbbbbbbbbbbbbb2' }, TargetHealth: { State: 'initial' } },
    ] });
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [
      {
        AutoScalingGroupName: 'Ec2AsgAlbLab-Fleet-1', MinSize: 1, MaxSize: 4, DesiredCapacity: 1, Instances: [],
        DefaultCooldown: 300, AvailabilityZones: [], HealthCheckType: 'ELB', CreatedTime: new Date(),
      },
    ] });
    const { passed, lines } = await verify('Ec2AsgAlbLab');
    expect(passed).toBe(false);
    expect(lines.slice(2, 5).map((line) => line.replace(/ \(try \d+\)$/, ''))).toEqual([
      'FAIL  over 20 requests, at least 2 instances answer: 1 instance(s): i-0aaaaaaaaaaaaaaa1',
      'FAIL  the target group reports at least the group\'s minimum of healthy targets: 1 of 2 healthy, 2 needed '
        + '(i-0aaaaaaaaaaaaaaa1 healthy, i-0bbbbbbbbbbbbbbb2 initial)',
      'FAIL  the Auto Scaling group has the size it was deployed with: min 1, max 4, desired 1, 0 instance(s); '
        + 'deployed min 2, max 4',
    ]);
    expect(lines[5]).toBe('1 of 4 checks passed.');
  });
});

describe('FargateServiceLab (AWS API mocked)', () => {
  const samplePage = '<html><head><title>Amazon ECS Sample App</title></head>'
    + '<body><h1>Amazon ECS Sample App</h1></body></html>';

  function service(runningCount: number, port: number) {
    ecs.on(DescribeServicesCommand, { cluster: 'cluster-1', services: ['service-1'] })
      .resolves({ services: [{ serviceName: 'service-1', status: 'ACTIVE', desiredCount: 2, runningCount }] });
    ecs.on(ListTasksCommand, { cluster: 'cluster-1', serviceName: 'service-1', desiredStatus: 'RUNNING' })
      .resolves({ taskArns: ['task-1', 'task-2'] });
    ecs.on(DescribeTasksCommand).resolves({ tasks: ['eni-1', 'eni-2'].map((eni) => ({
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1',
      attachments: [{ type: 'ElasticNetworkInterface', details: [{ name: 'networkInterfaceId', value: eni }] }],
    })) });
    ecs.on(DescribeTaskDefinitionCommand, {
      taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1',
    }).resolves({
      taskDefinition: { containerDefinitions: [{ name: 'web', portMappings: [{ containerPort: port }] }] },
    });
    ec2.on(DescribeNetworkInterfacesCommand, { NetworkInterfaceIds: ['eni-1', 'eni-2'] })
      .resolves({ NetworkInterfaces: [
        { NetworkInterfaceId: 'eni-1', Association: { PublicIp: '127.0.0.1' } },
        { NetworkInterfaceId: 'eni-2', Association: { PublicIp: '127.0.0.1' } },
      ] });
  }

  test('passes when the service runs its 2 tasks and each task\'s public IP serves the sample page', async () => {
    const task = await standIn(html(samplePage));
    deployed('FargateServiceLab', { ClusterName: 'cluster-1', ServiceName: 'service-1' });
    service(2, task.port);
    const { passed, lines } = await verify('FargateServiceLab');
    expect(lines.slice(1)).toEqual([
      'PASS  the service runs its desired count of tasks: 2 running of 2 desired (ACTIVE)',
      `PASS  every task's public IP serves the sample page: 200 from ${task.origin}/, ${task.origin}/`,
      '2 of 2 checks passed.',
    ]);
    expect(passed).toBe(true);
  });

  test('fails while a task is missing, and checks the load balancer when the lab has one', async () => {
    const task = await standIn(html(samplePage));
    const loadBalancer = await standIn((_, response) => response.writeHead(503).end('Service Temporarily Unavailable'));
    deployed('FargateServiceLab', { ClusterName: 'cluster-1', ServiceName: 'service-1', Url: loadBalancer.origin });
    service(1, task.port);
    const { passed, lines } = await verify('FargateServiceLab');
    expect(passed).toBe(false);
    expect(lines[1]).toMatch(/^FAIL {2}the service runs its desired count of tasks: 1 running of 2 desired \(ACTIVE\)/);
    expect(lines[3]).toMatch(
      new RegExp(`^FAIL  the load balancer serves the sample page: GET ${loadBalancer.origin} answered 503`),
    );
  });
});

describe('BeanstalkAppLab (AWS API mocked)', () => {
  function environment(Health: 'Green' | 'Red', APP_COLOR: string) {
    elasticBeanstalk.on(DescribeEnvironmentsCommand, { ApplicationName: 'app-1', EnvironmentNames: ['env-1'] })
      .resolves({ Environments: [{
        EnvironmentName: 'env-1', Status: 'Ready', Health, HealthStatus: Health === 'Green' ? 'Ok' : 'Severe',
      }] });
    elasticBeanstalk.on(DescribeConfigurationSettingsCommand, { ApplicationName: 'app-1', EnvironmentName: 'env-1' })
      .resolves({ ConfigurationSettings: [{
        OptionSettings: [{
          Namespace: 'aws:elasticbeanstalk:application:environment', OptionName: 'APP_COLOR', Value: APP_COLOR,
        }],
      }] });
  }

  test('passes when the environment is healthy and the lab\'s own app shows the heading in APP_COLOR', async () => {
    const app = await standIn(createBeanstalkApp({ appColor: 'teal', log: { warn: () => undefined } }));
    deployed('BeanstalkAppLab', { Url: app.origin, ApplicationName: 'app-1', EnvironmentName: 'env-1' });
    environment('Green', 'teal');
    const { passed, lines } = await verify('BeanstalkAppLab');
    expect(lines.slice(1)).toEqual([
      'PASS  the environment is ready and healthy: status Ready, health Green (Ok)',
      `PASS  the page shows the heading in APP_COLOR: ${app.origin} has the heading in teal`,
      '2 of 2 checks passed.',
    ]);
    expect(passed).toBe(true);
  });

  test('fails when the environment is unhealthy, or the app runs with another colour than configured', async () => {
    const app = await standIn(createBeanstalkApp({ appColor: 'blue', log: { warn: () => undefined } }));
    deployed('BeanstalkAppLab', { Url: app.origin, ApplicationName: 'app-1', EnvironmentName: 'env-1' });
    environment('Red', 'teal');
    const { passed, lines } = await verify('BeanstalkAppLab');
    expect(passed).toBe(false);
    expect(lines[1]).toMatch(/^FAIL {2}the environment is ready and healthy: status Ready, health Red \(Severe\)/);
    expect(lines[2]).toMatch(
      /^FAIL {2}the page shows the heading in APP_COLOR: GET .* answered 200 without \/<h1 style="color: teal;">\//,
    );
  });
});
