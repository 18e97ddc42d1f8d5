import { publicAddressesBeforeGateway } from '../../lib/guardrails/rules/public-addresses';
import { CfnTemplate } from '../../lib/template/cfn-template';
import { joinRegExp } from '../helpers/join-regexp';

/** A template of the given resources; `DependsOn` is part of the JSON, not of the rules' model. */
const template = (resources: Record<string, object>): CfnTemplate => ({
  Resources: resources as CfnTemplate['Resources'],
});

/**
 * A VPC as CDK writes it: the gateway, its attachment, a public and a private subnet, and a public route that waits
 * for the attachment.
 */
const VPC = {
  Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
  Gateway: { Type: 'AWS::EC2::InternetGateway' },
  Attachment: {
    Type: 'AWS::EC2::VPCGatewayAttachment',
    Properties: { VpcId: { Ref: 'Vpc' }, InternetGatewayId: { Ref: 'Gateway' } },
  },
  PublicSubnet: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, MapPublicIpOnLaunch: true } },
  PrivateSubnet: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, MapPublicIpOnLaunch: false } },
  PublicRouteTable: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'Vpc' } } },
  PublicRoute: {
    Type: 'AWS::EC2::Route',
    DependsOn: ['Attachment'],
    Properties: {
      RouteTableId: { Ref: 'PublicRouteTable' },
      DestinationCidrBlock: '0.0.0.0/0',
      GatewayId: { Ref: 'Gateway' },
    },
  },
};

const ASG = 'AWS::AutoScaling::AutoScalingGroup';
const ASG_SIZE = { MinSize: '1', MaxSize: '2' };
const launchTemplate = (associatePublicIpAddress?: boolean) => ({
  Type: 'AWS::EC2::LaunchTemplate',
  Properties: {
    LaunchTemplateData: { NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: associatePublicIpAddress }] },
  },
});
const ecsNetwork = (key: 'AwsvpcConfiguration' | 'AwsVpcConfiguration', assignPublicIp: string) => ({
  [key]: { AssignPublicIp: assignPublicIp, Subnets: [{ Ref: 'PublicSubnet' }] },
});
const beanstalk = (...options: Array<[string, string, string]>) => ({
  Type: 'AWS::ElasticBeanstalk::Environment',
  Properties: {
    ApplicationName: 'app',
    OptionSettings: options.map(([Namespace, OptionName, Value]) => ({ Namespace, OptionName, Value })),
  },
});

interface HolderCase {
  /** The resource that holds a public address: it is given the logical id `Holder`. */
  readonly holder: { readonly Type: string; readonly Properties?: object };
  /** Resources the holder refers to. */
  readonly others?: Record<string, object>;
}

const HOLDERS: Record<string, HolderCase> = {
  'an Auto Scaling group in a public subnet': {
    holder: { Type: ASG, Properties: { ...ASG_SIZE, VPCZoneIdentifier: [{ Ref: 'PublicSubnet' }] } },
  },
  'an Auto Scaling group whose launch template asks for a public IP': {
    holder: {
      Type: ASG,
      Properties: {
        ...ASG_SIZE,
        VPCZoneIdentifier: [{ Ref: 'PrivateSubnet' }],
        LaunchTemplate: {
          LaunchTemplateId: { Ref: 'Launch' },
          Version: { 'Fn::GetAtt': ['Launch', 'LatestVersionNumber'] },
        },
      },
    },
    others: { Launch: launchTemplate(true) },
  },
  'an Auto Scaling group whose mixed-instances launch template asks for a public IP': {
    holder: {
      Type: ASG,
      Properties: {
        ...ASG_SIZE,
        VPCZoneIdentifier: [{ Ref: 'PrivateSubnet' }],
        MixedInstancesPolicy: {
          LaunchTemplate: { LaunchTemplateSpecification: { LaunchTemplateId: { Ref: 'Launch' } } },
        },
      },
    },
    others: { Launch: launchTemplate(true) },
  },
  'an Auto Scaling group whose launch configuration asks for a public IP': {
    holder: {
      Type: ASG,
      Properties: {
        ...ASG_SIZE,
        VPCZoneIdentifier: [{ Ref: 'PrivateSubnet' }],
        LaunchConfigurationName: { Ref: 'Launch' },
      },
    },
    others: {
      Launch: { Type: 'AWS::AutoScaling::LaunchConfiguration', Properties: { AssociatePublicIpAddress: true } },
    },
  },
  'an Auto Scaling group in a public subnet whose launch template leaves the public IP to the subnet': {
    holder: {
      Type: ASG,
      Properties: {
        ...ASG_SIZE,
        VPCZoneIdentifier: [{ Ref: 'PublicSubnet' }],
        LaunchTemplate: { LaunchTemplateId: { Ref: 'Launch' } },
      },
    },
    others: { Launch: launchTemplate(undefined) },
  },
  'an ECS service with AssignPublicIp ENABLED': {
    holder: {
      Type: 'AWS::ECS::Service',
      Properties: { NetworkConfiguration: ecsNetwork('AwsvpcConfiguration', 'ENABLED') },
    },
  },
  'an Elastic IP': {
    holder: { Type: 'AWS::EC2::EIP', Properties: { Domain: 'vpc' } },
  },
  'a public NAT gateway (ConnectivityType absent)': {
    holder: {
      Type: 'AWS::EC2::NatGateway',
      Properties: { SubnetId: { Ref: 'PublicSubnet' }, AllocationId: 'eipalloc-12345678' },
    },
  },
  'a single-instance Elastic Beanstalk environment': {
    holder: beanstalk(['aws:elasticbeanstalk:environment', 'EnvironmentType', 'SingleInstance']),
  },
  'an Elastic Beanstalk environment with aws:ec2:vpc AssociatePublicIpAddress true': {
    holder: beanstalk(
      ['aws:elasticbeanstalk:environment', 'EnvironmentType', 'LoadBalanced'],
      ['aws:ec2:vpc', 'AssociatePublicIpAddress', 'true'],
    ),
  },
  'an instance in a public subnet': {
    holder: { Type: 'AWS::EC2::Instance', Properties: { SubnetId: { Ref: 'PublicSubnet' } } },
  },
  'an instance whose network interface asks for a public IP': {
    holder: {
      Type: 'AWS::EC2::Instance',
      Properties: {
        NetworkInterfaces: [{ DeviceIndex: '0', SubnetId: { Ref: 'PrivateSubnet' }, AssociatePublicIpAddress: true }],
      },
    },
  },
  'an instance whose second network interface asks for a public IP': {
    holder: {
      Type: 'AWS::EC2::Instance',
      Properties: {
        NetworkInterfaces: [
          { DeviceIndex: '0', SubnetId: { Ref: 'PrivateSubnet' } },
          { DeviceIndex: '1', SubnetId: { Ref: 'PrivateSubnet' }, AssociatePublicIpAddress: 'true' },
        ],
      },
    },
  },
  'an instance whose launch template asks for a public IP': {
    holder: {
      Type: 'AWS::EC2::Instance',
      Properties: { SubnetId: { Ref: 'PrivateSubnet' }, LaunchTemplate: { LaunchTemplateId: { Ref: 'Launch' } } },
    },
    others: { Launch: launchTemplate(true) },
  },
  'a load balancer without a Scheme (internet-facing by default)': {
    holder: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Subnets: [{ Ref: 'PublicSubnet' }] } },
  },
  'an internet-facing load balancer': {
    holder: {
      Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      Properties: { Scheme: 'internet-facing', Type: 'network' },
    },
  },
  'an internet-facing Classic Load Balancer': {
    holder: { Type: 'AWS::ElasticLoadBalancing::LoadBalancer', Properties: { Subnets: [{ Ref: 'PublicSubnet' }] } },
  },
  'an EventBridge rule that starts ECS tasks with public IPs': {
    holder: {
      Type: 'AWS::Events::Rule',
      Properties: {
        Targets: [
          { Id: 'Log', Arn: 'arn' },
          {
            Id: 'Task',
            Arn: 'arn',
            EcsParameters: { NetworkConfiguration: ecsNetwork('AwsVpcConfiguration', 'ENABLED') },
          },
        ],
      },
    },
  },
  'an EventBridge Scheduler schedule that starts ECS tasks with public IPs': {
    holder: {
      Type: 'AWS::Scheduler::Schedule',
      Properties: {
        Target: { Arn: 'arn', EcsParameters: { NetworkConfiguration: ecsNetwork('AwsvpcConfiguration', 'ENABLED') } },
      },
    },
  },
};

/** Public-address holders at the edges: missing Properties, several interfaces, values that are null. */
const EDGE_HOLDERS: Record<string, HolderCase> = {
  'a NAT gateway without Properties (public by default)': { holder: { Type: 'AWS::EC2::NatGateway' } },
  'a load balancer without Properties (internet-facing by default)': {
    holder: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer' },
  },
  'a Classic Load Balancer without Properties (internet-facing by default)': {
    holder: { Type: 'AWS::ElasticLoadBalancing::LoadBalancer' },
  },
  'an Elastic IP beside a NAT gateway without Properties, which allocates nothing': {
    holder: { Type: 'AWS::EC2::EIP' },
    others: { Nat: { Type: 'AWS::EC2::NatGateway', DependsOn: 'PublicRoute' } },
  },
  'an instance whose launch template puts its network interface in a public subnet': {
    holder: { Type: 'AWS::EC2::Instance', Properties: { LaunchTemplate: { LaunchTemplateId: { Ref: 'Launch' } } } },
    others: {
      Launch: {
        Type: 'AWS::EC2::LaunchTemplate',
        Properties: {
          LaunchTemplateData: { NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: { Ref: 'PublicSubnet' } }] },
        },
      },
    },
  },
  'an instance in a public subnet whose launch template has no Properties': {
    holder: {
      Type: 'AWS::EC2::Instance',
      Properties: { SubnetId: { Ref: 'PublicSubnet' }, LaunchTemplate: { LaunchTemplateId: { Ref: 'Launch' } } },
    },
    others: { Launch: { Type: 'AWS::EC2::LaunchTemplate' } },
  },
  'an instance in a public subnet whose launch template has no LaunchTemplateData': {
    holder: {
      Type: 'AWS::EC2::Instance',
      Properties: { SubnetId: { Ref: 'PublicSubnet' }, LaunchTemplate: { LaunchTemplateId: { Ref: 'Launch' } } },
    },
    others: { Launch: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateName: 'web' } } },
  },
  'an Auto Scaling group in a public subnet whose launch template has no Properties': {
    holder: {
      Type: ASG,
      Properties: {
        ...ASG_SIZE,
        VPCZoneIdentifier: [{ Ref: 'PublicSubnet' }],
        LaunchTemplate: { LaunchTemplateId: { Ref: 'Launch' } },
      },
    },
    others: { Launch: { Type: 'AWS::EC2::LaunchTemplate' } },
  },
  'an Auto Scaling group in a public subnet whose launch configuration has no Properties': {
    holder: {
      Type: ASG,
      Properties: {
        ...ASG_SIZE,
        VPCZoneIdentifier: [{ Ref: 'PublicSubnet' }],
        LaunchConfigurationName: { Ref: 'Launch' },
      },
    },
    others: { Launch: { Type: 'AWS::AutoScaling::LaunchConfiguration' } },
  },
  ['an Auto Scaling group in a public subnet whose launch template id comes from a custom resource '
    + '(whose properties are not launch settings)']: {
    holder: {
      Type: ASG,
      Properties: {
        ...ASG_SIZE,
        VPCZoneIdentifier: [{ Ref: 'PublicSubnet' }],
        LaunchTemplate: { LaunchTemplateId: { 'Fn::GetAtt': ['Lookup', 'LaunchTemplateId'] } },
      },
    },
    others: {
      Lookup: {
        Type: 'Custom::LaunchTemplateLookup',
        Properties: {
          AssociatePublicIpAddress: false,
          LaunchTemplateData: { NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: false }] },
        },
      },
    },
  },
  ['an instance in a public subnet whose primary interface (DeviceIndex 0, listed second) leaves the public IP to '
    + 'the subnet, while a secondary one declines it']: {
    holder: {
      Type: 'AWS::EC2::Instance',
      Properties: {
        NetworkInterfaces: [
          { DeviceIndex: '1', SubnetId: { Ref: 'PublicSubnet' }, AssociatePublicIpAddress: false },
          { DeviceIndex: '0', SubnetId: { Ref: 'PublicSubnet' } },
        ],
      },
    },
  },
  'an instance in a public subnet with a null network interface': {
    holder: {
      Type: 'AWS::EC2::Instance',
      Properties: { SubnetId: { Ref: 'PublicSubnet' }, NetworkInterfaces: [null] },
    },
  },
  'an instance in a public subnet whose interface sets AssociatePublicIpAddress null (unset)': {
    holder: {
      Type: 'AWS::EC2::Instance',
      Properties: {
        NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: { Ref: 'PublicSubnet' }, AssociatePublicIpAddress: null }],
      },
    },
  },
  'a single-instance Elastic Beanstalk environment whose namespace lists another option first': {
    holder: beanstalk(
      ['aws:elasticbeanstalk:environment', 'ServiceRole', 'aws-elasticbeanstalk-service-role'],
      ['aws:elasticbeanstalk:environment', 'EnvironmentType', 'SingleInstance'],
    ),
  },
  'a single-instance Elastic Beanstalk environment with a null option setting': {
    holder: {
      Type: 'AWS::ElasticBeanstalk::Environment',
      Properties: {
        OptionSettings: [
          null,
          { Namespace: 'aws:elasticbeanstalk:environment', OptionName: 'EnvironmentType', Value: 'SingleInstance' },
        ],
      },
    },
  },
};

const NOT_HOLDERS: Record<string, HolderCase> = {
  'an Auto Scaling group in a private subnet': {
    holder: { Type: ASG, Properties: { ...ASG_SIZE, VPCZoneIdentifier: [{ Ref: 'PrivateSubnet' }] } },
  },
  'an Auto Scaling group in a subnet from outside the template': {
    holder: { Type: ASG, Properties: { ...ASG_SIZE, VPCZoneIdentifier: ['subnet-12345678'] } },
  },
  'an Auto Scaling group in a public subnet whose launch template declines a public IP': {
    holder: {
      Type: ASG,
      Properties: {
        ...ASG_SIZE,
        VPCZoneIdentifier: [{ Ref: 'PublicSubnet' }],
        LaunchTemplate: { LaunchTemplateId: { Ref: 'Launch' } },
      },
    },
    others: { Launch: launchTemplate(false) },
  },
  'an Auto Scaling group in a public subnet whose launch configuration declines a public IP': {
    holder: {
      Type: ASG,
      Properties: {
        ...ASG_SIZE,
        VPCZoneIdentifier: [{ Ref: 'PublicSubnet' }],
        LaunchConfigurationName: { Ref: 'Launch' },
      },
    },
    others: {
      Launch: { Type: 'AWS::AutoScaling::LaunchConfiguration', Properties: { AssociatePublicIpAddress: false } },
    },
  },
  'an Auto Scaling group in a private subnet whose launch template leaves the public IP to the subnet': {
    holder: {
      Type: ASG,
      Properties: {
        ...ASG_SIZE,
        VPCZoneIdentifier: [{ Ref: 'PrivateSubnet' }],
        LaunchTemplate: { LaunchTemplateId: { Ref: 'Launch' } },
      },
    },
    others: { Launch: launchTemplate(undefined) },
  },
  'an ECS service with AssignPublicIp DISABLED': {
    holder: {
      Type: 'AWS::ECS::Service',
      Properties: { NetworkConfiguration: ecsNetwork('AwsvpcConfiguration', 'DISABLED') },
    },
  },
  'an ECS service without a network configuration': {
    holder: { Type: 'AWS::ECS::Service', Properties: { LaunchType: 'EC2' } },
  },
  'an Elastic IP that a NAT gateway allocates (the gateway holds it)': {
    holder: { Type: 'AWS::EC2::EIP', Properties: { Domain: 'vpc' } },
    others: {
      Nat: {
        Type: 'AWS::EC2::NatGateway',
        DependsOn: 'PublicRoute',
        Properties: { SubnetId: { Ref: 'PublicSubnet' }, AllocationId: { 'Fn::GetAtt': ['Holder', 'AllocationId'] } },
      },
    },
  },
  'a private NAT gateway': {
    holder: {
      Type: 'AWS::EC2::NatGateway',
      Properties: { SubnetId: { Ref: 'PrivateSubnet' }, ConnectivityType: 'private' },
    },
  },
  'a load-balanced Elastic Beanstalk environment without public instance IPs': {
    holder: beanstalk(
      ['aws:elasticbeanstalk:environment', 'EnvironmentType', 'LoadBalanced'],
      ['aws:ec2:vpc', 'AssociatePublicIpAddress', 'false'],
    ),
  },
  'an Elastic Beanstalk environment without options': {
    holder: { Type: 'AWS::ElasticBeanstalk::Environment', Properties: { ApplicationName: 'app' } },
  },
  'an instance in a private subnet': {
    holder: { Type: 'AWS::EC2::Instance', Properties: { SubnetId: { Ref: 'PrivateSubnet' } } },
  },
  'an instance in a public subnet whose network interface declines a public IP': {
    holder: {
      Type: 'AWS::EC2::Instance',
      Properties: {
        NetworkInterfaces: [{ DeviceIndex: '0', SubnetId: { Ref: 'PublicSubnet' }, AssociatePublicIpAddress: false }],
      },
    },
  },
  'an instance without a subnet (the default VPC, not this one)': {
    holder: { Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-12345678' } },
  },
  'an internal load balancer': {
    holder: {
      Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      Properties: { Scheme: 'internal', Subnets: [{ Ref: 'PrivateSubnet' }] },
    },
  },
  'a gateway load balancer': {
    holder: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Type: 'gateway' } },
  },
  'an internal Classic Load Balancer': {
    holder: { Type: 'AWS::ElasticLoadBalancing::LoadBalancer', Properties: { Scheme: 'internal' } },
  },
  'an EventBridge rule that starts ECS tasks with AssignPublicIp DISABLED': {
    holder: {
      Type: 'AWS::Events::Rule',
      Properties: {
        Targets: [{
          Id: 'Task',
          Arn: 'arn',
          EcsParameters: { NetworkConfiguration: ecsNetwork('AwsVpcConfiguration', 'DISABLED') },
        }],
      },
    },
  },
  'an instance without Properties': { holder: { Type: 'AWS::EC2::Instance' } },
  'an instance in a subnet without Properties (MapPublicIpOnLaunch unset)': {
    holder: { Type: 'AWS::EC2::Instance', Properties: { SubnetId: { Ref: 'BareSubnet' } } },
    others: { BareSubnet: { Type: 'AWS::EC2::Subnet' } },
  },
  'an Auto Scaling group whose subnet id comes from a custom resource (only AWS::EC2::Subnet is a subnet)': {
    holder: { Type: ASG, Properties: { ...ASG_SIZE, VPCZoneIdentifier: [{ 'Fn::GetAtt': ['Lookup', 'SubnetId'] }] } },
    others: { Lookup: { Type: 'Custom::SubnetLookup', Properties: { MapPublicIpOnLaunch: true } } },
  },
  'an ECS service without Properties': { holder: { Type: 'AWS::ECS::Service' } },
  'an Elastic Beanstalk environment without Properties': { holder: { Type: 'AWS::ElasticBeanstalk::Environment' } },
  'a load-balanced Elastic Beanstalk environment with EnvironmentType SingleInstance under another namespace': {
    holder: beanstalk(
      ['aws:ec2:vpc', 'EnvironmentType', 'SingleInstance'],
      ['aws:elasticbeanstalk:environment', 'EnvironmentType', 'LoadBalanced'],
    ),
  },
  'an EventBridge rule without Properties': { holder: { Type: 'AWS::Events::Rule' } },
  'an EventBridge rule with a null target': {
    holder: { Type: 'AWS::Events::Rule', Properties: { Targets: [null] } },
  },
  'an EventBridge Scheduler schedule without Properties': { holder: { Type: 'AWS::Scheduler::Schedule' } },
  'an EventBridge Scheduler schedule without a target': {
    holder: { Type: 'AWS::Scheduler::Schedule', Properties: { ScheduleExpression: 'rate(1 hour)' } },
  },
  'an EventBridge Scheduler schedule that invokes a function (no EcsParameters)': {
    holder: {
      Type: 'AWS::Scheduler::Schedule',
      Properties: { Target: { Arn: 'arn:aws:lambda:us-east-1:123456789012:function:fn', RoleArn: 'arn' } },
    },
  },
  'an EventBridge rule without targets': {
    holder: { Type: 'AWS::Events::Rule', Properties: { ScheduleExpression: 'rate(1 hour)' } },
  },
  'an EventBridge Scheduler schedule that starts ECS tasks with AssignPublicIp DISABLED': {
    holder: {
      Type: 'AWS::Scheduler::Schedule',
      Properties: {
        Target: { Arn: 'arn', EcsParameters: { NetworkConfiguration: ecsNetwork('AwsvpcConfiguration', 'DISABLED') } },
      },
    },
  },
};

/** The logical ids the rule reports for the VPC plus these resources. */
const findings = (resources: Record<string, object>) => publicAddressesBeforeGateway(template({ ...VPC, ...resources }))
  .map((finding) => finding.logicalId);
const holderWith = (holderCase: HolderCase, extra: object) => ({
  ...holderCase.others,
  Holder: { ...holderCase.holder, ...extra },
});

describe('public-address-before-gateway: each kind of public-address holder', () => {
  test.each(Object.entries(HOLDERS))(
    'fails on %s that does not depend on the gateway attachment',
    (_name, holderCase) => {
      expect(findings(holderWith(holderCase, {}))).toEqual(['Holder']);
    },
  );

  test.each(Object.entries(HOLDERS))('passes %s with a DependsOn on the attachment', (_name, holderCase) => {
    expect(findings(holderWith(holderCase, { DependsOn: 'Attachment' }))).toEqual([]);
  });

  test.each(Object.entries(HOLDERS))(
    'passes %s that depends on a public route, which depends on the attachment',
    (_name, holderCase) => {
      expect(findings(holderWith(holderCase, { DependsOn: ['PublicRoute'] }))).toEqual([]);
    },
  );

  test.each(Object.entries(HOLDERS))(
    'has no findings for %s in a template without a gateway attachment',
    (_name, holderCase) => {
      const vpcWithoutAttachment = Object.fromEntries(
        Object.entries(VPC).filter(([logicalId]) => logicalId !== 'Attachment'),
      );
      expect(publicAddressesBeforeGateway(template({ ...vpcWithoutAttachment, ...holderWith(holderCase, {}) })))
        .toEqual([]);
    },
  );
});

describe('public-address-before-gateway: holders at the edges', () => {
  test.each(Object.entries(EDGE_HOLDERS))(
    'fails on %s that does not depend on the gateway attachment',
    (_name, holderCase) => {
      expect(findings(holderWith(holderCase, {}))).toEqual(['Holder']);
    },
  );

  test.each(Object.entries(EDGE_HOLDERS))('passes %s with a DependsOn on the attachment', (_name, holderCase) => {
    expect(findings(holderWith(holderCase, { DependsOn: 'Attachment' }))).toEqual([]);
  });
});

describe('public-address-before-gateway: what each finding says holds the address', () => {
  test.each([
    ['an instance in a public subnet', 'AWS::EC2::Instance: the instance gets a public IP'],
    [
      'an ECS service with AssignPublicIp ENABLED',
      'AWS::ECS::Service: its tasks get public IPs (AssignPublicIp ENABLED)',
    ],
    [
      'an EventBridge rule that starts ECS tasks with public IPs',
      'AWS::Events::Rule: a target starts ECS tasks with public IPs (AssignPublicIp ENABLED)',
    ],
    [
      'an EventBridge Scheduler schedule that starts ECS tasks with public IPs',
      'AWS::Scheduler::Schedule: its target starts ECS tasks with public IPs (AssignPublicIp ENABLED)',
    ],
    ['an Elastic IP', 'AWS::EC2::EIP: an Elastic IP'],
    [
      'a public NAT gateway (ConnectivityType absent)',
      'AWS::EC2::NatGateway: a public NAT gateway maps its Elastic IP',
    ],
    ['an internet-facing load balancer', 'AWS::ElasticLoadBalancingV2::LoadBalancer: an internet-facing load balancer'],
    [
      'an internet-facing Classic Load Balancer',
      'AWS::ElasticLoadBalancing::LoadBalancer: an internet-facing load balancer',
    ],
    [
      'a single-instance Elastic Beanstalk environment',
      'AWS::ElasticBeanstalk::Environment: a single-instance environment gets an Elastic IP',
    ],
    [
      'an Elastic Beanstalk environment with aws:ec2:vpc AssociatePublicIpAddress true',
      'AWS::ElasticBeanstalk::Environment: its instances get public IPs (aws:ec2:vpc AssociatePublicIpAddress)',
    ],
  ])('says of %s: "%s"', (name, holds) => {
    const [finding] = publicAddressesBeforeGateway(template({ ...VPC, ...holderWith(HOLDERS[name], {}) }));
    expect(finding.message).toBe(`${holds}, but it does not depend on the internet gateway attachment (Attachment), `
      + 'so delete can detach the gateway first and fail');
  });

  test('names every gateway attachment of the template', () => {
    const second = {
      Type: 'AWS::EC2::VPCGatewayAttachment',
      Properties: { VpcId: 'vpc-1', InternetGatewayId: 'igw-1' },
    };
    const [finding] = publicAddressesBeforeGateway(template({
      ...VPC,
      SecondAttachment: second,
      Eip: { Type: 'AWS::EC2::EIP' },
    }));
    expect(finding.message).toContain('the internet gateway attachment (Attachment, SecondAttachment)');
  });
});

describe('public-address-before-gateway: resources that hold no public address', () => {
  test.each(Object.entries(NOT_HOLDERS))('passes %s without a dependency', (_name, holderCase) => {
    expect(findings(holderWith(holderCase, {}))).toEqual([]);
  });
});

describe('public-address-before-gateway: how the dependency is written', () => {
  const group = { Type: ASG, Properties: { ...ASG_SIZE, VPCZoneIdentifier: [{ Ref: 'PublicSubnet' }] } };
  const waiter = { Type: 'AWS::CloudFormation::WaitConditionHandle', DependsOn: 'Attachment' };

  test('passes a DependsOn written as a string', () => {
    expect(findings({ Group: { ...group, DependsOn: 'Attachment' } })).toEqual([]);
  });

  test('passes a DependsOn list that names the attachment among others', () => {
    expect(findings({ Group: { ...group, DependsOn: ['PrivateSubnet', 'Attachment'] } })).toEqual([]);
  });

  test('fails on a DependsOn on the internet gateway alone, which the attachment does not wait for', () => {
    expect(findings({ Group: { ...group, DependsOn: ['Gateway'] } })).toEqual(['Group']);
  });

  test('fails on a DependsOn on the public subnet, which does not wait for the attachment', () => {
    expect(findings({ Group: { ...group, DependsOn: ['PublicSubnet', 'PublicRouteTable'] } })).toEqual(['Group']);
  });

  test('passes a Ref in Properties to a resource that depends on the attachment', () => {
    expect(findings({
      Waiter: waiter,
      Group: {
        ...group,
        Properties: { ...group.Properties, Tags: [{ Key: 'w', Value: { Ref: 'Waiter' }, PropagateAtLaunch: false }] },
      },
    })).toEqual([]);
  });

  test('passes an Fn::GetAtt in Properties to a resource that depends on the attachment', () => {
    const serviceRole = { Type: 'AWS::IAM::Role', DependsOn: 'PublicRoute' };
    expect(findings({
      ServiceRole: serviceRole,
      Group: {
        ...group,
        Properties: { ...group.Properties, ServiceLinkedRoleARN: { 'Fn::GetAtt': ['ServiceRole', 'Arn'] } },
      },
    })).toEqual([]);
  });

  test('passes an Fn::Sub in Properties that names a resource that depends on the attachment', () => {
    expect(findings({
      Waiter: waiter,
      Group: { ...group, Properties: { ...group.Properties, Context: { 'Fn::Sub': 'after-${Waiter}' } } },
    })).toEqual([]);
  });

  test('fails on a reference to a resource that does not wait for the attachment', () => {
    expect(findings({
      Waiter: { ...waiter, DependsOn: 'Gateway' },
      Group: { ...group, Properties: { ...group.Properties, Context: { Ref: 'Waiter' } } },
    })).toEqual(['Group']);
  });

  test('passes a holder that depends on any of two VPCs\' attachments', () => {
    const second = {
      SecondAttachment: {
        Type: 'AWS::EC2::VPCGatewayAttachment',
        Properties: { VpcId: 'vpc-1', InternetGatewayId: 'igw-1' },
      },
    };
    expect(findings({ ...second, Group: { ...group, DependsOn: 'SecondAttachment' } })).toEqual([]);
  });

  test('counts a subnet whose MapPublicIpOnLaunch is the string "true" as public', () => {
    const subnet = { Type: 'AWS::EC2::Subnet', Properties: { MapPublicIpOnLaunch: 'true' } };
    expect(findings({
      StringSubnet: subnet,
      Group: { ...group, Properties: { ...ASG_SIZE, VPCZoneIdentifier: [{ Ref: 'StringSubnet' }] } },
    })).toEqual(['Group']);
  });

  test('says what holds the address, which attachment is missing, and where to fix it', () => {
    const [finding] = publicAddressesBeforeGateway(template({ ...VPC, Group: group }));
    expect(finding).toEqual({
      logicalId: 'Group',
      location: 'DependsOn',
      message: expect.stringMatching(joinRegExp(
        /^AWS::AutoScaling::AutoScalingGroup: its instances get public IPs, /,
        /but it does not depend on the internet gateway attachment \(Attachment\)/,
      )),
    });
  });
});
