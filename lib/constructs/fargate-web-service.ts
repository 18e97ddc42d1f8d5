import { Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { checkFargateSize } from './fargate-size';
import { LabCluster } from './lab-cluster';
import { LabLogGroup } from './lab-log-group';
import { dependOnPublicRoutes } from './lab-vpc';
import { WebLoadBalancer } from './web-load-balancer';
import { taskFamilyOf } from './task-family';

/**
 * The chapter's `amazon/amazon-ecs-sample`, from ECR Public: Docker Hub limits anonymous pulls, ECR Public does not
 * for AWS.
 */
export const ECS_SAMPLE_IMAGE = 'public.ecr.aws/ecs-sample-image/amazon-ecs-sample:latest';

export interface FargateWebServiceProps {
  /** The network: tasks run in its public subnets with public IPs (no NAT gateway). */
  readonly vpc: ec2.IVpc;

  /**
   * The container image, serving HTTP on port 80.
   *
   * @default the chapter's amazon-ecs-sample, from ECR Public
   */
  readonly image?: ecs.ContainerImage;

  /**
   * Task CPU in units of 1/1024 vCPU.
   *
   * @default 512 (0.5 vCPU)
   */
  readonly cpu?: number;

  /**
   * Task memory in MiB; the pair with `cpu` must be one Fargate offers.
   *
   * @default 1024 (1 GB)
   */
  readonly memoryLimitMiB?: number;

  /**
   * Tasks the service runs ("scale to 4" is a redeploy with 4). Not with `autoScaling`: the scaler owns the count.
   *
   * @default 2, or with `autoScaling` none in the template (the scaler's minimum, 2, sets it)
   */
  readonly desiredCount?: number;

  /**
   * Put an internet-facing Application Load Balancer in front; the tasks then accept port 80 from it only.
   *
   * @default false
   */
  readonly withLoadBalancer?: boolean;

  /**
   * Scale between 2 and 4 tasks on average CPU at 50 %. The template then leaves DesiredCount out, so a redeploy
   * keeps the count the scaler chose instead of resetting it.
   *
   * @default false
   */
  readonly autoScaling?: boolean;
}

/**
 * The chapter's web app on ECS Fargate: a cluster, a task definition with one container logging to a log group of
 * the stack, and a rolling-update service whose deployment circuit breaker rolls a bad release back in minutes.
 */
export class FargateWebService extends Construct {
  public readonly cluster: ecs.Cluster;
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  public readonly service: ecs.FargateService;
  public readonly loadBalancer?: elbv2.ApplicationLoadBalancer;

  constructor(scope: Construct, id: string, props: FargateWebServiceProps) {
    super(scope, id);

    const cpu = props.cpu ?? 512;
    const memoryLimitMiB = props.memoryLimitMiB ?? 1024;
    checkFargateSize(cpu, memoryLimitMiB);
    checkDesiredCount(props.desiredCount, props.autoScaling ?? false);
    // With autoScaling, a DesiredCount in the template would reset the scaler's choice on every deploy.
    const desiredCount = props.autoScaling ? undefined : props.desiredCount ?? 2;

    this.cluster = new LabCluster(this, 'Cluster', { vpc: props.vpc });

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      family: taskFamilyOf(this),
      cpu,
      memoryLimitMiB,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    this.taskDefinition.addContainer('web-app', {
      image: props.image ?? ecs.ContainerImage.fromRegistry(ECS_SAMPLE_IMAGE),
      portMappings: [{ containerPort: 80 }],
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'web-app', logGroup: new LabLogGroup(this, 'Logs').logGroup }),
    });

    const securityGroup = new ec2.SecurityGroup(this, 'TaskSecurityGroup', {
      vpc: props.vpc,
      description: props.withLoadBalancer
        ? 'Tasks: HTTP from the load balancer only'
        : 'Tasks: HTTP from anywhere (the chapter opens port 80 to the world)',
    });
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount,
      assignPublicIp: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroups: [securityGroup],
      deploymentController: { type: ecs.DeploymentControllerType.ECS },
      circuitBreaker: { enable: true, rollback: true },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
    });
    // The tasks hold public IPs.
    dependOnPublicRoutes(this.service, props.vpc);

    if (props.withLoadBalancer) {
      this.loadBalancer = this.addLoadBalancer(props.vpc);
    } else {
      securityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.HTTP, 'HTTP from anywhere, as in the chapter');
      Validations.of(securityGroup).acknowledge({
        id: 'AwsSolutions::AwsSolutions-EC23',
        reason: 'Without a load balancer, the chapter opens each task\'s port 80 to the world so a browser can reach '
          + 'its public IP; nothing else is open.',
      });
    }

    if (props.autoScaling) {
      const scaling = this.service.autoScaleTaskCount({ minCapacity: 2, maxCapacity: 4 });
      scaling.scaleOnCpuUtilization('CpuTarget', { targetUtilizationPercent: 50 });
    }
  }

  private addLoadBalancer(vpc: ec2.IVpc): elbv2.ApplicationLoadBalancer {
    return new WebLoadBalancer(this, 'LoadBalancer', { vpc, targets: [this.service] }).loadBalancer;
  }
}

function checkDesiredCount(desiredCount: number | undefined, autoScaling: boolean): void {
  if (desiredCount === undefined) return;
  if (autoScaling) {
    throw new Error(`desiredCount cannot be set with autoScaling, got ${desiredCount}: the scaler owns the task count `
      + '(2-4), and a desiredCount in the template would reset it on every deploy; leave desiredCount out');
  }
  if (Token.isUnresolved(desiredCount)) return;
  if (!Number.isInteger(desiredCount) || desiredCount < 0) {
    throw new Error(`desiredCount must be a whole number of tasks, 0 or more, got ${desiredCount}`);
  }
}
