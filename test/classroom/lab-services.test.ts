import { App, Duration, Stack } from 'aws-cdk-lib';
import { createApp } from '../../bin/labs';
import { LAB_SERVICE_REASONS, LAB_SERVICES, labExecutionActions } from '../../lib/classroom/lab-services';
import { PROJECT_TAG } from '../../lib/classroom/student-policy';
import { CLASSROOM_SETUP_STACK } from '../../lib/classroom/student';
import { LabTimeToLive } from '../../lib/constructs/lab-time-to-live';
import { LAB_NAMES } from '../../lib/lab-names';
import { synthesize, testAppProps } from '../helpers/synth';

// The services of the narrower CloudFormation execution policy, against every resource type that CloudFormation
// creates for the labs: every lab and ClassroomSetup, synthesized once as `cdk synth` does, and a time-to-live.

/** The IAM service prefix of each CloudFormation resource namespace (`AWS::<Namespace>::<Type>`). */
const PREFIX_OF_NAMESPACE: Readonly<Record<string, string>> = {
  ApiGateway: 'apigateway',
  ApplicationAutoScaling: 'application-autoscaling',
  AutoScaling: 'autoscaling',
  CloudWatch: 'cloudwatch',
  DynamoDB: 'dynamodb',
  EC2: 'ec2',
  ECS: 'ecs',
  ElasticBeanstalk: 'elasticbeanstalk',
  ElasticLoadBalancingV2: 'elasticloadbalancing',
  Events: 'events',
  IAM: 'iam',
  Lambda: 'lambda',
  Logs: 'logs',
  S3: 's3',
  SNS: 'sns',
  SQS: 'sqs',
  Scheduler: 'scheduler',
};

/**
 * What CloudFormation calls besides a resource's own service, by resource type: a custom resource invokes its
 * function; a function's code and a Beanstalk bundle are read from the bootstrap bucket; an Elastic Beanstalk
 * environment is built by Beanstalk with the caller's rights, as a CloudFormation stack of its own with a group of
 * instances, their alarms and logs, and a load balancer when it has one.
 */
const ALSO_CALLS: ReadonlyArray<[RegExp, readonly string[]]> = [
  [/^(Custom::|AWS::CloudFormation::CustomResource$)/, ['lambda']],
  [/^AWS::Lambda::Function$/, ['s3']],
  [/^AWS::ElasticBeanstalk::ApplicationVersion$/, ['s3']],
  [/^AWS::ElasticBeanstalk::Environment$/,
    ['cloudformation', 'autoscaling', 'ec2', 'elasticloadbalancing', 's3', 'cloudwatch', 'logs']],
];

/** Resource types that create nothing in an AWS service. */
const NOTHING_CREATED = ['AWS::CDK::Metadata'];

interface Template {
  readonly Resources?: Record<string, { Type: string; Properties?: Record<string, any> }>;
  readonly Parameters?: Record<string, { Type: string }>;
  readonly Outputs?: Record<string, { Value?: unknown }>;
}

/** The IAM service prefixes CloudFormation needs for a template's resources and parameters. */
function servicesOf(template: Template): Set<string> {
  const services = new Set<string>();
  for (const { Type } of Object.values(template.Resources ?? {})) {
    if (NOTHING_CREATED.includes(Type)) continue;
    const namespace = /^AWS::(\w+)::/.exec(Type)?.[1];
    const prefix = namespace === undefined ? undefined : PREFIX_OF_NAMESPACE[namespace];
    if (namespace !== undefined && prefix === undefined) {
      throw new Error(`no IAM service prefix known for ${Type}: add AWS::${namespace} to PREFIX_OF_NAMESPACE`);
    }
    if (prefix !== undefined) services.add(prefix);
    for (const [type, also] of ALSO_CALLS) if (type.test(Type)) also.forEach((service) => services.add(service));
  }
  // CloudFormation reads a parameter of type AWS::SSM::Parameter::Value<...> from SSM (the bootstrap version).
  if (Object.values(template.Parameters ?? {}).some((parameter) => parameter.Type.startsWith('AWS::SSM::'))) {
    services.add('ssm');
  }
  return services;
}

const app = synthesize(createApp(testAppProps()));
if (app.error) throw app.error;

/** A stack with nothing but a time-to-live: its schedule and role. */
function timeToLiveTemplate(): Template {
  const stack = new Stack(new App(testAppProps()), 'WithTimeToLive');
  new LabTimeToLive(stack, 'TimeToLive', { ttl: Duration.hours(4), now: new Date('2026-11-28T03:30:00Z') });
  return synthesize(stack.node.root as App).templates.WithTimeToLive;
}

const templates: Record<string, Template> = { ...app.templates, TimeToLive: timeToLiveTemplate() };

test('synthesizes every lab, ClassroomSetup and a time-to-live (the checks below have something to check)', () => {
  expect(Object.keys(templates).sort()).toEqual([...LAB_NAMES, CLASSROOM_SETUP_STACK, 'TimeToLive'].sort());
  const types = Object.values(templates.TimeToLive.Resources ?? {}).map((resource) => resource.Type);
  expect(types).toEqual(expect.arrayContaining(['AWS::Scheduler::Schedule', 'AWS::IAM::Role']));
});

test('LAB_SERVICES are exactly the services the templates\' resources need, no more', () => {
  const needed = new Set(Object.values(templates).flatMap((template) => [...servicesOf(template)]));
  expect(LAB_SERVICES).toEqual([...needed].sort());
});

test('each service says why it is there', () => {
  for (const service of LAB_SERVICES) expect(LAB_SERVICE_REASONS[service].length).toBeGreaterThan(10);
});

test('reads services from resource types, custom resources, Beanstalk and SSM parameters', () => {
  expect([...servicesOf({
    Resources: { A: { Type: 'AWS::SQS::Queue' }, B: { Type: 'Custom::Thing' }, C: { Type: 'AWS::CDK::Metadata' } },
  })].sort()).toEqual(['lambda', 'sqs']);
  expect([...servicesOf({ Resources: {}, Parameters: { V: { Type: 'AWS::SSM::Parameter::Value<String>' } } })])
    .toEqual(['ssm']);
  expect([...servicesOf({ Resources: {}, Parameters: { V: { Type: 'String' } } })]).toEqual([]);
  expect(servicesOf({ Resources: { E: { Type: 'AWS::ElasticBeanstalk::Environment' } } }))
    .toEqual(new Set(['elasticbeanstalk', 'cloudformation', 'autoscaling', 'ec2', 'elasticloadbalancing', 's3',
      'cloudwatch', 'logs']));
  expect(() => servicesOf({ Resources: { K: { Type: 'AWS::Kinesis::Stream' } } }))
    .toThrow('no IAM service prefix known for AWS::Kinesis::Stream');
});

test('the execution policy allows each service, SSM only to read parameters', () => {
  const actions = labExecutionActions();
  expect(actions).toContain('ssm:GetParameters');
  expect(actions).not.toContain('ssm:*');
  expect(actions).toEqual(LAB_SERVICES.map((service) => (service === 'ssm' ? 'ssm:GetParameters' : `${service}:*`))
    .sort());
});

describe('the resources the students\' policy scopes by the project tag carry it', () => {
  const tagged = (resource: { Properties?: Record<string, any> }) => (resource.Properties?.Tags ?? [])
    .some((tag: { Key: string; Value: string }) => tag.Key === PROJECT_TAG.key && tag.Value === PROJECT_TAG.value);
  const labTemplates = LAB_NAMES.map((lab) => [lab, templates[lab]] as const);
  const untagged = (type: string, only: (template: Template, id: string) => boolean = () => true) => labTemplates
    .flatMap(([lab, template]) => Object.entries(template.Resources ?? {})
      .filter(([id, resource]) => resource.Type === type && only(template, id) && !tagged(resource))
      .map(([id]) => `${lab} ${id}`));

  test('queues (verify sends to them)', () => {
    expect(untagged('AWS::SQS::Queue')).toEqual([]);
  });

  test('task definitions, and the task and execution roles RunTask passes', () => {
    expect(untagged('AWS::ECS::TaskDefinition')).toEqual([]);
    const taskRoles = new Set(labTemplates.flatMap(([, template]) => Object.values(template.Resources ?? {})
      .filter((resource) => resource.Type === 'AWS::ECS::TaskDefinition')
      .flatMap((resource) => [resource.Properties?.TaskRoleArn, resource.Properties?.ExecutionRoleArn])
      .flatMap((arn) => arn?.['Fn::GetAtt']?.[0] ?? [])));
    expect(taskRoles.size).toBeGreaterThan(0);
    expect(untagged('AWS::IAM::Role', (_, id) => taskRoles.has(id))).toEqual([]);
  });

  test('the functions a lab names in its outputs (verify invokes them)', () => {
    const named = (template: Template, id: string) => JSON.stringify(template.Outputs ?? {})
      .includes(`{"Ref":"${id}"}`);
    expect(labTemplates.some(([, template]) => Object.entries(template.Resources ?? {})
      .some(([id, resource]) => resource.Type === 'AWS::Lambda::Function' && named(template, id)))).toBe(true);
    expect(untagged('AWS::Lambda::Function', named)).toEqual([]);
  });
});
