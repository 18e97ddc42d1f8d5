import { Duration, Tags, Token, Validations } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { dependOnPublicRoutes } from './lab-vpc';
import { WebLoadBalancer } from './web-load-balancer';
import {
  amazonLinux2023, DEFAULT_WEB_SERVER_INSTANCE_TYPE, encryptedRootVolume, parseInstanceType, webServerUserData,
} from './web-server';

export interface WebServerFleetProps {
  /** The network: the load balancer and the instances use its public subnets. */
  readonly vpc: ec2.IVpc;

  /**
   * The instance type.
   *
   * @default t3.micro
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * The image to launch, e.g. the web server AMI made in the EC2 lab (see `fixedImage`).
   *
   * @default the current Amazon Linux 2023 image for the instance type's CPU
   */
  readonly machineImage?: ec2.IMachineImage;

  /**
   * Fewest instances the group keeps, and the number it starts with: raise it to start with more. There is no desired
   * capacity: target tracking owns the count, and a desired capacity in the template would reset it on every deploy.
   *
   * @default 2
   */
  readonly minCapacity?: number;

  /**
   * Most instances the group scales out to.
   *
   * @default 4
   */
  readonly maxCapacity?: number;

  /**
   * Average CPU utilization, in percent, that target tracking keeps the group at.
   *
   * @default 50
   */
  readonly cpuTargetPercent?: number;

  /**
   * The `Name` tag of the instances.
   *
   * @default 'WebServer-ASG-Instance'
   */
  readonly instanceName?: string;
}

/**
 * An Auto Scaling group of Apache web servers behind an internet-facing Application Load Balancer: the chapter's
 * launch template, target group, load balancer and group, with instances reachable on port 80 only from the load
 * balancer.
 */
export class WebServerFleet extends Construct {
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  public readonly targetGroup: elbv2.ApplicationTargetGroup;
  public readonly autoScalingGroup: autoscaling.AutoScalingGroup;
  public readonly launchTemplate: ec2.LaunchTemplate;
  /** `http://<load balancer DNS name>` */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: WebServerFleetProps) {
    super(scope, id);

    const minCapacity = props.minCapacity ?? 2;
    const maxCapacity = props.maxCapacity ?? 4;
    const cpuTargetPercent = props.cpuTargetPercent ?? 50;
    checkCapacities(minCapacity, maxCapacity);
    checkCpuTarget(cpuTargetPercent);

    const instanceType = props.instanceType ?? parseInstanceType(DEFAULT_WEB_SERVER_INSTANCE_TYPE);
    const role = new iam.Role(this, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
      description: 'Web servers of the Auto Scaling lab: Session Manager and Run Command, nothing else',
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
      reason: 'AmazonSSMManagedInstanceCore is the documented minimum for Session Manager and Run Command, '
        + 'which replace SSH.',
    });

    this.launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      instanceType,
      machineImage: props.machineImage ?? amazonLinux2023(instanceType),
      userData: webServerUserData('Hello from Auto Scaling!'),
      role,
      requireImdsv2: true,
      blockDevices: [encryptedRootVolume()],
      securityGroup: new ec2.SecurityGroup(this, 'InstanceSecurityGroup', {
        vpc: props.vpc,
        description: 'Web servers: HTTP from the load balancer only, no SSH',
      }),
    });

    this.autoScalingGroup = new autoscaling.AutoScalingGroup(this, 'Group', {
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      launchTemplate: this.launchTemplate,
      minCapacity,
      maxCapacity,
      healthChecks: autoscaling.HealthChecks.withAdditionalChecks({
        additionalTypes: [autoscaling.AdditionalHealthCheckType.ELB],
        gracePeriod: Duration.seconds(300),
      }),
    });
    // The instances have public addresses (ec2.Instance does the same).
    dependOnPublicRoutes(this.autoScalingGroup.node.defaultChild!, props.vpc);
    Tags.of(this.autoScalingGroup).add('Name', props.instanceName ?? 'WebServer-ASG-Instance', { priority: 300 });
    this.autoScalingGroup.scaleOnCpuUtilization('CpuTarget', { targetUtilizationPercent: cpuTargetPercent });
    Validations.of(this.autoScalingGroup).acknowledge({
      id: 'AwsSolutions::AwsSolutions-AS3',
      reason: 'The lab watches scaling with describe-scaling-activities (see the guide); '
        + 'an SNS topic for notifications adds nothing to learn here.',
    });

    const web = new WebLoadBalancer(this, 'LoadBalancer', { vpc: props.vpc, targets: [this.autoScalingGroup] });
    this.loadBalancer = web.loadBalancer;
    this.targetGroup = web.targetGroup;
    this.url = web.url;
  }
}

/**
 * An image by its id, such as the web server AMI made in the EC2 lab; the id only exists in the region it was made
 * in.
 */
export function fixedImage(amiId: string): ec2.IMachineImage {
  if (!/^ami-([0-9a-f]{8}|[0-9a-f]{17})$/.test(amiId)) {
    throw new Error('amiId must be an AMI id such as "ami-0abcdef1234567890" (ami- and 8 or 17 hex digits), '
      + `got ${JSON.stringify(amiId)}`);
  }
  return {
    getImage: () => ({ imageId: amiId, osType: ec2.OperatingSystemType.LINUX, userData: ec2.UserData.forLinux() }),
  };
}

function checkCapacities(min: number, max: number): void {
  if (Token.isUnresolved(min) || Token.isUnresolved(max)) return;
  for (const [name, value] of Object.entries({ minCapacity: min, maxCapacity: max })) {
    if (!Number.isInteger(value) || value < 0) throw new Error(
      `${name} must be a whole number of instances, 0 or more, got ${value}`);
  }
  if (min > max) throw new Error(`minCapacity (${min}) must not be more than maxCapacity (${max})`);
}

function checkCpuTarget(percent: number): void {
  if (!Token.isUnresolved(percent) && !(percent > 0 && percent <= 100)) {
    throw new Error(`cpuTargetPercent must be more than 0 and at most 100, got ${percent}`);
  }
}
