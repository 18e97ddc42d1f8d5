import * as fs from 'fs';
import * as path from 'path';
import { App, Lazy, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { LabVpc } from '../../lib/constructs/lab-vpc';
import { WebLoadBalancer, WebLoadBalancerProps } from '../../lib/constructs/web-load-balancer';
import { fixedImage } from '../../lib/constructs/web-server-fleet';
import { synthesize, testAppProps } from '../helpers/synth';

/** A WebLoadBalancer in front of an Auto Scaling group, in a stack of its own. */
function webLoadBalancer(props: Partial<WebLoadBalancerProps> = {}, app = new App(testAppProps())) {
  const stack = new Stack(app, 'TestLab');
  const { vpc } = new LabVpc(stack, 'Network');
  const group = new autoscaling.AutoScalingGroup(stack, 'Group', {
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    instanceType: new ec2.InstanceType('t3.micro'),
    machineImage: fixedImage('ami-12345678'),
  });
  const web = new WebLoadBalancer(stack, 'Web', { vpc, targets: [group], ...props });
  return { app, stack, web };
}

const { stack, web } = webLoadBalancer();
const template = Template.fromStack(stack);
const idOf = (type: string) => {
  const ids = Object.keys(template.findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0];
};
const healthCheckPathOf = (built: WebLoadBalancer) =>
  Stack.of(built).resolve((built.targetGroup.node.defaultChild as elbv2.CfnTargetGroup).healthCheckPath);
const pathMessage = (healthCheckPath: string) =>
  new Error('healthCheckPath must start with / and have at most 1024 characters and no spaces, e.g. "/health", '
    + `got ${JSON.stringify(healthCheckPath)}`);

test('puts an internet-facing load balancer in the two public subnets, dropping invalid header fields', () => {
  template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
    Scheme: 'internet-facing',
    Type: 'application',
    Subnets: [
      { Ref: Match.stringLikeRegexp('^NetworkPublicSubnet1') },
      { Ref: Match.stringLikeRegexp('^NetworkPublicSubnet2') },
    ],
    LoadBalancerAttributes: Match.arrayWith([
      { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
    ]),
  });
});

test('listens for HTTP on port 80 from anywhere and forwards to its target group', () => {
  template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
    Port: 80,
    Protocol: 'HTTP',
    DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: idOf('AWS::ElasticLoadBalancingV2::TargetGroup') } }],
  });
  const balancerGroup = template.toJSON().Resources[idOf('AWS::ElasticLoadBalancingV2::LoadBalancer')]
    .Properties.SecurityGroups[0]['Fn::GetAtt'][0];
  expect(template.toJSON().Resources[balancerGroup].Properties.SecurityGroupIngress).toEqual([
    expect.objectContaining({ CidrIp: '0.0.0.0/0', FromPort: 80, ToPort: 80, IpProtocol: 'tcp' }),
  ]);
});

test('health-checks / over HTTP 80 with thresholds 2/2, a 5 s timeout and a 15 s interval, '
  + 'and drains targets in 30 s', () => {
  template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
    Port: 80,
    Protocol: 'HTTP',
    HealthCheckPath: '/',
    HealthyThresholdCount: 2,
    UnhealthyThresholdCount: 2,
    HealthCheckTimeoutSeconds: 5,
    HealthCheckIntervalSeconds: 15,
    TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }]),
  });
});

test('lets its targets accept port 80 from the load balancer\'s security group', () => {
  const balancerGroup = template.toJSON().Resources[idOf('AWS::ElasticLoadBalancingV2::LoadBalancer')]
    .Properties.SecurityGroups[0];
  template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
    SourceSecurityGroupId: balancerGroup,
    FromPort: 80,
    ToPort: 80,
    IpProtocol: 'tcp',
  });
  template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
    TargetGroupARNs: [{ Ref: idOf('AWS::ElasticLoadBalancingV2::TargetGroup') }],
  });
});

test('gives its URL as http:// and the load balancer\'s DNS name', () => {
  expect(stack.resolve(web.url)).toEqual({
    'Fn::Join': ['', ['http://', { 'Fn::GetAtt': [idOf('AWS::ElasticLoadBalancingV2::LoadBalancer'), 'DNSName'] }]],
  });
});

test('acknowledges cdk-nag\'s access-log (ELB2) and open-port (EC23) findings on itself, leaving none open', () => {
  const app = new App(testAppProps());
  webLoadBalancer({}, app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const ownFindings = synthesize(app).violations
    .filter((violation) => violation.paths.some((constructPath) => constructPath.startsWith('TestLab/Web/')));
  expect(ownFindings).toEqual([]);
  const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf-8'));
  const acknowledged = report.pluginReports.flatMap((plugin: any) => plugin.suppressedViolations ?? [])
    .filter((finding: any) => finding.acknowledgedAt?.startsWith('TestLab/Web/'))
    .map((finding: any) => finding.ruleName);
  expect(acknowledged.sort()).toEqual(['AwsSolutions-EC23', 'AwsSolutions-ELB2']);
});

describe('healthCheckPath', () => {
  test.each([
    ['/', '/'],
    ['/health', '/health'],
    ['1024 characters', `/${'x'.repeat(1023)}`],
  ])('accepts %s', (_label, healthCheckPath) => {
    expect(healthCheckPathOf(webLoadBalancer({ healthCheckPath }, new App()).web)).toBe(healthCheckPath);
  });

  test.each([
    ['1025 characters', `/${'x'.repeat(1024)}`],
    ['no leading slash', 'health'],
    ['nothing', ''],
    ['a space', '/a b'],
    ['text before the slash', 'app/health'],
  ])('fails on a path with %s', (_label, healthCheckPath) => {
    expect(() => webLoadBalancer({ healthCheckPath }, new App())).toThrow(pathMessage(healthCheckPath));
  });

  test('accepts a path given as a token, and passes it on unchecked', () => {
    const healthCheckPath = Lazy.string({ produce: () => 'whatever the token holds' });
    expect(healthCheckPathOf(webLoadBalancer({ healthCheckPath }, new App()).web)).toBe('whatever the token holds');
  });
});

test('fails without a target', () => {
  expect(() => webLoadBalancer({ targets: [] }, new App()))
    .toThrow(new Error('targets must name at least one target (an Auto Scaling group, an ECS service, ...), got none'));
});
