import { Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { ServiceLinkedRole } from './service-linked-role';

export interface LabClusterProps {
  /** The network the cluster's tasks run in. */
  readonly vpc: ec2.IVpc;
}

/**
 * An ECS cluster for Fargate tasks that works in a brand-new account and leaves no log group behind: ECS's
 * service-linked role is made sure of first, and Container Insights is off.
 */
export class LabCluster extends ecs.Cluster {
  constructor(scope: Construct, id: string, props: LabClusterProps) {
    super(scope, id, {
      vpc: props.vpc,
      // Off: Container Insights writes to /aws/ecs/containerinsights/<cluster>/performance, a log group ECS creates
      // itself and that outlives the stack, and bills per metric.
      containerInsightsV2: ecs.ContainerInsights.DISABLED,
    });
    // In an account that never used ECS, CreateCluster creates ECS's service-linked role and often cannot assume it
    // yet.
    ServiceLinkedRole.requiredBy(this, 'ecs.amazonaws.com');
    Validations.of(this).acknowledge({
      id: 'AwsSolutions::AwsSolutions-ECS4',
      reason: 'Container Insights writes to a log group ECS creates and the stack cannot delete, and bills per metric; '
        + 'service metrics and container logs cover the lab.',
    });
  }
}
