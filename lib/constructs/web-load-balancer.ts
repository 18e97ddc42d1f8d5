import { Duration, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';

export interface WebLoadBalancerProps {
  /** The network: the load balancer uses its public subnets. */
  readonly vpc: ec2.IVpc;

  /**
   * What serves the pages: an Auto Scaling group, an ECS service, ... Each target then accepts port 80 from the
   * load balancer's security group.
   */
  readonly targets: elbv2.IApplicationLoadBalancerTarget[];

  /**
   * The page the load balancer requests from each target to decide whether it is healthy (any 200 answer is).
   *
   * @default '/'
   */
  readonly healthCheckPath?: string;
}

/**
 * An internet-facing Application Load Balancer in a VPC's public subnets: an HTTP listener on port 80 forwarding to
 * one target group of web servers, health-checked inside the ranges of the chapter's notes.
 */
export class WebLoadBalancer extends Construct {
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  public readonly listener: elbv2.ApplicationListener;
  public readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** `http://<load balancer DNS name>` */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: WebLoadBalancerProps) {
    super(scope, id);

    const healthCheckPath = props.healthCheckPath ?? '/';
    checkHealthCheckPath(healthCheckPath);
    if (props.targets.length === 0) {
      throw new Error('targets must name at least one target (an Auto Scaling group, an ECS service, ...), got none');
    }

    // `Default` keeps the logical ids the load balancer had before this construct wrapped it (the AWS CDK guide's
    // advice for extracting a resource into a construct), so a deployed lab keeps its load balancer.
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Default', {
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      internetFacing: true,
      dropInvalidHeaderFields: true,
    });
    Validations.of(this.loadBalancer).acknowledge(
      {
        id: 'AwsSolutions::AwsSolutions-ELB2',
        reason: 'Access logs need an S3 bucket emptied and deleted with the stack (another function and log group); '
          + 'target health and CloudWatch metrics cover the lab.',
      },
      {
        id: 'AwsSolutions::AwsSolutions-EC23',
        reason: 'The load balancer is the public entry point: port 80 from anywhere is the point of the lab; '
          + 'its targets accept only the load balancer.',
      },
    );

    this.listener = this.loadBalancer.addListener('Http', { port: 80, open: true });
    this.targetGroup = this.listener.addTargets('Targets', {
      port: 80,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: props.targets,
      // Inside the ranges of the chapter's notes: thresholds 2-10, timeout 2-120 s, interval 5-300 s.
      healthCheck: {
        path: healthCheckPath,
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 2,
        timeout: Duration.seconds(5),
        interval: Duration.seconds(15),
      },
      deregistrationDelay: Duration.seconds(30),
    });

    this.url = `http://${this.loadBalancer.loadBalancerDnsName}`;
  }
}

/** Elastic Load Balancing takes a health check path of 1 to 1024 characters that starts with a slash. */
function checkHealthCheckPath(path: string): void {
  if (!Token.isUnresolved(path) && !/^\/\S{0,1023}$/.test(path)) {
    throw new Error('healthCheckPath must start with / and have at most 1024 characters and no spaces, '
      + `e.g. "/health", got ${JSON.stringify(path)}`);
  }
}
