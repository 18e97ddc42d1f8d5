import { Fn, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticbeanstalk from 'aws-cdk-lib/aws-elasticbeanstalk';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
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
    if (!/^\/[\w./-]*$/.test(healthCheckPath)) throw new Error(`healthCheckPath must be a URL path starting with "/", got ${JSON.stringify(healthCheckPath)}`);
    for (const name of Object.keys(props.environmentVariables ?? {})) {
      if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(name)) throw new Error(`environment variable names must be letters, digits and _, got ${JSON.stringify(name)}`);
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
      reason: 'The web tier policy AWS maintains for Beanstalk instances; the platform\'s agents change what they need between versions.',
    });
    const instanceProfile = new iam.CfnInstanceProfile(this, 'InstanceProfile', { roles: [instanceRole.roleName] });

    const serviceRole = new iam.Role(this, 'ServiceRole', {
      assumedBy: new iam.ServicePrincipal('elasticbeanstalk.amazonaws.com'),
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSElasticBeanstalkEnhancedHealth'),
        iam.ManagedPolicy.fromAwsManagedPolicyName('AWSElasticBeanstalkManagedUpdatesCustomerRolePolicy'),
      ],
      description: 'Beanstalk service role: enhanced health and managed platform updates',
    });
    Validations.of(serviceRole).acknowledge(
      {
        id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSElasticBeanstalkEnhancedHealth]',
        reason: 'AWS\'s policy for Beanstalk\'s enhanced health reporting; there is no narrower documented set.',
      },
      {
        id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AWSElasticBeanstalkManagedUpdatesCustomerRolePolicy]',
        reason: 'AWS\'s policy for Beanstalk\'s managed platform updates, which keep the lab\'s platform patched.',
      },
    );

    const publicSubnets = props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PUBLIC }).subnetIds;
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
        option('aws:autoscaling:launchconfiguration', 'RootVolumeType', 'gp3'),
        option('aws:autoscaling:launchconfiguration', 'RootVolumeSize', '8'),
        option('aws:ec2:vpc', 'VPCId', props.vpc.vpcId),
        option('aws:ec2:vpc', 'Subnets', Fn.join(',', publicSubnets)),
        option('aws:ec2:vpc', 'AssociatePublicIpAddress', 'true'),
        option('aws:elasticbeanstalk:application', 'Application Healthcheck URL', healthCheckPath),
        option('aws:elasticbeanstalk:healthreporting:system', 'SystemType', 'enhanced'),
        option('aws:elasticbeanstalk:managedactions', 'ManagedActionsEnabled', 'true'),
        option('aws:elasticbeanstalk:managedactions', 'PreferredStartTime', 'Sun:10:00'),
        option('aws:elasticbeanstalk:managedactions:platformupdate', 'UpdateLevel', 'minor'),
        option('aws:elasticbeanstalk:cloudwatch:logs', 'StreamLogs', 'true'),
        option('aws:elasticbeanstalk:cloudwatch:logs', 'DeleteOnTerminate', 'true'),
        option('aws:elasticbeanstalk:cloudwatch:logs', 'RetentionInDays', '7'),
        ...Object.entries(props.environmentVariables ?? {}).map(([name, value]) => option('aws:elasticbeanstalk:application:environment', name, value)),
      ],
    });
    // Created after its version, deleted before it; the version likewise after and before the application.
    this.environment.node.addDependency(this.version);
    Validations.of(this.environment).acknowledge({
      id: 'AwsSolutions::AwsSolutions-EB4',
      reason: 'Instance logs stream to CloudWatch Logs with a retention and are deleted with the environment; publishing them to S3 would leave objects in Beanstalk\'s shared bucket after teardown.',
    });

    this.url = `http://${this.environment.attrEndpointUrl}`;
  }
}
