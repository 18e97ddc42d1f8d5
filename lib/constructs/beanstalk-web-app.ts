import { Fn, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticbeanstalk from 'aws-cdk-lib/aws-elasticbeanstalk';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { dependOnPublicRoutes } from './lab-vpc';
import { DEFAULT_WEB_SERVER_INSTANCE_TYPE, parseInstanceType } from './web-server';

export interface BeanstalkWebAppProps {
  /** The network: the instance runs in a public subnet with a public address (no NAT gateway). */
  readonly vpc: ec2.IVpc;

  /** The folder of the app, zipped into the application version's source bundle. */
  readonly sourcePath: string;

  /** The platform version to run, e.g. `BeanstalkPlatform.platformArn` (resolved at deploy time). */
  readonly platformArn: string;

  /**
   * The instance type.
   *
   * @default t3.micro
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * Environment properties the app reads, such as the chapter's APP_COLOR.
   *
   * @default - none
   */
  readonly environmentVariables?: Record<string, string>;

  /**
   * The path Beanstalk's enhanced health checks request.
   *
   * @default '/health'
   */
  readonly healthCheckPath?: string;
}

/**
 * An Elastic Beanstalk web app in one single-instance environment: the application, a version built from a local
 * folder, and the environment, created and deleted in that order. Typed around the service's L1 resources.
 */
export class BeanstalkWebApp extends Construct {
  public readonly application: elasticbeanstalk.CfnApplication;
  public readonly version: elasticbeanstalk.CfnApplicationVersion;
  public readonly environment: elasticbeanstalk.CfnEnvironment;
  /** `http://<the environment's address>` */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: BeanstalkWebAppProps) {
    super(scope, id);

    const healthCheckPath = props.healthCheckPath ?? '/health';
    if (!/^\/[\w./-]*$/.test(healthCheckPath)) throw new Error(
      `healthCheckPath must be a URL path starting with "/", got ${JSON.stringify(healthCheckPath)}`);
    for (const name of Object.keys(props.environmentVariables ?? {})) {
      if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(name)) {
        throw new Error('environment variable names must be 1-128 letters, digits and _, not starting with a digit, '
          + `got ${JSON.stringify(name)} (${name.length} characters)`);
      }
    }
    const instanceType = props.instanceType ?? parseInstanceType(DEFAULT_WEB_SERVER_INSTANCE_TYPE);

    this.application = new elasticbeanstalk.CfnApplication(this, 'Application', {
      description: 'Chapter 2 Elastic Beanstalk lab',
    });

    // Type declarations next to a JavaScript app serve the project's tests, not the app.
    const bundle = new s3assets.Asset(this, 'SourceBundle', { path: props.sourcePath, exclude: ['*.d.ts'] });
    this.version = new elasticbeanstalk.CfnApplicationVersion(this, 'Version', {
      applicationName: this.application.ref,
      sourceBundle: { s3Bucket: bundle.s3BucketName, s3Key: bundle.s3ObjectKey },
    });
    this.version.node.addDependency(this.application);

    const instanceRole = new iam.Role(this, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AWSElasticBeanstalkWebTier')],
      description: 'Beanstalk web tier instance: its bundle, logs and health reporting',
    });
    Validations.of(instanceRole).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AWSElasticBeanstalkWebTier]',
      reason: 'The web tier policy AWS maintains for Beanstalk instances; '
        + 'the platform\'s agents change what they need between versions.',
    });
    const instanceProfile = new iam.CfnInstanceProfile(this, 'InstanceProfile', { roles: [instanceRole.roleName] });

    // Enhanced health only. No managed platform updates: their weekly window is never reached by a one-hour lab, and
    // their policy (AWSElasticBeanstalkManagedUpdatesCustomerRolePolicy) allows elasticbeanstalk:* on *, iam:PassRole
    // and broad EC2, Auto Scaling and CloudFormation rights.
    const serviceRole = new iam.Role(this, 'ServiceRole', {
      assumedBy: new iam.ServicePrincipal('elasticbeanstalk.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSElasticBeanstalkEnhancedHealth')],
      description: 'Beanstalk service role: enhanced health reporting only',
    });
    Validations.of(serviceRole).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM4'
        + '[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSElasticBeanstalkEnhancedHealth]',
      reason: 'AWS\'s policy for Beanstalk\'s enhanced health reporting; there is no narrower documented set.',
    });

    const publicSubnets = props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PUBLIC });
    const option = (namespace: string, optionName: string, value: string) => ({ namespace, optionName, value });
    this.environment = new elasticbeanstalk.CfnEnvironment(this, 'Environment', {
      applicationName: this.application.ref,
      versionLabel: this.version.ref,
      platformArn: props.platformArn,
      description: 'Chapter 2 Elastic Beanstalk lab, single instance',
      optionSettings: [
        option('aws:elasticbeanstalk:environment', 'EnvironmentType', 'SingleInstance'),
        option('aws:elasticbeanstalk:environment', 'ServiceRole', serviceRole.roleArn),
        option('aws:ec2:instances', 'InstanceTypes', instanceType.toString()),
        option('aws:autoscaling:launchconfiguration', 'IamInstanceProfile', instanceProfile.ref),
        option('aws:autoscaling:launchconfiguration', 'DisableIMDSv1', 'true'),
        // No RootVolumeSize: the platform image's own size (a smaller one than its snapshot fails the launch).
        option('aws:autoscaling:launchconfiguration', 'RootVolumeType', 'gp3'),
        option('aws:ec2:vpc', 'VPCId', props.vpc.vpcId),
        option('aws:ec2:vpc', 'Subnets', Fn.join(',', publicSubnets.subnetIds)),
        option('aws:ec2:vpc', 'AssociatePublicIpAddress', 'true'),
        option('aws:elasticbeanstalk:application', 'Application Healthcheck URL', healthCheckPath),
        option('aws:elasticbeanstalk:healthreporting:system', 'SystemType', 'enhanced'),
        option('aws:elasticbeanstalk:cloudwatch:logs', 'StreamLogs', 'true'),
        option('aws:elasticbeanstalk:cloudwatch:logs', 'DeleteOnTerminate', 'true'),
        option('aws:elasticbeanstalk:cloudwatch:logs', 'RetentionInDays', '7'),
        ...Object.entries(props.environmentVariables ?? {})
          .map(([name, value]) => option('aws:elasticbeanstalk:application:environment', name, value)),
      ],
    });
    // Created after its version, deleted before it; the version likewise after and before the application.
    this.environment.node.addDependency(this.version);
    // Its instance holds an Elastic IP.
    dependOnPublicRoutes(this.environment, props.vpc);
    Validations.of(this.environment).acknowledge(
      {
        id: 'AwsSolutions::AwsSolutions-EB4',
        reason: 'Instance logs stream to CloudWatch Logs with a retention and are deleted with the environment; '
          + 'publishing them to S3 would leave objects in Beanstalk\'s shared bucket after teardown.',
      },
      {
        id: 'AwsSolutions::AwsSolutions-EB3',
        reason: 'Managed platform updates run in a weekly window a one-hour lab never reaches, and need a service role '
          + 'policy with elasticbeanstalk:* on *, iam:PassRole and broad EC2 rights; '
          + 'each deploy starts on the recommended platform version instead.',
      },
    );

    this.url = `http://${this.environment.attrEndpointUrl}`;
  }
}
