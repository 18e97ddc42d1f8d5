import { CfnOutput, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { LabVpc } from '../../lib/constructs/lab-vpc';
import {
  amazonLinux2023, DEFAULT_WEB_SERVER_INSTANCE_TYPE, encryptedRootVolume, parseInstanceType, webServerUserData,
} from '../../lib/constructs/web-server';

export interface Ec2WebServerLabProps extends StackProps {
  /**
   * The instance type.
   *
   * @default t3.micro
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * One IPv4 range allowed to reach SSH (port 22): the chapter's "Allow SSH traffic from your IP", e.g. `203.0.113.7/32`.
   * Connect with EC2 Instance Connect (no key pair needed), or better, with Session Manager and no open port.
   *
   * @default - port 22 stays closed
   */
  readonly sshCidr?: string;
}

/**
 * Chapter lab "Working with EC2 Instances": one Amazon Linux 2023 instance that installs and serves
 * an Apache page, reachable over HTTP from anywhere and by Session Manager instead of SSH from the world.
 */
export class Ec2WebServerLab extends Stack {
  public readonly instance: ec2.Instance;

  constructor(scope: Construct, id: string, props: Ec2WebServerLabProps = {}) {
    super(scope, id, props);

    const instanceType = props.instanceType ?? parseInstanceType(DEFAULT_WEB_SERVER_INSTANCE_TYPE);
    const { vpc } = new LabVpc(this, 'Network');

    const securityGroup = new ec2.SecurityGroup(this, 'WebServerSecurityGroup', {
      vpc,
      description: 'HTTP from anywhere; SSH only from the sshCidr context value, if set',
    });
    securityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.HTTP, 'HTTP from anywhere (the lab serves a public page)');
    Validations.of(securityGroup).acknowledge({
      id: 'AwsSolutions::AwsSolutions-EC23',
      reason: 'The lab is a public web page: port 80 is open to the world on purpose, and nothing else is.',
    });
    if (props.sshCidr !== undefined) {
      securityGroup.addIngressRule(ec2.Peer.ipv4(checkSshCidr(props.sshCidr)), ec2.Port.SSH, 'SSH from the sshCidr context value only');
    }

    this.instance = new ec2.Instance(this, 'WebServer', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      associatePublicIpAddress: true,
      instanceType,
      machineImage: amazonLinux2023(instanceType),
      userData: webServerUserData('Hello from EC2!'),
      userDataCausesReplacement: true,
      securityGroup,
      blockDevices: [encryptedRootVolume()],
      requireImdsv2: true,
      ssmSessionPermissions: true,
    });
    Validations.of(this.instance).acknowledge({
      id: 'AwsSolutions::AwsSolutions-EC28',
      reason: 'Detailed monitoring costs about $2/month per instance; the 5-minute basic metrics are enough for a one-hour lab.',
    });
    Validations.of(this.instance).acknowledge({
      id: 'AwsSolutions::AwsSolutions-EC29',
      reason: 'Termination protection would make `cdk destroy` fail; a lab must tear down with one command.',
    });
    Validations.of(this.instance.role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
      reason: 'AmazonSSMManagedInstanceCore is the documented minimum for Session Manager, which replaces SSH from the world.',
    });

    new CfnOutput(this, 'Url', { value: `http://${this.instance.instancePublicDnsName}`, description: 'Open this in a browser' });
    new CfnOutput(this, 'InstanceId', { value: this.instance.instanceId });
    new CfnOutput(this, 'SessionManagerCommand', {
      value: `aws ssm start-session --target ${this.instance.instanceId}`,
      description: 'A shell on the instance without SSH (needs the Session Manager plugin for the AWS CLI)',
    });
  }
}

function checkSshCidr(cidr: string): string {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const octetsValid = match?.slice(1, 5).every((octet) => Number(octet) <= 255);
  const prefix = Number(match?.[5]);
  if (!match || !octetsValid || prefix < 16 || prefix > 32) {
    throw new Error(`sshCidr must be your own IPv4 range with a prefix from /16 to /32, e.g. "203.0.113.7/32" (SSH is never opened to the world), got ${JSON.stringify(cidr)}`);
  }
  return cidr;
}
