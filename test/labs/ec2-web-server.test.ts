import { Match, Template } from 'aws-cdk-lib/assertions';
import { dependsOn } from '../../lib/template/dependencies';
import { normalizeTemplate } from '../helpers/normalize-template';
import { synthLabs, templateOf } from '../helpers/synth';

const STACK = 'Ec2WebServerLab';
const synthed = synthLabs([STACK]);
const template = Template.fromJSON(templateOf(synthed, STACK));

function ingressOf(context: Record<string, unknown>) {
  const result = synthLabs([STACK], { context });
  expect(result.error).toBeUndefined();
  return Template.fromJSON(result.templates[STACK]).findResources('AWS::EC2::SecurityGroup');
}

test('synthesizes with no unacknowledged finding', () => {
  expect(synthed.error).toBeUndefined();
  expect(synthed.violations).toEqual([]);
});

test('matches the snapshot', () => {
  expect(normalizeTemplate(synthed.templates[STACK])).toMatchSnapshot();
});

test('requires IMDSv2 through a launch template that CloudFormation names, so copies of the lab can coexist', () => {
  template.resourceCountIs('AWS::EC2::LaunchTemplate', 1);
  const [[launchTemplateId, launchTemplate]] = Object.entries(template.findResources('AWS::EC2::LaunchTemplate'));
  expect(launchTemplate.Properties.LaunchTemplateName).toBeUndefined();
  expect(launchTemplate.Properties.LaunchTemplateData.MetadataOptions).toEqual({ HttpTokens: 'required' });
  template.hasResourceProperties('AWS::EC2::Instance', {
    LaunchTemplate: {
      LaunchTemplateId: { Ref: launchTemplateId },
      Version: { 'Fn::GetAtt': [launchTemplateId, 'LatestVersionNumber'] },
    },
  });
});

test('runs one t3.micro on the current Amazon Linux 2023, resolved from SSM at deploy', () => {
  template.resourceCountIs('AWS::EC2::Instance', 1);
  template.hasResourceProperties('AWS::EC2::Instance', {
    InstanceType: 't3.micro',
    ImageId: { Ref: Match.stringLikeRegexp('al2023') },
  });
  template.hasParameter('*', {
    Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
    Default: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
  });
});

test('installs, starts and serves httpd with a page naming the instance', () => {
  const userData = template.findResources('AWS::EC2::Instance');
  const script: string = Object.values(userData)[0].Properties.UserData['Fn::Base64'];
  expect(script).toContain('dnf install -y httpd');
  expect(script).toContain('systemctl enable --now httpd');
  expect(script).toMatch(/Served by instance .*\$INSTANCE_ID/);
});

test('requires IMDSv2 and encrypts a gp3 root volume', () => {
  template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
    LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required' } },
  });
  template.hasResourceProperties('AWS::EC2::Instance', {
    BlockDeviceMappings: [{
      DeviceName: '/dev/xvda',
      Ebs: Match.objectLike({ Encrypted: true, VolumeType: 'gp3', VolumeSize: 8 }),
    }],
  });
});

test('opens HTTP to the world and nothing else by default', () => {
  const groups = template.findResources('AWS::EC2::SecurityGroup');
  const ingress = Object.values(groups).flatMap((group: any) => group.Properties.SecurityGroupIngress ?? []);
  expect(ingress).toEqual([
    expect.objectContaining({ CidrIp: '0.0.0.0/0', FromPort: 80, ToPort: 80, IpProtocol: 'tcp' }),
  ]);
  template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
});

test('opens SSH to the sshCidr context value only', () => {
  const ingress = Object.values(ingressOf({ sshCidr: '203.0.113.7/32' }))
    .flatMap((group: any) => group.Properties.SecurityGroupIngress);
  expect(ingress).toContainEqual(expect.objectContaining({ CidrIp: '203.0.113.7/32', FromPort: 22, ToPort: 22 }));
  expect(ingress.filter((rule: any) => rule.FromPort === 22 && rule.CidrIp === '0.0.0.0/0')).toEqual([]);
});

test('deletes the instance, which has a public IP, before the internet gateway is detached', () => {
  const [instance] = Object.keys(template.findResources('AWS::EC2::Instance'));
  const [attachment] = Object.keys(template.findResources('AWS::EC2::VPCGatewayAttachment'));
  template.hasResourceProperties('AWS::EC2::Instance', {
    NetworkInterfaces: [Match.objectLike({ AssociatePublicIpAddress: true })],
  });
  expect(dependsOn(template.toJSON(), instance, attachment)).toBe(true);
});

test('names the instance after the lab, Name=Ec2WebServerLab/WebServer', () => {
  template.hasResourceProperties('AWS::EC2::Instance', {
    Tags: Match.arrayWith([{ Key: 'Name', Value: 'Ec2WebServerLab/WebServer' }]),
  });
});

test('gives the instance Session Manager access through its role', () => {
  template.hasResourceProperties('AWS::IAM::Role', {
    ManagedPolicyArns: [{
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonSSMManagedInstanceCore']],
    }],
  });
});

test('outputs the URL, the instance id and the Session Manager command', () => {
  const outputs = template.findOutputs('*');
  expect(Object.keys(outputs).sort()).toEqual(['InstanceId', 'SessionManagerCommand', 'Url']);
  expect(JSON.stringify(outputs.SessionManagerCommand.Value)).toContain('aws ssm start-session --target ');
});

test('honours the instanceType context value and picks the AMI for its CPU', () => {
  const result = synthLabs([STACK], { context: { instanceType: 't4g.micro' } });
  const graviton = Template.fromJSON(result.templates[STACK]);
  graviton.hasResourceProperties('AWS::EC2::Instance', { InstanceType: 't4g.micro' });
  graviton.hasParameter('*', { Default: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64' });
});

test.each([
  ['0.0.0.0/0'],
  ['10.0.0.0/8'],
  ['203.0.113.7'],
  ['300.0.113.7/32'],
])('fails on sshCidr %s with a message that shows what is allowed', (sshCidr) => {
  expect(() => synthLabs([STACK], { context: { sshCidr } }))
    .toThrow(/sshCidr must be your own IPv4 range with a prefix from \/16 to \/32/);
});

test('fails on an instanceType that is not one', () => {
  expect(() => synthLabs([STACK], { context: { instanceType: 'big' } }))
    .toThrow(/instanceType must be an EC2 instance type such as "t3.micro"/);
});
