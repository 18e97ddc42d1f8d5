import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { LabVpc } from '../../lib/constructs/lab-vpc';
import { WebServer, WebServerProps } from '../../lib/constructs/web-server';

export interface Ec2WebServerLabProps extends StackProps, Omit<WebServerProps, 'vpc'> {}

/**
 * Chapter lab "Working with EC2 Instances": one Amazon Linux 2023 instance that installs and serves
 * an Apache page, reachable over HTTP from anywhere and by Session Manager instead of SSH from the world.
 */
export class Ec2WebServerLab extends Stack {
  public readonly webServer: WebServer;

  constructor(scope: Construct, id: string, props: Ec2WebServerLabProps = {}) {
    super(scope, id, props);

    const { vpc } = new LabVpc(this, 'Network');
    this.webServer = new WebServer(this, 'WebServer', { ...props, vpc });
    const { instanceId } = this.webServer.instance;

    new CfnOutput(this, 'Url', { value: this.webServer.url, description: 'Open this in a browser' });
    new CfnOutput(this, 'InstanceId', { value: instanceId });
    new CfnOutput(this, 'SessionManagerCommand', {
      value: `aws ssm start-session --target ${instanceId}`,
      description: 'A shell on the instance without SSH (needs the Session Manager plugin for the AWS CLI)',
    });
  }
}
