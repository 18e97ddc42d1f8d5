import { App, CfnResource, Stack, Tags, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { unauditedAcknowledgments } from '../../lib/guardrails/rules/acknowledgments';
import { missingLabTags } from '../../lib/guardrails/rules/lab-tags';
import { natGateways } from '../../lib/guardrails/rules/nat-gateways';
import { physicalNames } from '../../lib/guardrails/rules/physical-names';
import { bucketsNotEmptied, implicitLogGroups, retainedResources } from '../../lib/guardrails/rules/teardown';
import { CfnTemplate } from '../../lib/template/cfn-template';

/** Edge cases of the guardrail rules that existed before the real-account rules, on hand-written templates. */

const template = (resources: Record<string, object>): CfnTemplate => ({
  Resources: resources as CfnTemplate['Resources'],
});
const LOG_GROUP = { Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 7 } } };

describe('retained-resource', () => {
  const kept = ['Retain', 'RetainExceptOnCreate', 'Snapshot'];

  test.each(kept)('fails on DeletionPolicy %s', (policy) => {
    expect(retainedResources(template({ Volume: { Type: 'AWS::EC2::Volume', DeletionPolicy: policy } }))).toEqual([
      { logicalId: 'Volume', location: 'DeletionPolicy', message: `AWS::EC2::Volume has DeletionPolicy ${policy}` },
    ]);
  });

  test.each(kept)('fails on UpdateReplacePolicy %s', (policy) => {
    expect(retainedResources(template({ Volume: { Type: 'AWS::EC2::Volume', UpdateReplacePolicy: policy } }))).toEqual([
      {
        logicalId: 'Volume',
        location: 'UpdateReplacePolicy',
        message: `AWS::EC2::Volume has UpdateReplacePolicy ${policy}`,
      },
    ]);
  });

  test('names both policies when both keep the resource', () => {
    const [finding] = retainedResources(template({
      Table: { Type: 'AWS::DynamoDB::Table', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Snapshot' },
    }));
    expect(finding.location).toBe('DeletionPolicy, UpdateReplacePolicy');
  });

  test('says which policies keep the resource, and their values', () => {
    const [finding] = retainedResources(template({
      Table: { Type: 'AWS::DynamoDB::Table', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Snapshot' },
    }));
    expect(finding.message).toBe('AWS::DynamoDB::Table has DeletionPolicy Retain and UpdateReplacePolicy Snapshot');
  });

  test('passes Delete on both policies', () => {
    expect(retainedResources(template({
      Table: { Type: 'AWS::DynamoDB::Table', DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' },
    }))).toEqual([]);
  });

  test('passes a resource without policies (CloudFormation deletes it)', () => {
    expect(retainedResources(template({ Table: { Type: 'AWS::DynamoDB::Table' } }))).toEqual([]);
  });
});

describe('physical-name', () => {
  const NAME_PROPERTIES: Array<[string, string]> = [
    ['AWS::DynamoDB::Table', 'TableName'],
    ['AWS::Lambda::Function', 'FunctionName'],
    ['AWS::S3::Bucket', 'BucketName'],
    ['AWS::IAM::Role', 'RoleName'],
    ['AWS::IAM::InstanceProfile', 'InstanceProfileName'],
    ['AWS::Logs::LogGroup', 'LogGroupName'],
    ['AWS::ECS::Cluster', 'ClusterName'],
    ['AWS::ECS::Service', 'ServiceName'],
    ['AWS::ElasticLoadBalancingV2::LoadBalancer', 'Name'],
    ['AWS::ElasticLoadBalancingV2::TargetGroup', 'Name'],
    ['AWS::AutoScaling::AutoScalingGroup', 'AutoScalingGroupName'],
    ['AWS::ElasticBeanstalk::Application', 'ApplicationName'],
    ['AWS::ElasticBeanstalk::Environment', 'EnvironmentName'],
  ];

  test.each(NAME_PROPERTIES)('fails on %s with a literal %s', (type, property) => {
    expect(physicalNames(template({ Named: { Type: type, Properties: { [property]: 'lab' } } }))).toEqual([
      { logicalId: 'Named', location: `Properties.${property}`, message: `${type} is named "lab"` },
    ]);
  });

  test.each(NAME_PROPERTIES)('passes %s with %s built from the stack name (a token)', (type, property) => {
    const name = { 'Fn::Join': ['-', [{ Ref: 'AWS::StackName' }, 'web']] };
    expect(physicalNames(template({ Named: { Type: type, Properties: { [property]: name } } }))).toEqual([]);
  });

  test('passes a resource of a named type without Properties (CloudFormation generates the name)', () => {
    expect(physicalNames(template({ Bucket: { Type: 'AWS::S3::Bucket' } }))).toEqual([]);
  });

  test('passes a name property that belongs to another resource type', () => {
    expect(physicalNames(template({ Table: { Type: 'AWS::DynamoDB::Table', Properties: { FunctionName: 'lab' } } })))
      .toEqual([]);
  });
});

describe('bucket-not-emptied', () => {
  const bucket = { Type: 'AWS::S3::Bucket' };
  const autoDelete = (bucketId: string) => ({
    Type: 'Custom::S3AutoDeleteObjects',
    Properties: { ServiceToken: 'arn', BucketName: { Ref: bucketId } },
  });

  test('fails on a bucket without an auto-delete resource', () => {
    expect(bucketsNotEmptied(template({ Bucket: bucket })).map((finding) => finding.logicalId)).toEqual(['Bucket']);
  });

  test('says the bucket lacks autoDeleteObjects', () => {
    expect(bucketsNotEmptied(template({ Bucket: bucket })))
      .toEqual([{ logicalId: 'Bucket', location: 'Properties', message: 'bucket without autoDeleteObjects' }]);
  });

  test('fails on a bucket beside auto-delete resources that name no bucket', () => {
    expect(bucketsNotEmptied(template({
      Bucket: bucket,
      Bare: { Type: 'Custom::S3AutoDeleteObjects' },
      Unnamed: { Type: 'Custom::S3AutoDeleteObjects', Properties: { ServiceToken: 'arn' } },
    })).map((finding) => finding.logicalId)).toEqual(['Bucket']);
  });

  test('fails on a bucket whose auto-delete resource empties another bucket', () => {
    expect(bucketsNotEmptied(template({ Bucket: bucket, Other: bucket, AutoDelete: autoDelete('Other') }))
      .map((finding) => finding.logicalId)).toEqual(['Bucket']);
  });

  test('passes a bucket that an auto-delete resource empties', () => {
    expect(bucketsNotEmptied(template({ Bucket: bucket, AutoDelete: autoDelete('Bucket') }))).toEqual([]);
  });
});

describe('implicit-log-group', () => {
  const locations = (resources: Record<string, object>) => implicitLogGroups(template({ ...LOG_GROUP, ...resources }))
    .map((finding) => `${finding.logicalId} ${finding.location}`);

  describe('Lambda functions', () => {
    const fn = (loggingConfig?: object) => ({
      Type: 'AWS::Lambda::Function',
      Properties: { Handler: 'index.handler', LoggingConfig: loggingConfig },
    });

    test('fails on a function without LoggingConfig', () => {
      expect(locations({ Fn: fn() })).toEqual(['Fn Properties.LoggingConfig.LogGroup']);
    });

    test('fails on a function without Properties, and says where its logs go', () => {
      expect(implicitLogGroups(template({ Fn: { Type: 'AWS::Lambda::Function' } }))).toEqual([{
        logicalId: 'Fn',
        location: 'Properties.LoggingConfig.LogGroup',
        message: 'function logs to an implicit /aws/lambda/... group',
      }]);
    });

    test('fails on a function that names a log group the stack does not define', () => {
      expect(locations({ Fn: fn({ LogGroup: '/aws/lambda/users' }) }))
        .toEqual(['Fn Properties.LoggingConfig.LogGroup']);
    });

    test('fails on a function whose log group refers to a resource that is not a log group', () => {
      expect(locations({ Fn: fn({ LogGroup: { Ref: 'Bucket' } }), Bucket: { Type: 'AWS::S3::Bucket' } }))
        .toEqual(['Fn Properties.LoggingConfig.LogGroup']);
    });

    test('passes a function that logs to a log group of the stack', () => {
      expect(locations({ Fn: fn({ LogGroup: { Ref: 'Logs' } }) })).toEqual([]);
    });
  });

  describe('ECS containers', () => {
    const task = (...containers: object[]) => ({
      Type: 'AWS::ECS::TaskDefinition',
      Properties: { ContainerDefinitions: containers },
    });
    const awslogs = (group: unknown) => ({
      LogDriver: 'awslogs',
      Options: { 'awslogs-group': group, 'awslogs-stream-prefix': 'web' },
    });

    test('fails on an awslogs container whose group the stack does not define, at its index', () => {
      expect(locations({
        Task: task(
          { Name: 'ok', LogConfiguration: awslogs({ Ref: 'Logs' }) },
          { Name: 'web', LogConfiguration: awslogs('/ecs/web') },
        ),
      })).toEqual(['Task Properties.ContainerDefinitions.1.LogConfiguration']);
    });

    test('passes an awslogs container that logs to a log group of the stack', () => {
      expect(locations({ Task: task({ Name: 'web', LogConfiguration: awslogs({ Ref: 'Logs' }) }) })).toEqual([]);
    });

    test('fails on an awslogs container without options, and names the container', () => {
      expect(implicitLogGroups(template({ Task: task({ Name: 'web', LogConfiguration: { LogDriver: 'awslogs' } }) })))
        .toEqual([{
          logicalId: 'Task',
          location: 'Properties.ContainerDefinitions.0.LogConfiguration',
          message: 'container web logs to a group the stack does not own',
        }]);
    });

    test('passes a task definition without Properties or without containers', () => {
      expect(locations({
        Bare: { Type: 'AWS::ECS::TaskDefinition' },
        Empty: { Type: 'AWS::ECS::TaskDefinition', Properties: { Family: 'web' } },
      })).toEqual([]);
    });

    test('passes a container with another log driver or none', () => {
      expect(locations({
        Task: task({ Name: 'web', LogConfiguration: { LogDriver: 'awsfirelens' } }, { Name: 'quiet' }),
      })).toEqual([]);
    });
  });

  describe('API Gateway stages', () => {
    const stage = (properties: object) => ({
      Type: 'AWS::ApiGateway::Stage',
      Properties: { StageName: 'prod', ...properties },
    });

    test('fails on access logs sent to a group the stack does not define', () => {
      expect(locations({
        Stage: stage({
          AccessLogSetting: {
            DestinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:api',
            Format: '$context.requestId',
          },
        }),
      })).toEqual(['Stage Properties.AccessLogSetting.DestinationArn']);
    });

    test('passes access logs sent to a log group of the stack', () => {
      expect(locations({ Stage: stage({ AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': ['Logs', 'Arn'] } } }) }))
        .toEqual([]);
    });

    test('passes a stage without access logs', () => {
      expect(locations({ Stage: stage({}) })).toEqual([]);
    });

    test('passes a stage without Properties', () => {
      expect(locations({ Stage: { Type: 'AWS::ApiGateway::Stage' } })).toEqual([]);
    });

    test('says access logs go to a group the stack does not own', () => {
      const [finding] = implicitLogGroups(template({
        Stage: stage({ AccessLogSetting: { DestinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:api' } }),
      }));
      expect(finding.message).toBe('access logs go to a group the stack does not own');
    });

    test('says which group execution logs go to and that API Gateway never deletes it', () => {
      const [finding] = implicitLogGroups(template({
        Stage: stage({ MethodSettings: [{ HttpMethod: '*', ResourcePath: '/*', LoggingLevel: 'ERROR' }] }),
      }));
      expect(finding.message).toBe('execution logs go to an API-Gateway-Execution-Logs_... group '
        + 'that API Gateway creates and never deletes');
    });

    test.each(['INFO', 'ERROR'])('fails on execution logging at level %s', (level) => {
      expect(locations({
        Stage: stage({
          MethodSettings: [
            { HttpMethod: '*', ResourcePath: '/*' },
            { HttpMethod: '*', ResourcePath: '/*', LoggingLevel: level },
          ],
        }),
      })).toEqual(['Stage Properties.MethodSettings.1.LoggingLevel']);
    });

    test('passes execution logging OFF', () => {
      expect(locations({
        Stage: stage({ MethodSettings: [{ HttpMethod: '*', ResourcePath: '/*', LoggingLevel: 'OFF' }] }),
      })).toEqual([]);
    });
  });

  describe('VPC flow logs', () => {
    const flowLog = (properties: object) => ({
      Type: 'AWS::EC2::FlowLog',
      Properties: { ResourceId: 'vpc-1', ResourceType: 'VPC', TrafficType: 'ALL', ...properties },
    });

    test('fails on flow logs to CloudWatch Logs (the default destination) '
      + 'in a group the stack does not define', () => {
      expect(locations({ FlowLog: flowLog({ LogGroupName: '/vpc/flow-logs' }) }))
        .toEqual(['FlowLog Properties.LogGroupName']);
    });

    test('fails on flow logs to cloud-watch-logs, named, in a group the stack does not define', () => {
      expect(locations({
        FlowLog: flowLog({ LogDestinationType: 'cloud-watch-logs', LogGroupName: '/vpc/flow-logs' }),
      })).toEqual(['FlowLog Properties.LogGroupName']);
    });

    test('passes flow logs to a log group of the stack', () => {
      expect(locations({ FlowLog: flowLog({ LogDestinationType: 'cloud-watch-logs', LogGroupName: { Ref: 'Logs' } }) }))
        .toEqual([]);
    });

    test('fails on flow logs without Properties (CloudWatch Logs, no group of the stack), and says so', () => {
      expect(implicitLogGroups(template({ FlowLog: { Type: 'AWS::EC2::FlowLog' } }))).toEqual([{
        logicalId: 'FlowLog',
        location: 'Properties.LogGroupName',
        message: 'flow logs go to a group the stack does not own',
      }]);
    });

    test('passes flow logs to S3', () => {
      expect(locations({ FlowLog: flowLog({ LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::flow-logs' }) }))
        .toEqual([]);
    });
  });

  describe('Elastic Beanstalk log streaming', () => {
    const environment = (...options: Array<[string, string, unknown]>) => ({
      Type: 'AWS::ElasticBeanstalk::Environment',
      Properties: {
        ApplicationName: 'app',
        OptionSettings: options.map(([Namespace, OptionName, Value]) => ({ Namespace, OptionName, Value })),
      },
    });
    const LOGS = 'aws:elasticbeanstalk:cloudwatch:logs';
    const HEALTH = 'aws:elasticbeanstalk:cloudwatch:logs:health';
    const streams: Array<[string, string]> = [[LOGS, 'StreamLogs'], [HEALTH, 'HealthStreamingEnabled']];

    test.each(streams)('fails on %s %s true without DeleteOnTerminate', (namespace, option) => {
      expect(locations({ Environment: environment([namespace, option, 'true']) }))
        .toEqual([`Environment Properties.OptionSettings(${namespace})`]);
    });

    test.each(streams)('fails on %s %s true with DeleteOnTerminate false', (namespace, option) => {
      expect(locations({
        Environment: environment([namespace, option, true], [namespace, 'DeleteOnTerminate', 'false']),
      })).toEqual([`Environment Properties.OptionSettings(${namespace})`]);
    });

    test.each(streams)('passes %s %s true with DeleteOnTerminate true', (namespace, option) => {
      expect(locations({
        Environment: environment([namespace, option, 'true'], [namespace, 'DeleteOnTerminate', true]),
      })).toEqual([]);
    });

    test.each(streams)('passes %s %s false', (namespace, option) => {
      expect(locations({ Environment: environment([namespace, option, 'false']) })).toEqual([]);
    });

    test('fails on each namespace on its own: DeleteOnTerminate of the other namespace does not count', () => {
      expect(locations({
        Environment: environment([LOGS, 'StreamLogs', 'true'], [HEALTH, 'DeleteOnTerminate', 'true']),
      })).toEqual([`Environment Properties.OptionSettings(${LOGS})`]);
    });

    test('says Beanstalk keeps the log groups and which option to set', () => {
      const [finding] = implicitLogGroups(template({ Environment: environment([LOGS, 'StreamLogs', 'true']) }));
      expect(finding.message)
        .toBe('Beanstalk streams logs to groups it keeps after the environment ends (set DeleteOnTerminate)');
    });

    test('passes an environment without Properties or without options', () => {
      expect(locations({
        Bare: { Type: 'AWS::ElasticBeanstalk::Environment' },
        Plain: { Type: 'AWS::ElasticBeanstalk::Environment', Properties: { ApplicationName: 'app' } },
      })).toEqual([]);
    });

    test('passes streaming options under the other namespace\'s name', () => {
      expect(locations({
        Environment: environment([LOGS, 'HealthStreamingEnabled', 'true'], [HEALTH, 'StreamLogs', 'true']),
      })).toEqual([]);
    });
  });
});

describe('nat-gateway', () => {
  test('fails on every NAT gateway', () => {
    const nat = { Type: 'AWS::EC2::NatGateway', Properties: { SubnetId: 'subnet-1' } };
    expect(natGateways(template({ A: nat, B: nat })).map((finding) => finding.logicalId)).toEqual(['A', 'B']);
  });

  test('says what a NAT gateway costs, at its Type', () => {
    expect(natGateways(template({ Nat: { Type: 'AWS::EC2::NatGateway' } }))).toEqual([
      { logicalId: 'Nat', location: 'Type', message: 'NAT gateway (about $0.045/h + $0.045/GB)' },
    ]);
  });

  test('passes a template with an internet gateway and Elastic IPs but no NAT gateway', () => {
    expect(natGateways(template({ Gateway: { Type: 'AWS::EC2::InternetGateway' }, Eip: { Type: 'AWS::EC2::EIP' } })))
      .toEqual([]);
  });
});

describe('unaudited-acknowledgment', () => {
  /** The findings for one construct that acknowledges `id`. */
  const acknowledging = (id: string) => {
    const app = new App();
    Validations.of(new Construct(app, 'Acknowledger')).acknowledge({ id, reason: 'test' });
    return unauditedAcknowledgments(app);
  };

  test.each([
    ['AwsSolutions-EC23', 'AwsSolutions::AwsSolutions-EC23'],
    ['AwsSolutions-IAM5[Resource::*]', 'AwsSolutions::AwsSolutions-IAM5[Resource::*]'],
    ['E3012', 'CloudFormation-Validate::E3012'],
    ['W0000', 'CloudFormation-Validate::W0000'],
    ['E9999', 'CloudFormation-Validate::E9999'],
  ])('fails on the bare id %s and says to write %s', (id, prefixed) => {
    expect(acknowledging(id))
      .toEqual([{ constructPath: 'Acknowledger', message: `acknowledges "${id}"; write "${prefixed}"` }]);
  });

  test('fails on a LabGuardrails rule written without the :: separator', () => {
    expect(acknowledging('LabGuardrails:nat-gateway').map((finding) => finding.constructPath))
      .toEqual(['Acknowledger']);
  });

  test.each([
    ['LabGuardrails:nat-gateway'],
    ['LabGuardrails-nat-gateway'],
    ['LabGuardrailsnat-gateway'],
  ])('tells to write %s as LabGuardrails::nat-gateway', (id) => {
    const [finding] = acknowledging(id);
    expect(finding.message).toBe(`acknowledges "${id}"; write "LabGuardrails::nat-gateway"`);
  });

  test('keeps LabGuardrails written inside another plugin\'s rule id', () => {
    const id = 'AwsSolutions-IAM5[Resource::arn:LabGuardrails:x]';
    expect(acknowledging(id)[0].message).toBe(`acknowledges "${id}"; write "AwsSolutions::${id}"`);
  });

  test('tells to write the LabGuardrails plugin before a LabGuardrails rule', () => {
    const [finding] = acknowledging('LabGuardrails:nat-gateway');
    expect(finding.message).toMatch(/^acknowledges "LabGuardrails:nat-gateway"; write "LabGuardrails::/);
  });

  test('reads only acknowledgments, not other metadata that looks like one', () => {
    const app = new App();
    new Construct(app, 'Annotated').node.addMetadata('lab:notes', { 'Annotation::AwsSolutions-EC23': 'a note' });
    expect(unauditedAcknowledgments(app)).toEqual([]);
  });

  test.each([
    'AwsSolutions::AwsSolutions-EC23',
    'LabGuardrails::nat-gateway',
    'CloudFormation-Validate::E3012',
    'ThirdParty::AwsSolutions-EC23',
    'ThirdParty::E3012',
    'MyAwsSolutions-EC23',
    'Custom-AwsSolutions-EC23',
    'E301',
    'E30123',
    'X3012',
    'annotation::MyWarning',
    'MyWarning',
  ])('passes the acknowledgment %s', (id) => {
    expect(acknowledging(id)).toEqual([]);
  });
});

describe('missing-lab-tags', () => {
  const PROJECT = 'aws-compute-labs';
  /**
   * One taggable resource (a queue) in the stack `TestLab`, with the given tags,
   * and one resource that takes no tags.
   */
  const taggedQueue = (tags: Record<string, string>) => {
    const app = new App();
    const stack = new Stack(app, 'TestLab');
    new sqs.CfnQueue(stack, 'Queue', { tags: Object.entries(tags).map(([key, value]) => ({ key, value })) });
    new CfnResource(stack, 'Untaggable', { type: 'AWS::CloudFormation::WaitConditionHandle' });
    return { app };
  };

  test('passes a taggable resource with both tags, and a resource that takes no tags', () => {
    expect(missingLabTags(taggedQueue({ lab: 'TestLab', project: PROJECT }).app, PROJECT)).toEqual([]);
  });

  test('fails on a resource without tags, and names both tags it lacks', () => {
    expect(missingLabTags(taggedQueue({}).app, PROJECT).map((finding) => finding.message))
      .toEqual([`AWS::SQS::Queue lacks lab=TestLab and project=${PROJECT}`]);
  });

  test('reads the tags that Tags.of applied to a resource whose tags CDK manages through cdkTagManager', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'TestLab');
    Tags.of(new ec2.CfnEgressOnlyInternetGateway(stack, 'Gateway', { vpcId: 'vpc-12345678' })).add('lab', 'TestLab');
    app.synth(); // applies the tag aspect
    expect(missingLabTags(app, PROJECT)).toEqual([
      { constructPath: 'TestLab/Gateway', message: `AWS::EC2::EgressOnlyInternetGateway lacks project=${PROJECT}` },
    ]);
  });

  test('reads the tags given to the constructor of such a resource too, as the template has them', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'TestLab');
    new ec2.CfnEgressOnlyInternetGateway(stack, 'Gateway', {
      vpcId: 'vpc-12345678',
      tags: [{ key: 'lab', value: 'TestLab' }],
    });
    Tags.of(stack).add('project', PROJECT);
    const template = app.synth().getStackByName('TestLab').template;
    expect(template.Resources.Gateway.Properties.Tags).toEqual(expect.arrayContaining([
      { Key: 'lab', Value: 'TestLab' }, { Key: 'project', Value: PROJECT },
    ]));
    expect(missingLabTags(app, PROJECT)).toEqual([]);
  });

  test('accepts a student tag on a resource outside classroom mode', () => {
    expect(missingLabTags(taggedQueue({ lab: 'TestLab', project: PROJECT, student: 'alice' }).app, PROJECT))
      .toEqual([]);
  });

  test('fails on a resource that lacks the project tag', () => {
    expect(missingLabTags(taggedQueue({ lab: 'TestLab' }).app, PROJECT).map((finding) => finding.message))
      .toEqual([`AWS::SQS::Queue lacks project=${PROJECT}`]);
  });

  test('fails on a lab tag that names another stack', () => {
    expect(missingLabTags(taggedQueue({ lab: 'OtherLab', project: PROJECT }).app, PROJECT)
      .map((finding) => finding.message)).toEqual(['AWS::SQS::Queue lacks lab=TestLab']);
  });

  describe('in a student\'s stack (classroom mode), named <student>-<Lab>', () => {
    /** A queue in the stack `alice-LambdaUsersLab` (id `LambdaUsersLab`) with the given tags. */
    const studentQueue = (tags: Record<string, string>, stackName = 'alice-LambdaUsersLab') => {
      const app = new App();
      const stack = new Stack(app, 'LambdaUsersLab', { stackName });
      new sqs.CfnQueue(stack, 'Queue', { tags: Object.entries(tags).map(([key, value]) => ({ key, value })) });
      return missingLabTags(app, PROJECT).map((finding) => finding.message);
    };

    test('passes lab=<Lab> (the stack id), project and student=<student>', () => {
      expect(studentQueue({ lab: 'LambdaUsersLab', project: PROJECT, student: 'alice' })).toEqual([]);
    });

    test('fails without the student tag', () => {
      expect(studentQueue({ lab: 'LambdaUsersLab', project: PROJECT }))
        .toEqual(['AWS::SQS::Queue lacks student=alice']);
    });

    test('fails on another student\'s tag', () => {
      expect(studentQueue({ lab: 'LambdaUsersLab', project: PROJECT, student: 'bob' }))
        .toEqual(['AWS::SQS::Queue lacks student=alice']);
    });

    test('fails on lab=<stack name>: the lab tag names the lab, not the student\'s stack', () => {
      expect(studentQueue({ lab: 'alice-LambdaUsersLab', project: PROJECT, student: 'alice' }))
        .toEqual(['AWS::SQS::Queue lacks lab=LambdaUsersLab']);
    });

    test('asks no student tag of a stack whose name is not <student>-<Lab>', () => {
      expect(studentQueue({ lab: 'LambdaUsersLab', project: PROJECT }, 'Alice-LambdaUsersLab')).toEqual([]);
    });
  });
});
