import * as path from 'path';
import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { isCssColor } from './app/colors';
import { BeanstalkPlatform, checkLookupToken } from '../../lib/constructs/beanstalk-platform';
import { BeanstalkWebApp } from '../../lib/constructs/beanstalk-web-app';
import { LabVpc } from '../../lib/constructs/lab-vpc';

export interface BeanstalkAppLabProps extends StackProps {
  /**
   * The chapter's APP_COLOR: a CSS colour name or #rgb/#rrggbb value, the heading's colour.
   *
   * @default 'blue'
   */
  readonly appColor?: string;

  /**
   * A fixed platform version ARN, instead of the branch's recommended version looked up at deploy time.
   *
   * @default - looked up on the first deploy, then kept
   */
  readonly platformArn?: string;

  /**
   * Any short token, such as today's date: a deploy with a token the stack has not seen looks the recommended platform
   * version up again (`-c platformLookup=$(date +%F)`) and moves the environment to it.
   *
   * @default - none: the version looked up on the first deploy is kept
   */
  readonly platformLookup?: string;

  /**
   * The platform branch whose recommended version is looked up.
   *
   * @default 'Node.js 22 running on 64bit Amazon Linux 2023'
   */
  readonly platformBranch?: string;

  /**
   * The instance type.
   *
   * @default t3.micro
   */
  readonly instanceType?: ec2.InstanceType;
}

/**
 * Chapter lab "Deploying a Web Application with Elastic Beanstalk": the chapter's small web app (as a Node.js app that
 * escapes what it echoes) in a single-instance environment on the platform version recommended at the first deploy
 * (or at the last deploy with a new platformLookup).
 */
export class BeanstalkAppLab extends Stack {
  public readonly webApp: BeanstalkWebApp;

  constructor(scope: Construct, id: string, props: BeanstalkAppLabProps = {}) {
    super(scope, id, props);

    const appColor = props.appColor ?? 'blue';
    if (!isCssColor(appColor)) {
      throw new Error('appColor must be a CSS colour name (e.g. "red", "rebeccapurple") or a #rgb/#rrggbb value, '
        + `got ${JSON.stringify(appColor)}`);
    }
    if (props.platformArn !== undefined
      && !/^arn:aws[a-z-]*:elasticbeanstalk:[a-z0-9-]+::platform\/.+$/.test(props.platformArn)) {
      throw new Error('platformArn must be an Elastic Beanstalk platform ARN such as '
        + '"arn:aws:elasticbeanstalk:us-east-1::platform/Node.js 22 running on 64bit Amazon Linux 2023/6.6.0", '
        + `got ${JSON.stringify(props.platformArn)}`);
    }

    if (props.platformLookup !== undefined) {
      checkLookupToken(props.platformLookup, 'platformLookup');
      if (props.platformArn !== undefined) {
        throw new Error(`platformLookup (${JSON.stringify(props.platformLookup)}) `
          + 'looks the recommended platform version up again, '
          + 'which platformArn replaces with a fixed version: set one of them');
      }
    }

    const { vpc } = new LabVpc(this, 'Network');
    const platformArn = props.platformArn ?? new BeanstalkPlatform(this, 'Platform', {
      branchName: props.platformBranch,
      lookupToken: props.platformLookup,
    }).platformArn;
    this.webApp = new BeanstalkWebApp(this, 'WebApp', {
      vpc,
      sourcePath: path.join(__dirname, 'app'),
      platformArn,
      instanceType: props.instanceType,
      environmentVariables: { APP_COLOR: appColor },
    });

    new CfnOutput(this, 'Url', { value: this.webApp.url, description: 'Open this: the heading is in APP_COLOR' });
    new CfnOutput(this, 'ApplicationName', { value: this.webApp.application.ref });
    new CfnOutput(this, 'EnvironmentName', { value: this.webApp.environment.ref });
  }
}
