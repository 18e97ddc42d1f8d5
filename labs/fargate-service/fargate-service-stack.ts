import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { FargateWebService, FargateWebServiceProps } from '../../lib/constructs/fargate-web-service';
import { LabVpc } from '../../lib/constructs/lab-vpc';

export interface FargateServiceLabProps extends StackProps, Omit<FargateWebServiceProps, 'vpc'> {}

/**
 * Chapter lab "Deploying a Containerized Application with ECS": the amazon-ecs-sample web app as a Fargate service
 * of two tasks with public IPs, optionally behind a load balancer and scaling on CPU.
 */
export class FargateServiceLab extends Stack {
  public readonly webService: FargateWebService;

  constructor(scope: Construct, id: string, props: FargateServiceLabProps = {}) {
    super(scope, id, props);

    const { vpc } = new LabVpc(this, 'Network');
    this.webService = new FargateWebService(this, 'WebApp', { ...props, vpc });
    const cluster = this.webService.cluster.clusterName;
    const service = this.webService.service.serviceName;

    new CfnOutput(this, 'ClusterName', { value: cluster });
    new CfnOutput(this, 'ServiceName', { value: service });
    new CfnOutput(this, 'TaskIpsCommand', {
      description: 'Prints the public IP of every running task (the chapter\'s "find the Public IP" step)',
      value: [
        'aws ec2 describe-network-interfaces --query "NetworkInterfaces[].Association.PublicIp" '
          + '--output text --network-interface-ids',
        `$(aws ecs describe-tasks --cluster ${cluster} `
          + `--query "tasks[].attachments[].details[?name=='networkInterfaceId'].value[]" --output text --tasks`,
        `$(aws ecs list-tasks --cluster ${cluster} --service-name ${service} --query "taskArns[]" --output text))`,
      ].join(' '),
    });
    if (this.webService.loadBalancer) {
      new CfnOutput(this, 'Url', { value: `http://${this.webService.loadBalancer.loadBalancerDnsName}`, description: 'The load balancer in front of the tasks' });
    }
  }
}
