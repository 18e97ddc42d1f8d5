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
import type { VerifiedLab } from '../../lib/verify/verified-labs';
import { loadVerifier } from '../../lib/verify/verifiers';
import { serveStandIn, StandIn } from '../helpers/http-stand-in';
import { webServerPage } from '../helpers/web-server-page';
import { joinRegExp } from '../helpers/join-regexp';
import { STILL, verifySettling } from './end-wait-when-settled';

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

function verify(stackName: VerifiedLab): Promise<{ passed: boolean; lines: string[] }> {
  return verifySettling(loadVerifier(stackName), STILL, {
    stackName,
    aws: awsClients({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
    timeLimitMs: 300,
    retryDelayMs: 20,
  });
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
    elbv2.on(DescribeTargetHealthCommand, { TargetGroupArn: outputs('').TargetGroupArn }).resolves({
      TargetHealthDescriptions: [
        { Target: { Id: 'i-0aaaaaaaaaaaaaaa1' }, TargetHealth: { State: 'healthy' } },
        { Target: { Id: 'i-0bbbbbbbbbbbbbbb2' }, TargetHealth: { State: 'healthy' } },
      ],
    });
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
    // The first check's request, then the 20 of the second.
    expect(request).toBe(21);
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

  /** The group as Auto Scaling describes it. */
  const group = (MinSize: number, MaxSize: number) => ({
    AutoScalingGroupName: 'Ec2AsgAlbLab-Fleet-1', MinSize, MaxSize, DesiredCapacity: MinSize, Instances: [],
    DefaultCooldown: 300, AvailabilityZones: [], HealthCheckType: 'ELB', CreatedTime: new Date(),
  });
  const checked = async (name: RegExp) => (await verify('Ec2AsgAlbLab')).lines
    .find((line) => name.test(line))?.replace(/ \(try \d+\)$/, '');

  test('passes a target group with more healthy targets than the minimum, and fails one with none', async () => {
    const loadBalancer = await standIn(html(webServerPage('i-0aaaaaaaaaaaaaaa1')));
    deployed('Ec2AsgAlbLab', outputs(loadBalancer.origin), template);
    elbv2.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: ['1', '2', '3'].map((n) => ({
      Target: { Id: `i-0${n}`, Port: 80 }, TargetHealth: { State: 'healthy' },
    })) });
    expect(await checked(/healthy targets/)).toBe('PASS  the target group reports at least the group\'s minimum of '
      + 'healthy targets: 3 of 3 healthy, 2 needed (i-01 healthy, i-02 healthy, i-03 healthy)');
    elbv2.on(DescribeTargetHealthCommand).resolves({});
    expect(await checked(/healthy targets/)).toBe('FAIL  the target group reports at least the group\'s minimum of '
      + 'healthy targets: 0 of 0 healthy, 2 needed (no targets)');
  });

  test('fails a group whose maximum was changed by hand, or that is gone, naming it', async () => {
    const loadBalancer = await standIn(html(webServerPage('i-0aaaaaaaaaaaaaaa1')));
    deployed('Ec2AsgAlbLab', outputs(loadBalancer.origin), template);
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [group(2, 5)] });
    expect(await checked(/size it was deployed with/)).toBe('FAIL  the Auto Scaling group has the size it was '
      + 'deployed with: min 2, max 5, desired 2, 0 instance(s); deployed min 2, max 4');
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({});
    expect(await checked(/size it was deployed with/)).toBe('FAIL  the Auto Scaling group has the size it was '
      + 'deployed with: no Auto Scaling group named Ec2AsgAlbLab-Fleet-1');
  });

  test('fails the size checks when the deployed template has no Auto Scaling group, or no template', async () => {
    const loadBalancer = await standIn(html(webServerPage('i-0aaaaaaaaaaaaaaa1')));
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [group(2, 4)] });
    const missing = 'the deployed template of Ec2AsgAlbLab has no Auto Scaling group';
    for (const deployedTemplate of [{ Resources: { Queue: { Type: 'AWS::SQS::Queue' } } }, {}]) {
      deployed('Ec2AsgAlbLab', outputs(loadBalancer.origin), deployedTemplate);
      expect(await checked(/size it was deployed with/)).toBe(
        `FAIL  the Auto Scaling group has the size it was deployed with: ${missing}`);
    }
    cloudFormation.on(GetTemplateCommand).resolves({});
    expect(await checked(/healthy targets/)).toMatch(new RegExp(`: ${missing}$`));
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
    ecs.on(DescribeTasksCommand, { cluster: 'cluster-1', tasks: ['task-1', 'task-2'] }).resolves({ tasks: [
      'eni-1', 'eni-2',
    ].map((eni) => ({
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

  const checked = async () => (await verify('FargateServiceLab')).lines.slice(1, -1)
    .map((line) => line.replace(/ \(try \d+\)$/, ''));

  test('passes the load balancer when it serves the sample page', async () => {
    const task = await standIn(html(samplePage));
    deployed('FargateServiceLab', { ClusterName: 'cluster-1', ServiceName: 'service-1', Url: task.origin });
    service(2, task.port);
    expect((await checked())[2]).toBe(`PASS  the load balancer serves the sample page: 200 from ${task.origin}`);
  });

  test.each([
    [3, 2, 'FAIL', '3 running of 2 desired (ACTIVE)'],
    [0, 0, 'FAIL', '0 running of 0 desired (ACTIVE)'],
  ])('counts %i running of %i desired as %s: the service runs exactly its desired count, at least one',
    async (runningCount, desiredCount, verdict, seen) => {
      const task = await standIn(html(samplePage));
      deployed('FargateServiceLab', { ClusterName: 'cluster-1', ServiceName: 'service-1' });
      service(runningCount, task.port);
      ecs.on(DescribeServicesCommand).resolves({ services: [{ status: 'ACTIVE', desiredCount, runningCount }] });
      expect((await checked())[0]).toBe(`${verdict}  the service runs its desired count of tasks: ${seen}`);
    });

  test('fails when the cluster has no such service, naming both', async () => {
    deployed('FargateServiceLab', { ClusterName: 'cluster-1', ServiceName: 'service-1' });
    ecs.on(DescribeServicesCommand).resolves({ services: [] });
    expect((await checked())[0])
      .toBe('FAIL  the service runs its desired count of tasks: no service service-1 in cluster cluster-1');
  });

  test('fails when no task runs, or none has a public IP yet', async () => {
    const task = await standIn(html(samplePage));
    deployed('FargateServiceLab', { ClusterName: 'cluster-1', ServiceName: 'service-1' });
    service(2, task.port);
    const noIp = 'FAIL  every task\'s public IP serves the sample page: no running task has a public IP';
    ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [{ NetworkInterfaceId: 'eni-1' }] });
    expect((await checked())[1]).toBe(noIp);
    ecs.on(ListTasksCommand).resolves({});
    expect((await checked())[1]).toBe(noIp);
  });

  test('fails while a task has no network interface attached, counting such tasks', async () => {
    const task = await standIn(html(samplePage));
    deployed('FargateServiceLab', { ClusterName: 'cluster-1', ServiceName: 'service-1' });
    service(2, task.port);
    const definition = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1';
    ecs.on(DescribeTasksCommand, { cluster: 'cluster-1', tasks: ['task-1', 'task-2'] }).resolves({ tasks: [
      { taskDefinitionArn: definition, attachments: [
        { type: 'ElasticNetworkInterface', details: [{ name: 'networkInterfaceId', value: 'eni-1' }] }] },
      // Another kind of attachment, an interface without its id yet, and no attachment at all.
      { taskDefinitionArn: definition, attachments: [
        { type: 'ServiceConnect', details: [{ name: 'networkInterfaceId', value: 'eni-2' }] }] },
      { taskDefinitionArn: definition, attachments: [
        { type: 'ElasticNetworkInterface', details: [{ name: 'subnetId', value: 'subnet-1' }] }] },
      { taskDefinitionArn: definition },
    ] });
    expect((await checked())[1])
      .toBe('FAIL  every task\'s public IP serves the sample page: 3 task(s) have no network interface yet');
  });

  test.each([
    ['on port 80', { taskDefinition: { containerDefinitions: [{ portMappings: [{ containerPort: 80 }] }] } }],
    ['without a port mapping, on 80', { taskDefinition: { containerDefinitions: [{}] } }],
    ['with an empty port list, on 80', { taskDefinition: { containerDefinitions: [{ portMappings: [] }] } }],
    ['without a container, on 80', { taskDefinition: { containerDefinitions: [] } }],
    ['without a list of containers, on 80', { taskDefinition: {} }],
    ['without its task definition, on 80', {}],
  ])('asks a task %s at its address without a port', async (_name, answer) => {
    deployed('FargateServiceLab', { ClusterName: 'cluster-1', ServiceName: 'service-1' });
    service(2, 80);
    ecs.on(DescribeTaskDefinitionCommand).resolves(answer);
    // Nothing of the test listens on port 80: what matters is the address asked.
    expect((await checked())[1])
      .toMatch(/^FAIL {2}every task's public IP serves the sample page: GET http:\/\/127\.0\.0\.1\/[: ]/);
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

  const checked = async () => (await verify('BeanstalkAppLab')).lines.slice(1, -1)
    .map((line) => line.replace(/ \(try \d+\)$/, ''));

  test('passes a hex APP_COLOR, and a health without a status, which it leaves out', async () => {
    const app = await standIn(createBeanstalkApp({ appColor: '#1a2B3c', log: { warn: () => undefined } }));
    deployed('BeanstalkAppLab', { Url: app.origin, ApplicationName: 'app-1', EnvironmentName: 'env-1' });
    environment('Green', '#1a2B3c');
    elasticBeanstalk.on(DescribeEnvironmentsCommand).resolves({ Environments: [{ Status: 'Ready', Health: 'Green' }] });
    expect(await checked()).toEqual([
      'PASS  the environment is ready and healthy: status Ready, health Green',
      `PASS  the page shows the heading in APP_COLOR: ${app.origin} has the heading in #1a2B3c`,
    ]);
  });

  test('fails a green environment that is not ready yet, and one that is not there, naming it', async () => {
    deployed('BeanstalkAppLab', { Url: 'http://127.0.0.1:9', ApplicationName: 'app-1', EnvironmentName: 'env-1' });
    environment('Green', 'teal');
    elasticBeanstalk.on(DescribeEnvironmentsCommand)
      .resolves({ Environments: [{ Status: 'Updating', Health: 'Green', HealthStatus: 'Ok' }] });
    expect((await checked())[0]).toBe('FAIL  the environment is ready and healthy: status Updating, health Green (Ok)');
    elasticBeanstalk.on(DescribeEnvironmentsCommand).resolves({});
    expect((await checked())[0]).toBe('FAIL  the environment is ready and healthy: no environment env-1');
  });

  test.each([
    ['no option settings', {}],
    ['APP_COLOR in another namespace', { ConfigurationSettings: [{ OptionSettings: [
      { Namespace: 'aws:elasticbeanstalk:container:nodejs', OptionName: 'APP_COLOR', Value: 'teal' }] }] }],
    ['another property', { ConfigurationSettings: [{ OptionSettings: [
      { Namespace: 'aws:elasticbeanstalk:application:environment', OptionName: 'PORT', Value: '8080' }] }] }],
    ['an empty APP_COLOR', { ConfigurationSettings: [{}, { OptionSettings: [
      { Namespace: 'aws:elasticbeanstalk:application:environment', OptionName: 'APP_COLOR', Value: '' }] }] }],
  ])('fails the heading check on an environment with %s', async (_name, settings) => {
    const app = await standIn(createBeanstalkApp({ appColor: 'teal', log: { warn: () => undefined } }));
    deployed('BeanstalkAppLab', { Url: app.origin, ApplicationName: 'app-1', EnvironmentName: 'env-1' });
    environment('Green', 'teal');
    elasticBeanstalk.on(DescribeConfigurationSettingsCommand).resolves(settings);
    expect((await checked())[1])
      .toBe('FAIL  the page shows the heading in APP_COLOR: the environment has no APP_COLOR property');
  });
});
