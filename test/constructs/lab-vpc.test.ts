import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { LabVpc, LabVpcProps } from '../../lib/constructs/lab-vpc';
import { testAppProps } from '../helpers/synth';

function vpcTemplate(props?: LabVpcProps) {
  const stack = new Stack(new App(testAppProps()), 'TestLab');
  new LabVpc(stack, 'Network', props);
  return Template.fromStack(stack);
}

const template = vpcTemplate();

test('spans two AZs with public subnets only', () => {
  template.resourceCountIs('AWS::EC2::Subnet', 2);
  template.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: true });
  template.resourceCountIs('AWS::EC2::InternetGateway', 1);
});

test('has no NAT gateway and no Elastic IP', () => {
  template.resourceCountIs('AWS::EC2::NatGateway', 0);
  template.resourceCountIs('AWS::EC2::EIP', 0);
});

test('sends flow logs to a log group of the stack, with retention, deleted with it', () => {
  const groups = template.findResources('AWS::Logs::LogGroup', {
    DeletionPolicy: 'Delete',
    Properties: { RetentionInDays: 7 },
  });
  template.hasResourceProperties('AWS::EC2::FlowLog', { LogGroupName: { Ref: Match.anyValue() }, TrafficType: 'ALL' });
  const flowLog = Object.values(template.findResources('AWS::EC2::FlowLog'))[0];
  expect(Object.keys(groups)).toContain(flowLog.Properties.LogGroupName.Ref);
});

test('gives the function that empties the default security group a log group of the stack', () => {
  const [handler] = Object.values(template.findResources('AWS::Lambda::Function'));
  const groups = template.findResources('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
  expect(Object.keys(groups)).toContain(handler.Properties.LoggingConfig.LogGroup.Ref);
  template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
});

test('adds private subnets behind NAT gateways for a lab that opts in', () => {
  const natTemplate = vpcTemplate({ natGateways: 1, natGatewayReason: 'Tasks need private egress; about $0.05/h' });
  natTemplate.resourceCountIs('AWS::EC2::NatGateway', 1);
  natTemplate.resourceCountIs('AWS::EC2::Subnet', 4);
});

test('fails on NAT gateways without a reason', () => {
  expect(() => vpcTemplate({ natGateways: 1 })).toThrow(/natGateways \(1\) needs natGatewayReason/);
});


test('accepts 2 NAT gateways, one per AZ', () => {
  vpcTemplate({ natGateways: 2, natGatewayReason: 'Tasks need private egress; about $0.10/h' })
    .resourceCountIs('AWS::EC2::NatGateway', 2);
});

test.each(['', '   '])('fails on NAT gateways with the reason %p, saying what it must tell', (natGatewayReason) => {
  expect(() => vpcTemplate({ natGateways: 1, natGatewayReason })).toThrow(new Error(
    'natGateways (1) needs natGatewayReason: why the lab needs private egress and what it costs per hour',
  ));
});

test.each([-1, 1.5, 3, NaN])('fails on natGateways %p, saying what is allowed', (natGateways) => {
  expect(() => vpcTemplate({ natGateways, natGatewayReason: 'x' })).toThrow(new Error(
    `natGateways must be a whole number from 0 to 2 (one per AZ at most), got ${natGateways}`,
  ));
});

describe('in classroom mode', () => {
  const classroom = (props?: LabVpcProps) => {
    const stack = new Stack(new App(testAppProps({ context: { student: 'alice' } })), 'alice-TestLab');
    new LabVpc(stack, 'Network', props);
    return Template.fromStack(stack);
  };

  test('makes no network of its own: it imports the class\'s', () => {
    const imported = classroom({ natGateways: 0 });
    imported.resourceCountIs('AWS::EC2::VPC', 0);
    imported.resourceCountIs('AWS::EC2::Subnet', 0);
  });

  test.each([1, 2])('fails on %p NAT gateways, even with a reason: the class\'s network has none', (natGateways) => {
    expect(() => classroom({ natGateways, natGatewayReason: 'Tasks need private egress' })).toThrow(new Error(
      'In classroom mode (student alice) the lab uses the class\'s network, which has public subnets only: '
        + `natGateways must be 0, got ${natGateways}`,
    ));
  });
});
