import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { LabVpc } from '../../lib/constructs/lab-vpc';
import { WebServerFleet, WebServerFleetProps } from '../../lib/constructs/web-server-fleet';

export interface Ec2AsgAlbLabProps extends StackProps, Omit<WebServerFleetProps, 'vpc'> {}

/**
 * Chapter lab "Setting Up Auto Scaling and Load Balancing": two to four Apache web servers in an Auto Scaling group
 * behind an Application Load Balancer, scaling on average CPU.
 */
export class Ec2AsgAlbLab extends Stack {
  public readonly fleet: WebServerFleet;

  constructor(scope: Construct, id: string, props: Ec2AsgAlbLabProps = {}) {
    super(scope, id, props);

    const { vpc } = new LabVpc(this, 'Network');
    this.fleet = new WebServerFleet(this, 'WebServers', { ...props, vpc });
    const groupName = this.fleet.autoScalingGroup.autoScalingGroupName;

    new CfnOutput(this, 'Url', {
      value: this.fleet.url,
      description: 'Open this and reload: the page names the instance that answered',
    });
    new CfnOutput(this, 'GroupName', { value: groupName });
    new CfnOutput(this, 'TargetGroupArn', { value: this.fleet.targetGroup.targetGroupArn });
    new CfnOutput(this, 'StressCommand', {
      description: 'Loads every CPU of every instance for 10 minutes through Run Command '
        + '(the chapter\'s stress step, without SSH)',
      value: [
        'aws ssm send-command --document-name AWS-RunShellScript',
        `--targets Key=tag:aws:autoscaling:groupName,Values=${groupName}`,
        '--parameters \'{"commands":["for cpu in $(seq $(nproc)); '
          + 'do timeout 600 sh -c \\"while :; do :; done\\" & done; wait"]}\'',
        '--comment "CPU load for 10 minutes, Auto Scaling lab"',
      ].join(' '),
    });
  }
}
