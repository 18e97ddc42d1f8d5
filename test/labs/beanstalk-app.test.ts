import { Match, Template } from 'aws-cdk-lib/assertions';
import { normalizeTemplate } from '../helpers/normalize-template';
import { synthLabs, templateOf } from '../helpers/synth';

const STACK = 'BeanstalkAppLab';
const synthed = synthLabs([STACK]);
const template = Template.fromJSON(templateOf(synthed, STACK));
const resourceOf = (type: string): any => {
  const resources = Object.entries(template.findResources(type));
  expect(resources).toHaveLength(1);
  return { id: resources[0][0], ...resources[0][1] };
};
const optionsOf = (t: Template) => Object.values(t.findResources('AWS::ElasticBeanstalk::Environment'))[0]
  .Properties.OptionSettings;
const option = (namespace: string, optionName: string, value: unknown) => ({
  Namespace: namespace,
  OptionName: optionName,
  Value: value,
});

test('synthesizes with no unacknowledged finding', () => {
  expect(synthed.error).toBeUndefined();
  expect(synthed.violations).toEqual([]);
});

test('matches the snapshot', () => {
  expect(normalizeTemplate(templateOf(synthed, STACK))).toMatchSnapshot();
});

test('runs a single t3.micro instance in a public subnet of LabVpc, with APP_COLOR blue by default', () => {
  expect(optionsOf(template)).toEqual(expect.arrayContaining([
    option('aws:elasticbeanstalk:environment', 'EnvironmentType', 'SingleInstance'),
    option('aws:ec2:instances', 'InstanceTypes', 't3.micro'),
    option('aws:ec2:vpc', 'AssociatePublicIpAddress', 'true'),
    option('aws:ec2:vpc', 'VPCId', { Ref: expect.stringMatching(/^Network/) }),
    option('aws:elasticbeanstalk:application:environment', 'APP_COLOR', 'blue'),
  ]));
});

test('turns on enhanced health on /health, IMDSv2 only, and log streaming deleted with the environment', () => {
  expect(optionsOf(template)).toEqual(expect.arrayContaining([
    option('aws:elasticbeanstalk:application', 'Application Healthcheck URL', '/health'),
    option('aws:elasticbeanstalk:healthreporting:system', 'SystemType', 'enhanced'),
    option('aws:autoscaling:launchconfiguration', 'DisableIMDSv1', 'true'),
    option('aws:elasticbeanstalk:cloudwatch:logs', 'StreamLogs', 'true'),
    option('aws:elasticbeanstalk:cloudwatch:logs', 'DeleteOnTerminate', 'true'),
    option('aws:elasticbeanstalk:cloudwatch:logs', 'RetentionInDays', '7'),
  ]));
});

test('sets no managed platform updates and no root volume size (the platform image\'s own size)', () => {
  const names = optionsOf(template).map((o: any) => `${o.Namespace} ${o.OptionName}`);
  expect(names.filter((name: string) => name.startsWith('aws:elasticbeanstalk:managedactions'))).toEqual([]);
  expect(names).not.toContain('aws:autoscaling:launchconfiguration RootVolumeSize');
  expect(names).toContain('aws:autoscaling:launchconfiguration RootVolumeType');
});

test('never names a solution stack: the platform version is looked up at deploy time', () => {
  const environment = resourceOf('AWS::ElasticBeanstalk::Environment');
  expect(environment.Properties.SolutionStackName).toBeUndefined();
  const lookup = resourceOf('Custom::BeanstalkRecommendedPlatform');
  expect(environment.Properties.PlatformArn)
    .toEqual({ 'Fn::GetAtt': [lookup.id, 'PlatformSummaryList.0.PlatformArn'] });
  const call = JSON.parse(lookup.Properties.Create);
  expect(call).toEqual(expect.objectContaining({
    service: 'ElasticBeanstalk',
    action: 'listPlatformVersions',
    outputPaths: ['PlatformSummaryList.0.PlatformArn'],
  }));
  expect(call.parameters.Filters).toEqual([
    { Type: 'PlatformBranchName', Operator: '=', Values: ['Node.js 22 running on 64bit Amazon Linux 2023'] },
    { Type: 'PlatformLifecycleState', Operator: '=', Values: ['recommended'] },
    { Type: 'PlatformStatus', Operator: '=', Values: ['Ready'] },
  ]);
  expect(JSON.parse(lookup.Properties.Update)).toEqual(call);
  expect(JSON.stringify(template.toJSON())).not.toMatch(/SolutionStackName|running on 64bit Amazon Linux 2023\/\d/);
});

test('lets the lookup only list platform versions, and logs it to a log group of the stack', () => {
  const policy = Object.values(template.findResources('AWS::IAM::Policy'))
    .find((p) => JSON.stringify(p).includes('elasticbeanstalk:'))!;
  expect(policy.Properties.PolicyDocument.Statement).toEqual([
    { Action: 'elasticbeanstalk:ListPlatformVersions', Effect: 'Allow', Resource: '*' },
  ]);
  const lookupFunction = Object.values(template.findResources('AWS::Lambda::Function'))
    .find((fn) => !JSON.stringify(fn).includes('DefaultSecurityGroup'))!;
  expect(template.toJSON().Resources[lookupFunction.Properties.LoggingConfig.LogGroup.Ref])
    .toEqual(expect.objectContaining({ Type: 'AWS::Logs::LogGroup', DeletionPolicy: 'Delete' }));
});

test('deploys the app folder as the application version, created after the application '
  + 'and before the environment', () => {
  const application = resourceOf('AWS::ElasticBeanstalk::Application');
  const version = resourceOf('AWS::ElasticBeanstalk::ApplicationVersion');
  const environment = resourceOf('AWS::ElasticBeanstalk::Environment');
  expect(version.Properties.SourceBundle).toEqual({
    S3Bucket: expect.anything(),
    S3Key: expect.stringMatching(/^[0-9a-f]{64}\.zip$/),
  });
  expect(version.DependsOn).toEqual([application.id]);
  expect(environment.DependsOn).toContain(version.id);
  expect(environment.Properties).toEqual(expect.objectContaining({
    ApplicationName: { Ref: application.id },
    VersionLabel: { Ref: version.id },
  }));
  expect(application.Properties.ApplicationName).toBeUndefined();
});

test('creates the environment (its Elastic IP) after, and deletes it before, the internet gateway\'s attachment '
  + 'and the public routes', () => {
  const environment = resourceOf('AWS::ElasticBeanstalk::Environment');
  const routes = Object.keys(template.findResources('AWS::EC2::Route'));
  expect(routes).toHaveLength(2);
  expect(environment.DependsOn).toEqual(expect.arrayContaining(routes));
  const attachment = resourceOf('AWS::EC2::VPCGatewayAttachment').id;
  for (const route of routes) expect(template.toJSON().Resources[route].DependsOn).toContain(attachment);
});

test('gives the instance the web tier policy and the service role enhanced health only', () => {
  const managed = (name: string) => ({
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::aws:policy/${name}`]],
  });
  template.hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: Match.objectLike({
      Statement: [Match.objectLike({ Principal: { Service: 'ec2.amazonaws.com' } })],
    }),
    ManagedPolicyArns: [managed('AWSElasticBeanstalkWebTier')],
  });
  template.hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: Match.objectLike({
      Statement: [Match.objectLike({ Principal: { Service: 'elasticbeanstalk.amazonaws.com' } })],
    }),
    ManagedPolicyArns: [managed('service-role/AWSElasticBeanstalkEnhancedHealth')],
  });
  expect(JSON.stringify(template.toJSON())).not.toContain('AWSElasticBeanstalkManagedUpdatesCustomerRolePolicy');
});

test('outputs the environment URL and the application and environment names', () => {
  expect(Object.keys(template.findOutputs('*')).sort()).toEqual(['ApplicationName', 'EnvironmentName', 'Url']);
});

test('takes APP_COLOR, a platform branch, or a fixed platform ARN from context values', () => {
  const custom = Template.fromJSON(templateOf(synthLabs([STACK], {
    context: { appColor: '#336699', platformBranch: 'Node.js 24 running on 64bit Amazon Linux 2023' },
  }), STACK));
  expect(optionsOf(custom))
    .toContainEqual(option('aws:elasticbeanstalk:application:environment', 'APP_COLOR', '#336699'));
  expect(JSON.stringify(custom.toJSON())).toContain('Node.js 24 running on 64bit Amazon Linux 2023');

  const arn = 'arn:aws:elasticbeanstalk:us-east-1::platform/Node.js 22 running on 64bit Amazon Linux 2023/6.6.0';
  const fixed = Template.fromJSON(templateOf(synthLabs([STACK], { context: { platformArn: arn } }), STACK));
  fixed.resourceCountIs('Custom::BeanstalkRecommendedPlatform', 0);
  fixed.hasResourceProperties('AWS::ElasticBeanstalk::Environment', { PlatformArn: arn });
});

test('looks the platform version up again on a deploy with a new platformLookup token, and only then', () => {
  const lookupOf = (context: Record<string, unknown>) => {
    const t = Template.fromJSON(templateOf(synthLabs([STACK], { context }), STACK));
    const lookup = Object.values(t.findResources('Custom::BeanstalkRecommendedPlatform'))[0].Properties;
    return { create: lookup.Create, update: lookup.Update };
  };
  const first = lookupOf({});
  const today = lookupOf({ platformLookup: '2026-11-27' });
  expect(first).toEqual({
    create: resourceOf('Custom::BeanstalkRecommendedPlatform').Properties.Create,
    update: resourceOf('Custom::BeanstalkRecommendedPlatform').Properties.Update,
  });
  expect(today.update).not.toEqual(first.update);
  expect(JSON.parse(today.update).physicalResourceId)
    .toEqual({ id: 'Node.js 22 running on 64bit Amazon Linux 2023 (lookup 2026-11-27)' });
  expect(JSON.parse(today.update).parameters).toEqual(JSON.parse(first.update).parameters);
  expect(lookupOf({ platformLookup: '2026-11-27' })).toEqual(today);
  expect(lookupOf({ platformLookup: '2026-11-28' }).update).not.toEqual(today.update);
});

test.each([
  [
    { appColor: 'red;background:url(x)' },
    'appColor must be a CSS colour name (e.g. "red", "rebeccapurple") or a #rgb/#rrggbb value',
  ],
  [{ appColor: 'bluish' }, 'appColor must be a CSS colour name'],
  [
    { platformArn: '64bit Amazon Linux 2023 v6.6.0 running Node.js 22' },
    'platformArn must be an Elastic Beanstalk platform ARN',
  ],
  [{ platformBranch: 'Node.js; rm -rf /' }, 'branchName must be an Elastic Beanstalk platform branch name'],
  [
    { platformLookup: '$(reboot)' },
    'platformLookup must be 1-32 letters, digits, ".", "_" or "-" (such as a date, $(date +%F)), got "$(reboot)"',
  ],
  [
    {
      platformLookup: '2026-11-27',
      platformArn: 'arn:aws:elasticbeanstalk:us-east-1::platform/Node.js 22 running on 64bit Amazon Linux 2023/6.6.0',
    },
    'platformLookup ("2026-11-27") looks the recommended platform version up again, '
      + 'which platformArn replaces with a fixed version',
  ],
])('fails on %p with a message that says what is allowed', (context, message) => {
  expect(() => synthLabs([STACK], { context })).toThrow(message);
});
