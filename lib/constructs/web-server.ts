import { Tags, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

export interface WebServerProps {
  /** The network: the instance runs in its first public subnet, with a public IPv4 address. */
  readonly vpc: ec2.IVpc;

  /**
   * The instance type.
   *
   * @default t3.micro
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * One IPv4 range allowed to reach SSH (port 22): the chapter's "Allow SSH traffic from your IP", e.g.
   * `203.0.113.7/32`, with a prefix from /16 to /32. Connect with EC2 Instance Connect (no key pair needed), or better,
   * with Session Manager and no open port.
   *
   * @default - port 22 stays closed
   */
  readonly sshCidr?: string;

  /**
   * The title and heading of the page the instance serves: 1-80 letters, digits, spaces or !,.:'-
   *
   * @default 'Hello from EC2!'
   */
  readonly heading?: string;
}

/**
 * One Amazon Linux 2023 instance in a public subnet that installs and serves an Apache page at boot, the chapter's
 * "Working with EC2 Instances": HTTP from anywhere, a shell through Session Manager, and SSH only from `sshCidr`.
 */
export class WebServer extends Construct {
  public readonly instance: ec2.Instance;
  public readonly securityGroup: ec2.SecurityGroup;
  /** `http://<instance public DNS name>` */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: WebServerProps) {
    super(scope, id);

    const instanceType = props.instanceType ?? parseInstanceType(DEFAULT_WEB_SERVER_INSTANCE_TYPE);
    const heading = props.heading ?? 'Hello from EC2!';
    if (props.sshCidr !== undefined) checkSshCidr(props.sshCidr);

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'HTTP from anywhere; SSH only from the sshCidr context value, if set',
    });
    this.securityGroup.addIngressRule(
      ec2.Peer.anyIpv4(), ec2.Port.HTTP, 'HTTP from anywhere (the lab serves a public page)');
    Validations.of(this.securityGroup).acknowledge({
      id: 'AwsSolutions::AwsSolutions-EC23',
      reason: 'The lab is a public web page: port 80 is open to the world on purpose, and nothing else is.',
    });
    if (props.sshCidr !== undefined) {
      this.securityGroup.addIngressRule(
        ec2.Peer.ipv4(props.sshCidr), ec2.Port.SSH, 'SSH from the sshCidr context value only');
    }

    // `Default` keeps the logical ids the instance, its role and profile had before this construct wrapped them
    // (the AWS CDK guide's advice for extracting a resource into a construct).
    this.instance = new ec2.Instance(this, 'Default', {
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      // A public IP: ec2.Instance then also waits for the public subnets' routes, so on delete the instance goes
      // before the internet gateway is detached.
      associatePublicIpAddress: true,
      instanceType,
      machineImage: amazonLinux2023(instanceType),
      userData: webServerUserData(heading),
      userDataCausesReplacement: true,
      securityGroup: this.securityGroup,
      blockDevices: [encryptedRootVolume()],
      ssmSessionPermissions: true,
      instanceName: this.node.path, // the Name tag, e.g. Ec2WebServerLab/WebServer (not .../Default)
    });
    this.requireImdsv2();
    Validations.of(this.instance).acknowledge({
      id: 'AwsSolutions::AwsSolutions-EC28',
      reason: 'Detailed monitoring costs about $2/month per instance; '
        + 'the 5-minute basic metrics are enough for a one-hour lab.',
    });
    Validations.of(this.instance).acknowledge({
      id: 'AwsSolutions::AwsSolutions-EC29',
      reason: 'Termination protection would make `cdk destroy` fail; a lab must tear down with one command.',
    });
    Validations.of(this.instance.role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
      reason: 'AmazonSSMManagedInstanceCore is the documented minimum for Session Manager, '
        + 'which replaces SSH from the world.',
    });

    this.url = `http://${this.instance.instancePublicDnsName}`;
  }

  /**
   * IMDSv2 only, through a launch template that CloudFormation names. `requireImdsv2: true` would name it from the
   * construct path, a name that must be unique in the region: a second student's copy of the lab could not deploy.
   */
  private requireImdsv2(): void {
    const launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', { requireImdsv2: true });
    // Its Name tag would reach the instance and its volume: the instance has its own.
    Tags.of(launchTemplate).remove('Name');
    this.instance.instance.launchTemplate = {
      launchTemplateId: launchTemplate.launchTemplateId,
      version: launchTemplate.latestVersionNumber,
    };
  }
}

/*
 * Building blocks shared by the labs that run Apache on EC2 (a single instance, or an Auto Scaling group).
 * They replace the chapter's console steps: AMI choice, storage, and the commands typed over SSH.
 */

/** The chapter's free-tier t2.micro, one generation newer: cheaper per hour and on Nitro. */
export const DEFAULT_WEB_SERVER_INSTANCE_TYPE = 't3.micro';

// family[.generation...].size, e.g. t3.micro, m7g.large, c6in.2xlarge, u-6tb1.metal
const INSTANCE_TYPE_PATTERN = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;

/** Parses an instance type given as text (a context value), with an error that shows what is allowed. */
export function parseInstanceType(value: unknown): ec2.InstanceType {
  if (typeof value !== 'string' || !INSTANCE_TYPE_PATTERN.test(value)) {
    throw new Error('instanceType must be an EC2 instance type such as "t3.micro" or "t4g.small", '
      + `got ${JSON.stringify(value)}`);
  }
  return new ec2.InstanceType(value);
}

/**
 * The current Amazon Linux 2023 image (AWS's default kernel) for the instance type's CPU, read from the public
 * SSM parameter when the stack deploys: the template stays the same while the AMI id changes every few weeks.
 */
export function amazonLinux2023(instanceType: ec2.InstanceType): ec2.IMachineImage {
  const cpuType = instanceType.architecture === ec2.InstanceArchitecture.ARM_64
    ? ec2.AmazonLinuxCpuType.ARM_64
    : ec2.AmazonLinuxCpuType.X86_64;
  // Not MachineImage.latestAmazonLinux2023(): it pins the 6.1 kernel, which AL2023 no longer uses by default.
  return new ec2.AmazonLinux2023ImageSsmParameter({
    cpuType,
    kernel: ec2.AmazonLinux2023Kernel.DEFAULT,
    cachedInContext: false,
  });
}

/** The chapter's default 8 GB root volume, as encrypted gp3 (gp3 is cheaper per GB than the chapter's gp2). */
export function encryptedRootVolume(sizeGiB = 8): ec2.BlockDevice {
  return {
    deviceName: '/dev/xvda',
    volume: ec2.BlockDeviceVolume.ebs(sizeGiB, {
      encrypted: true,
      volumeType: ec2.EbsDeviceVolumeType.GP3,
      deleteOnTermination: true,
    }),
  };
}

/**
 * User data that installs and starts Apache and writes a page naming the instance that answered,
 * the chapter's "Install and Configure a Web Server" step without SSH. Metadata is read with an IMDSv2 token,
 * since the instances require IMDSv2.
 */
export function webServerUserData(heading: string): ec2.UserData {
  if (!/^[\w !,.:'-]{1,80}$/.test(heading)) {
    throw new Error('heading must be 1-80 letters, digits, spaces or !,.:\'- '
      + `(it is written into HTML by a shell script), got ${JSON.stringify(heading)}`);
  }
  const userData = ec2.UserData.forLinux();
  userData.addCommands(
    'set -euo pipefail',
    'dnf install -y httpd',
    "TOKEN=$(curl -sS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 300')",
    'metadata() { curl -sS -H "X-aws-ec2-metadata-token: $TOKEN" "http://169.254.169.254/latest/meta-data/$1"; }',
    'INSTANCE_ID=$(metadata instance-id)',
    'ZONE=$(metadata placement/availability-zone)',
    "cat > /var/www/html/index.html <<EOF",
    `<html><head><title>${heading}</title></head><body><h1>${heading}</h1>`,
    '<p>Served by instance <strong>$INSTANCE_ID</strong> in $ZONE.</p></body></html>',
    'EOF',
    'systemctl enable --now httpd',
  );
  return userData;
}

/**
 * One IPv4 range of your own: four octets of 0-255 and a prefix from /16 to /32, so SSH is never opened to the
 * world.
 */
function checkSshCidr(cidr: string): void {
  if (Token.isUnresolved(cidr)) return;
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const octetsValid = match?.slice(1, 5).every((octet) => Number(octet) <= 255);
  const prefix = Number(match?.[5]);
  if (!match || !octetsValid || prefix < 16 || prefix > 32) {
    throw new Error('sshCidr must be your own IPv4 range with a prefix from /16 to /32, e.g. "203.0.113.7/32" '
      + `(SSH is never opened to the world), got ${JSON.stringify(cidr)}`);
  }
}
