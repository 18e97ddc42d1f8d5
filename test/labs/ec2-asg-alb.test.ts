import { Match, Template } from 'aws-cdk-lib/assertions';
import { dependsOn } from '../../lib/template/dependencies';
import { normalizeTemplate } from '../helpers/normalize-template';
import { synthLabs, templateOf } from '../helpers/synth';

const STACK = 'Ec2AsgAlbLab';
const synthed = synthLabs([STACK]);
const template = Template.fromJSON(templateOf(synthed, STACK));
const idOf = (type: string, props?: object) => {
  const ids = Object.keys(template.findResources(type, props && { Properties: props }));
  expect(ids).toHaveLength(1);
  return ids[0];
};
const withContext = (context: Record<string, unknown>) => Template.fromJSON(
  templateOf(synthLabs([STACK], { context }), STACK),
);

test('synthesizes with no unacknowledged finding', () => {
  expect(synthed.error).toBeUndefined();
  expect(synthed.violations).toEqual([]);
});

test('matches the snapshot', () => {
  expect(normalizeTemplate(templateOf(synthed, STACK))).toMatchSnapshot();
});

test('launches from a launch template (never a launch configuration): AL2023, t3.micro, IMDSv2, '
  + 'encrypted root volume', () => {
  template.resourceCountIs('AWS::AutoScaling::LaunchConfiguration', 0);
  template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
    LaunchTemplateData: Match.objectLike({
      InstanceType: 't3.micro',
      ImageId: { Ref: Match.stringLikeRegexp('al2023amikerneldefault') },
      MetadataOptions: { HttpTokens: 'required' },
      BlockDeviceMappings: [{
        DeviceName: '/dev/xvda',
        Ebs: { DeleteOnTermination: true, Encrypted: true, VolumeSize: 8, VolumeType: 'gp3' },
      }],
    }),
  });
});

test('starts httpd with a page naming the instance that answered', () => {
  const data = Object.values(template.findResources('AWS::EC2::LaunchTemplate'))[0].Properties.LaunchTemplateData;
  const script: string = data.UserData['Fn::Base64'];
  expect(script).toContain('systemctl enable --now httpd');
  expect(script).toContain('Served by instance <strong>$INSTANCE_ID</strong>');
});

test('keeps 2 to 4 instances, starting at 2 without a desired capacity that every deploy would reset', () => {
  template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
    MinSize: '2',
    MaxSize: '4',
    DesiredCapacity: Match.absent(),
  });
});

test('starts with more instances when minCapacity is raised, still without a desired capacity', () => {
  withContext({ minCapacity: '3' }).hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
    MinSize: '3',
    MaxSize: '4',
    DesiredCapacity: Match.absent(),
  });
});

test('deletes the group, whose instances have public IPs, before the internet gateway is detached', () => {
  const group = idOf('AWS::AutoScaling::AutoScalingGroup');
  const attachment = idOf('AWS::EC2::VPCGatewayAttachment');
  template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
    LaunchTemplateData: Match.objectLike({ NetworkInterfaces: Match.absent() }),
  });
  template.hasResourceProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: true });
  expect(dependsOn(template.toJSON(), group, attachment)).toBe(true);
});

test('replaces instances the load balancer finds unhealthy, after a 300 s grace period', () => {
  template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
    HealthCheckType: 'ELB',
    HealthCheckGracePeriod: 300,
    TargetGroupARNs: [{ Ref: idOf('AWS::ElasticLoadBalancingV2::TargetGroup') }],
  });
});

test('tags the instances Name=WebServer-ASG-Instance and with the lab tag', () => {
  template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
    Tags: Match.arrayWith([
      { Key: 'lab', PropagateAtLaunch: true, Value: STACK },
      { Key: 'Name', PropagateAtLaunch: true, Value: 'WebServer-ASG-Instance' },
    ]),
  });
});

test('scales on average CPU at 50 %', () => {
  template.hasResourceProperties('AWS::AutoScaling::ScalingPolicy', {
    PolicyType: 'TargetTrackingScaling',
    TargetTrackingConfiguration: {
      PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' },
      TargetValue: 50,
    },
  });
});

test('puts an internet-facing ALB across the two public subnets, listening for HTTP on 80', () => {
  template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
    Scheme: 'internet-facing',
    Type: 'application',
    Subnets: [{ Ref: Match.stringLikeRegexp('PublicSubnet1') }, { Ref: Match.stringLikeRegexp('PublicSubnet2') }],
  });
  template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
    Port: 80,
    Protocol: 'HTTP',
    DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: idOf('AWS::ElasticLoadBalancingV2::TargetGroup') } }],
  });
});

test('health-checks / over HTTP 80 with thresholds, timeout and interval inside the chapter notes\' ranges', () => {
  const targetGroup = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup'))[0].Properties;
  expect(targetGroup).toEqual(expect.objectContaining({
    Port: 80,
    Protocol: 'HTTP',
    TargetType: 'instance',
    HealthCheckPath: '/',
  }));
  expect(targetGroup.HealthyThresholdCount).toBeGreaterThanOrEqual(2);
  expect(targetGroup.HealthyThresholdCount).toBeLessThanOrEqual(10);
  expect(targetGroup.UnhealthyThresholdCount).toBeGreaterThanOrEqual(2);
  expect(targetGroup.UnhealthyThresholdCount).toBeLessThanOrEqual(10);
  expect(targetGroup.HealthCheckTimeoutSeconds).toBeGreaterThanOrEqual(2);
  expect(targetGroup.HealthCheckTimeoutSeconds).toBeLessThanOrEqual(120);
  expect(targetGroup.HealthCheckIntervalSeconds).toBeGreaterThanOrEqual(5);
  expect(targetGroup.HealthCheckIntervalSeconds).toBeLessThanOrEqual(300);
  expect(targetGroup.HealthCheckTimeoutSeconds).toBeLessThan(targetGroup.HealthCheckIntervalSeconds);
});

test('lets the instances be reached on port 80 from the load balancer only, and never on SSH', () => {
  const instanceGroup = Object.values(template.findResources('AWS::EC2::LaunchTemplate'))[0]
    .Properties.LaunchTemplateData.SecurityGroupIds[0]['Fn::GetAtt'][0];
  const balancerGroup = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))[0]
    .Properties.SecurityGroups[0]['Fn::GetAtt'][0];
  const groups = template.findResources('AWS::EC2::SecurityGroup');
  expect(groups[instanceGroup].Properties.SecurityGroupIngress).toBeUndefined();
  const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))
    .map((rule) => rule.Properties);
  expect(ingress).toEqual([expect.objectContaining({
    GroupId: { 'Fn::GetAtt': [instanceGroup, 'GroupId'] },
    SourceSecurityGroupId: { 'Fn::GetAtt': [balancerGroup, 'GroupId'] },
    FromPort: 80, ToPort: 80, IpProtocol: 'tcp',
  })]);
  expect(groups[balancerGroup].Properties.SecurityGroupIngress).toEqual([
    expect.objectContaining({ CidrIp: '0.0.0.0/0', FromPort: 80, ToPort: 80 }),
  ]);
  expect(JSON.stringify(template.toJSON())).not.toMatch(/"FromPort":22/);
});

test('gives the instances Session Manager and Run Command through their role', () => {
  template.hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: Match.objectLike({
      Statement: [Match.objectLike({ Principal: { Service: 'ec2.amazonaws.com' } })],
    }),
    ManagedPolicyArns: [{
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonSSMManagedInstanceCore']],
    }],
  });
});

test('outputs the URL, group name, target group ARN and the Run Command that loads the CPUs', () => {
  const outputs = template.findOutputs('*');
  expect(Object.keys(outputs).sort()).toEqual(['GroupName', 'StressCommand', 'TargetGroupArn', 'Url']);
  const command = outputs.StressCommand.Value['Fn::Join'][1];
  expect(command[0]).toContain('aws ssm send-command --document-name AWS-RunShellScript '
    + '--targets Key=tag:aws:autoscaling:groupName,Values=');
  expect(command[1]).toEqual({ Ref: idOf('AWS::AutoScaling::AutoScalingGroup') });
  expect(command[2]).toContain('timeout 600');
});

test('launches from an AMI given as amiId, such as the one made in the EC2 lab', () => {
  withContext({ amiId: 'ami-0abcdef1234567890' }).hasResourceProperties('AWS::EC2::LaunchTemplate', {
    LaunchTemplateData: Match.objectLike({ ImageId: 'ami-0abcdef1234567890' }),
  });
});

test('honours capacity, CPU target and instance type context values', () => {
  const custom = withContext({ minCapacity: '1', maxCapacity: '3', cpuTargetPercent: '70', instanceType: 't4g.micro' });
  custom.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { MinSize: '1', MaxSize: '3' });
  custom.hasResourceProperties('AWS::AutoScaling::ScalingPolicy', {
    TargetTrackingConfiguration: Match.objectLike({ TargetValue: 70 }),
  });
  custom.hasResourceProperties('AWS::EC2::LaunchTemplate', {
    LaunchTemplateData: Match.objectLike({ InstanceType: 't4g.micro' }),
  });
});

test.each([
  [{ minCapacity: '5' }, 'minCapacity (5) must not be more than maxCapacity (4)'],
  [
    { desiredCapacity: '3' },
    'desiredCapacity is not a setting of Ec2AsgAlbLab, got "3": target tracking owns the group\'s count '
      + '(a desired capacity in the template would reset it on every deploy); to start with more instances, '
      + 'raise minCapacity',
  ],
  [{ minCapacity: '1.5' }, 'minCapacity must be a whole number of instances, 0 or more, got 1.5'],
  [{ cpuTargetPercent: '0' }, 'cpuTargetPercent must be more than 0 and at most 100, got 0'],
  [{ cpuTargetPercent: '101' }, 'cpuTargetPercent must be more than 0 and at most 100, got 101'],
  [{ instanceType: 'large' }, 'instanceType must be an EC2 instance type such as "t3.micro"'],
  [{ amiId: 'ami-123' }, 'amiId must be an AMI id such as "ami-0abcdef1234567890"'],
])('fails on %p with a message that says what is allowed', (context, message) => {
  expect(() => synthLabs([STACK], { context })).toThrow(message);
});
