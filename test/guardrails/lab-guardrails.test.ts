import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elasticbeanstalk from 'aws-cdk-lib/aws-elasticbeanstalk';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { LabVpc } from '../../lib/constructs/lab-vpc';
import { applyLabGuardrails, LabGuardrailsPlugin } from '../../lib/guardrails';
import { synthesize, testAppProps } from '../helpers/synth';

const PROJECT = 'aws-compute-labs';

/** Synthesizes one lab stack built by `build`, under the app-wide guardrails (validator off: see test/app.test.ts). */
function synthLab(build: (stack: Stack) => void) {
  const app = new App(testAppProps());
  build(new Stack(app, 'TestLab'));
  applyLabGuardrails(app, { project: PROJECT });
  return synthesize(app);
}

function rulesFound(result: ReturnType<typeof synthesize>, plugin: string) {
  return result.violations.filter((violation) => violation.plugin === plugin).map((violation) => violation.rule);
}

const table = (scope: Construct, props: Partial<dynamodb.TableProps> = {}) => new dynamodb.Table(scope, 'Table', {
  partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
  billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
  pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  removalPolicy: RemovalPolicy.DESTROY,
  ...props,
});

describe('teardown', () => {
  test('passes a table deleted with the stack', () => {
    const result = synthLab((stack) => table(stack));
    expect(result.error).toBeUndefined();
    expect(result.violations).toEqual([]);
  });

  test('fails on a table kept after the stack is deleted', () => {
    const result = synthLab((stack) => table(stack, { removalPolicy: RemovalPolicy.RETAIN }));
    expect(result.error).toBeDefined();
    expect(rulesFound(result, 'LabGuardrails')).toEqual(['retained-resource']);
  });

  test('fails on a bucket that nothing empties before deletion', () => {
    const result = synthLab((stack) => new s3.Bucket(stack, 'Bucket', { removalPolicy: RemovalPolicy.DESTROY }));
    expect(rulesFound(result, 'LabGuardrails')).toContain('bucket-not-emptied');
  });

  test('accepts a bucket that empties itself (its provider function is another matter)', () => {
    const result = synthLab((stack) => new s3.Bucket(stack, 'Bucket', {
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    }));
    expect(rulesFound(result, 'LabGuardrails')).not.toContain('bucket-not-emptied');
  });

  test('fails on a function that logs to an implicit /aws/lambda group', () => {
    const result = synthLab((stack) => new lambda.CfnFunction(stack, 'Fn', {
      code: { zipFile: 'exports.handler = async () => 1;' },
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_24_X.name,
      role: 'arn:aws:iam::123456789012:role/lab',
    }));
    expect(rulesFound(result, 'LabGuardrails')).toContain('implicit-log-group');
  });

  test('fails on a container that logs through awslogs to a group the stack does not own', () => {
    const result = synthLab((stack) => {
      const task = new ecs.FargateTaskDefinition(stack, 'Task');
      task.addContainer('Web', {
        image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/httpd:2.4'),
        logging: new ecs.AwsLogDriver({
          streamPrefix: 'web',
          logGroup: undefined,
          mode: ecs.AwsLogDriverMode.NON_BLOCKING,
        }),
      });
      const cfnTask = task.node.defaultChild as ecs.CfnTaskDefinition;
      cfnTask.addPropertyOverride('ContainerDefinitions.0.LogConfiguration.Options.awslogs-group', '/ecs/web');
    });
    expect(rulesFound(result, 'LabGuardrails')).toContain('implicit-log-group');
  });

  test('fails on API Gateway execution logging, whose log group API Gateway never deletes', () => {
    const result = synthLab((stack) => {
      const api = new apigateway.RestApi(stack, 'Api', {
        deployOptions: { loggingLevel: apigateway.MethodLoggingLevel.INFO },
      });
      api.root.addMethod('GET', new apigateway.MockIntegration());
    });
    expect(result.violations).toContainEqual(expect.objectContaining({
      plugin: 'LabGuardrails',
      rule: 'implicit-log-group',
      paths: ['TestLab/Api/DeploymentStage.prod/Resource'],
    }));
  });

  test('fails on flow logs sent to a log group the stack does not own', () => {
    const result = synthLab((stack) => new ec2.CfnFlowLog(stack, 'FlowLog', {
      resourceId: 'vpc-12345678', resourceType: 'VPC', trafficType: 'ALL', logGroupName: '/vpc/flow-logs',
      deliverLogsPermissionArn: 'arn:aws:iam::123456789012:role/flow-logs',
    }));
    expect(rulesFound(result, 'LabGuardrails')).toContain('implicit-log-group');
  });

  test('fails on Beanstalk log streaming that keeps its log groups after the environment ends', () => {
    const result = synthLab((stack) => new elasticbeanstalk.CfnEnvironment(stack, 'Environment', {
      applicationName: 'app',
      solutionStackName: 'any',
      optionSettings: [{ namespace: 'aws:elasticbeanstalk:cloudwatch:logs', optionName: 'StreamLogs', value: 'true' }],
    }));
    expect(rulesFound(result, 'LabGuardrails')).toContain('implicit-log-group');
  });
});

describe('NAT gateways', () => {
  test('fails on the default VPC with its NAT gateways', () => {
    const result = synthLab((stack) => new ec2.Vpc(stack, 'Vpc'));
    const nat = result.violations.find((violation) => violation.rule === 'nat-gateway');
    expect(nat?.paths).toHaveLength(2);
  });

  test('passes LabVpc, which has none', () => {
    const result = synthLab((stack) => new LabVpc(stack, 'Network'));
    expect(result.violations).toEqual([]);
  });

  test('accepts NAT gateways from a LabVpc that opted in with a reason', () => {
    const result = synthLab((stack) => new LabVpc(stack, 'Network', {
      natGateways: 1,
      natGatewayReason: 'Tasks pull from a private registry; about $0.05/h',
    }));
    expect(rulesFound(result, 'LabGuardrails')).not.toContain('nat-gateway');
  });
});

describe('physical names', () => {
  test('fails on a table with a fixed name', () => {
    const result = synthLab((stack) => table(stack, { tableName: 'Users' }));
    expect(rulesFound(result, 'LabGuardrails')).toEqual(['physical-name']);
  });
});

describe('lab tags', () => {
  test('tags every taggable resource with lab=<stack name> and project=<package name>', () => {
    const result = synthLab((stack) => table(stack));
    const tags = Object.values(result.templates.TestLab.Resources)
      .find((resource: any) => resource.Type === 'AWS::DynamoDB::Table') as any;
    expect(tags.Properties.Tags).toEqual([{ Key: 'lab', Value: 'TestLab' }, { Key: 'project', Value: PROJECT }]);
  });

  test('tags only the app\'s stacks with a lab: a stack inside a plain construct gets none from the construct', () => {
    const app = new App(testAppProps());
    const inner = table(new Stack(new Construct(app, 'Group'), 'InnerLab'));
    applyLabGuardrails(app, { project: PROJECT });
    const result = synthesize(app);
    expect((inner.node.defaultChild as dynamodb.CfnTable).tags.tagValues()).toEqual({ project: PROJECT });
    expect(result.violations).toContainEqual(expect.objectContaining({
      rule: 'missing-lab-tags',
      paths: ['Group/InnerLab/Table/Resource'],
    }));
  });

  test('fails on a lab stack registered after the guardrails were applied', () => {
    const app = new App(testAppProps());
    applyLabGuardrails(app, { project: PROJECT });
    table(new Stack(app, 'LateLab'));
    const result = synthesize(app);
    expect(result.violations).toContainEqual(expect.objectContaining({
      rule: 'missing-lab-tags',
      paths: ['LateLab/Table/Resource'],
    }));
  });
});

describe('cdk-nag AwsSolutions', () => {
  const sshFromTheWorld = (stack: Stack) => {
    const vpc = new LabVpc(stack, 'Network').vpc;
    const group = new ec2.SecurityGroup(stack, 'Ssh', { vpc, description: 'SSH' });
    group.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.SSH);
    return group;
  };

  test('fails on SSH open to the world', () => {
    const result = synthLab(sshFromTheWorld);
    expect(result.error).toBeDefined();
    expect(rulesFound(result, 'AwsSolutions')).toEqual(['AwsSolutions-EC23']);
  });

  test('accepts an acknowledgment with the pack prefix', () => {
    const result = synthLab((stack) => Validations.of(sshFromTheWorld(stack))
      .acknowledge({ id: 'AwsSolutions::AwsSolutions-EC23', reason: 'test' }));
    expect(result.error).toBeUndefined();
  });

  test('fails on an acknowledgment with a bare rule id, which would drop the finding from the report unseen', () => {
    const result = synthLab((stack) => Validations.of(sshFromTheWorld(stack))
      .acknowledge({ id: 'AwsSolutions-EC23', reason: 'test' }));
    expect(result.error).toBeDefined();
    expect(result.violations).toEqual([expect.objectContaining({
      plugin: 'LabGuardrails',
      rule: 'unaudited-acknowledgment',
      paths: ['TestLab/Ssh'],
    })]);
  });
});

describe('real-account failures', () => {
  const pathsOf = (result: ReturnType<typeof synthesize>, rule: string) => result.violations
    .filter((violation) => violation.plugin === 'LabGuardrails' && violation.rule === rule)
    .flatMap((violation) => violation.paths);

  const publicGroup = (stack: Stack, vpc: ec2.IVpc, id = 'Group') => new autoscaling.AutoScalingGroup(stack, id, {
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    instanceType: new ec2.InstanceType('t3.micro'),
    machineImage: ec2.MachineImage.latestAmazonLinux2023(),
  });

  test('fails on an Auto Scaling group in a LabVpc public subnet that does not wait for the gateway attachment', () => {
    const result = synthLab((stack) => publicGroup(stack, new LabVpc(stack, 'Network').vpc));
    expect(pathsOf(result, 'public-address-before-gateway')).toEqual(['TestLab/Group/ASG']);
  });

  test('passes a group that depends on the public subnets\' internet connectivity '
    + '(and still fails the one beside it that does not)', () => {
    const result = synthLab((stack) => {
      const vpc = new LabVpc(stack, 'Network').vpc;
      publicGroup(stack, vpc, 'Waiting').node.addDependency(
        vpc.selectSubnets({ subnetType: ec2.SubnetType.PUBLIC }).internetConnectivityEstablished,
      );
      publicGroup(stack, vpc, 'Bare');
    });
    expect(pathsOf(result, 'public-address-before-gateway')).toEqual(['TestLab/Bare/ASG']);
  });

  test('fails on a group that depends on the VPC\'s internetConnectivityEstablished, '
    + 'which is the gateway without its attachment', () => {
    const result = synthLab((stack) => {
      const vpc = new LabVpc(stack, 'Network').vpc;
      publicGroup(stack, vpc).node.addDependency(vpc.internetConnectivityEstablished);
    });
    expect(pathsOf(result, 'public-address-before-gateway')).toEqual(['TestLab/Group/ASG']);
  });

  test('passes the NAT gateways of a LabVpc that opted in, and their Elastic IPs, '
    + 'which CDK makes wait for the public routes', () => {
    const result = synthLab((stack) => new LabVpc(stack, 'Network', {
      natGateways: 1,
      natGatewayReason: 'Tasks pull from a private registry; about $0.05/h',
    }));
    expect(Object.values(result.templates.TestLab.Resources).map((resource: any) => resource.Type))
      .toEqual(expect.arrayContaining(['AWS::EC2::NatGateway', 'AWS::EC2::EIP']));
    expect(result.violations).toEqual([]);
  });

  const scaledService = (stack: Stack, cluster: ecs.Cluster, id: string, desiredCount: number | undefined) => {
    const taskDefinition = new ecs.FargateTaskDefinition(stack, `${id}Task`);
    taskDefinition.addContainer('web', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/httpd:2.4'),
    });
    const service = new ecs.FargateService(stack, id, { cluster, taskDefinition, desiredCount });
    service.autoScaleTaskCount({ minCapacity: 2, maxCapacity: 4 })
      .scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 50 });
  };

  test('fails on the desiredCount of a Fargate service that autoScaleTaskCount manages, and passes one without', () => {
    const result = synthLab((stack) => {
      const cluster = new ecs.Cluster(stack, 'Cluster', { vpc: new LabVpc(stack, 'Network').vpc });
      scaledService(stack, cluster, 'Counted', 2);
      scaledService(stack, cluster, 'Uncounted', undefined);
    });
    expect(pathsOf(result, 'scaler-owned-count')).toEqual(['TestLab/Counted/Service']);
  });

  const ecsServiceLinkedRole = (stack: Stack) => new CfnResource(stack, 'EcsRole', {
    type: 'Custom::ServiceLinkedRole',
    properties: { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:x', ServiceName: 'ecs.amazonaws.com' },
  });

  test('fails on an ECS cluster in a stack without the ECS service-linked role resource', () => {
    const result = synthLab((stack) => new ecs.Cluster(stack, 'Cluster', { vpc: new LabVpc(stack, 'Network').vpc }));
    expect(pathsOf(result, 'first-use-service-role')).toEqual(['TestLab/Cluster/Resource']);
  });

  test('passes an ECS cluster that depends on the ECS service-linked role resource, '
    + 'and fails one beside it that does not', () => {
    const result = synthLab((stack) => {
      const vpc = new LabVpc(stack, 'Network').vpc;
      const role = ecsServiceLinkedRole(stack);
      new ecs.Cluster(stack, 'Waiting', { vpc }).node.addDependency(role);
      new ecs.Cluster(stack, 'Bare', { vpc });
    });
    expect(pathsOf(result, 'first-use-service-role')).toEqual(['TestLab/Bare/Resource']);
  });
  test('fails on a Scheduler schedule in a group of the stack that it names without depending on it, and passes '
    + 'one that depends on it', () => {
    const result = synthLab((stack) => {
      // A role of its own: aws-cdk-lib's default role names the group in its trust policy, which orders them.
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com') });
      const target = new schedulerTargets.LambdaInvoke(lambda.Function.fromFunctionAttributes(stack, 'Fn', {
        functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn', sameEnvironment: true,
      }), { role });
      const group = new scheduler.ScheduleGroup(stack, 'Group', { removalPolicy: RemovalPolicy.DESTROY });
      const expression = scheduler.ScheduleExpression.rate(Duration.hours(1));
      new scheduler.Schedule(stack, 'Unordered', { schedule: expression, target, scheduleGroup: group });
      new scheduler.Schedule(stack, 'Ordered', { schedule: expression, target, scheduleGroup: group })
        .node.addDependency(group);
    });
    expect(pathsOf(result, 'unordered-name')).toEqual(['TestLab/Unordered/Resource']);
  });
});

describe('the LabGuardrails plugin\'s report', () => {
  const RULE_IDS = [
    'retained-resource', 'bucket-not-emptied', 'implicit-log-group', 'nat-gateway', 'physical-name',
    'public-address-before-gateway', 'scaler-owned-count', 'first-use-service-role', 'unordered-name',
    'missing-lab-tags', 'unaudited-acknowledgment',
  ];
  /** One resource (or two) that each template rule finds. */
  const EVERY_RULE_BROKEN = {
    Volume: { Type: 'AWS::EC2::Volume', DeletionPolicy: 'Retain' },
    Bucket: { Type: 'AWS::S3::Bucket' },
    Fn: { Type: 'AWS::Lambda::Function' },
    Attachment: { Type: 'AWS::EC2::VPCGatewayAttachment' },
    Nat: { Type: 'AWS::EC2::NatGateway' },
    Users: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'Users' } },
    Group: { Type: 'AWS::AutoScaling::AutoScalingGroup', Properties: { DesiredCapacity: '2' } },
    Policy: { Type: 'AWS::AutoScaling::ScalingPolicy', Properties: { AutoScalingGroupName: { Ref: 'Group' } } },
    Cluster: { Type: 'AWS::ECS::Cluster' },
    Schedules: { Type: 'AWS::Scheduler::ScheduleGroup', Properties: { Name: 'lab' } },
    Schedule: { Type: 'AWS::Scheduler::Schedule', Properties: { GroupName: 'lab' } },
  };
  let folder: string;
  beforeAll(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-guardrails-'));
  });
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

  /** The plugin's report on one template with these resources and on the app's construct tree. */
  const validate = (resources: object, app = new App()) => {
    const templatePath = path.join(folder, 'TestLab.template.json');
    fs.writeFileSync(templatePath, JSON.stringify({ Resources: resources }));
    const report = new LabGuardrailsPlugin({ project: PROJECT }).validate({
      templatePaths: [templatePath],
      stackTemplates: [{ stackConstructPath: 'TestLab', templatePath, accountId: undefined, region: undefined }],
      appConstruct: app,
    });
    return { report, templatePath };
  };
  /** An app whose stack has an untagged queue and an acknowledgment without its plugin. */
  const untidyApp = () => {
    const app = new App();
    const stack = new Stack(app, 'TestLab');
    new sqs.CfnQueue(stack, 'Queue');
    Validations.of(new Construct(stack, 'Acknowledger')).acknowledge({ id: 'AwsSolutions-EC23', reason: 'test' });
    return app;
  };
  const violation = (report: ReturnType<typeof validate>['report'], rule: string) =>
    report.violations.find((found) => found.ruleName === rule)!;

  test('declares its rules', () => {
    expect(new LabGuardrailsPlugin({ project: PROJECT }).ruleIds).toEqual(RULE_IDS);
  });

  test('succeeds without violations on a clean template and app', () => {
    expect(validate({ Queue: { Type: 'AWS::SQS::Queue' } }).report).toEqual({ success: true, violations: [] });
  });

  test('fails with one error per broken rule, in the order of its rules', () => {
    const { report } = validate(EVERY_RULE_BROKEN, untidyApp());
    expect(report.success).toBe(false);
    expect(report.violations.map((found) => [found.ruleName, found.severity]))
      .toEqual(RULE_IDS.map((rule) => [rule, 'error']));
  });

  test('locates a template finding by template, logical id, and property path with the message', () => {
    const { report, templatePath } = validate(EVERY_RULE_BROKEN);
    expect(violation(report, 'nat-gateway').violatingResources).toEqual([{
      templatePath,
      resourceLogicalId: 'Nat',
      locations: ['Type: NAT gateway (about $0.045/h + $0.045/GB)'],
    }]);
  });

  test('locates a tag or acknowledgment finding by construct path, with the message', () => {
    const { report } = validate({}, untidyApp());
    expect(violation(report, 'missing-lab-tags').violatingResources).toEqual([{
      constructPath: 'TestLab/Queue',
      locations: [`AWS::SQS::Queue lacks lab=TestLab and project=${PROJECT}`],
    }]);
    expect(violation(report, 'unaudited-acknowledgment').violatingResources).toEqual([{
      constructPath: 'TestLab/Acknowledger',
      locations: ['acknowledges "AwsSolutions-EC23"; write "AwsSolutions::AwsSolutions-EC23"'],
    }]);
  });

  /** What each rule's description must say is wrong, and what its fix must name. */
  const EXPLAINED: Array<[string, string[], string[]]> = [
    [
      'retained-resource',
      ['kept (or snapshotted) when the stack is deleted'],
      ['removalPolicy: RemovalPolicy.DESTROY'],
    ],
    ['bucket-not-emptied', ['still holds objects cannot be deleted'], ['autoDeleteObjects: true']],
    [
      'implicit-log-group',
      ['a log group the stack does not define: it is created on first write', 'never expires and outlives the stack'],
      ['LabLogGroup'],
    ],
    [
      'nat-gateway',
      ['about $0.045/h plus $0.045/GB', 'more than most labs; labs use public subnets instead'],
      ['LabVpc({ natGateways, natGatewayReason })'],
    ],
    ['physical-name', ['fixed resource name', 'side by side'], ['Remove the name property']],
    [
      'public-address-before-gateway',
      [
        'does not wait for the internet gateway attachment: on delete',
        'fail with "has some mapped public address(es)", leaving the stack DELETE_FAILED.',
      ],
      [
        'depend on the public subnets\' routes, which wait for the attachment: construct.node.addDependency(',
        'vpc.selectSubnets({ subnetType: ec2.SubnetType.PUBLIC }).internetConnectivityEstablished). (',
        'vpc.internetConnectivityEstablished is the gateway alone, not its attachment.',
      ],
    ],
    [
      'scaler-owned-count',
      ['the count of a service or group that a scaler manages, so every deploy resets what the scaler chose'],
      ['desiredCount / desiredCapacity undefined) and let the scaler\'s minimum set the start'],
    ],
    [
      'first-use-service-role',
      ['create its service-linked role, which it often cannot assume yet: the first deploy fails'],
      [
        'the Custom::ServiceLinkedRole of its service (lib/constructs/service-linked-role.ts), with ',
        'ServiceLinkedRole.requiredBy(cluster, \'ecs.amazonaws.com\'), which in classroom mode imports ',
        'ClassroomSetup\'s export for the role instead.',
      ],
    ],
    [
      'unordered-name',
      ['by a name fixed at synth, not by a reference, and does not depend on it', 'may create it first and fail'],
      ['its Ref or an attribute', 'or add a dependency: construct.node.addDependency(named).'],
    ],
    ['missing-lab-tags', ['lacks the lab and project tags'], ['before applyLabGuardrails(app) runs']],
    [
      'unaudited-acknowledgment',
      ['names a rule without its plugin, so the finding vanishes from the report'],
      ['Prefix the rule id with its plugin, e.g. AwsSolutions::AwsSolutions-EC23.'],
    ],
  ];

  test.each(EXPLAINED)('explains %s and its fix', (rule, description, fix) => {
    const found = violation(validate(EVERY_RULE_BROKEN, untidyApp()).report, rule);
    description.forEach((phrase) => expect(found.description).toContain(phrase));
    fix.forEach((phrase) => expect(found.fix).toContain(phrase));
  });
});
