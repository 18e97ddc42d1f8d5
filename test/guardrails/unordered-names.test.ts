import { unorderedNames } from '../../lib/guardrails/rules/unordered-names';
import { CfnTemplate } from '../../lib/template/cfn-template';

// Each side of the rule on hand-written templates; test/guardrails/lab-guardrails.test.ts runs it through a synth.
const findings = (resources: Record<string, object>) => unorderedNames({
  Resources: resources as CfnTemplate['Resources'],
}).map((finding) => `${finding.logicalId} ${finding.location}: ${finding.message}`);

const group = (name?: string) => ({ Type: 'AWS::Scheduler::ScheduleGroup', Properties: name ? { Name: name } : {} });
const schedule = (groupName: unknown, extra: object = {}) => ({
  Type: 'AWS::Scheduler::Schedule',
  Properties: { GroupName: groupName, ScheduleExpression: 'rate(1 hour)' },
  ...extra,
});
const NAME = 'Lab-Tasks-Schedules-AECC0ADF';

test('fails on a schedule that names its group by a fixed name without depending on it', () => {
  expect(findings({ Group: group(NAME), Sweep: schedule(NAME) })).toEqual([
    `Sweep Properties.GroupName: names Group by its fixed name "${NAME}" but does not depend on it`,
  ]);
});

test('passes the same schedule with a DependsOn on the group, as a string or a list', () => {
  expect(findings({ Group: group(NAME), Sweep: schedule(NAME, { DependsOn: 'Group' }) })).toEqual([]);
  expect(findings({ Group: group(NAME), Sweep: schedule(NAME, { DependsOn: ['Group'] }) })).toEqual([]);
});

test('passes a schedule that depends on the group through another resource', () => {
  const waiter = { Type: 'AWS::CloudFormation::WaitConditionHandle', DependsOn: 'Group' };
  expect(findings({ Group: group(NAME), Waiter: waiter, Sweep: schedule(NAME, { DependsOn: 'Waiter' }) }))
    .toEqual([]);
});

test('passes a reference to the group, which orders them already', () => {
  expect(findings({ Group: group(NAME), Sweep: schedule({ Ref: 'Group' }) })).toEqual([]);
});

test('passes names of nothing in the template, and groups without a fixed name', () => {
  expect(findings({ Group: group(), Sweep: schedule('default') })).toEqual([]);
  expect(findings({ Group: group(NAME), Sweep: schedule('default') })).toEqual([]);
});

test('finds a name deep in a property, in a list, and in every type whose name it knows', () => {
  const queue = { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'lab-jobs' } };
  const logs = { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/lab/tasks' } };
  const task = {
    Type: 'AWS::ECS::TaskDefinition',
    Properties: {
      ContainerDefinitions: [{
        LogConfiguration: { Options: { 'awslogs-group': '/lab/tasks' } },
        Environment: [{ Name: 'QUEUE', Value: 'lab-jobs' }],
      }],
    },
  };
  expect(findings({ Queue: queue, Logs: logs, Task: task })).toEqual([
    'Task Properties.ContainerDefinitions.0.LogConfiguration.Options.awslogs-group: names Logs by its fixed name '
      + '"/lab/tasks" but does not depend on it',
    'Task Properties.ContainerDefinitions.0.Environment.0.Value: names Queue by its fixed name "lab-jobs" but does '
      + 'not depend on it',
  ]);
});

test.each([
  ['AWS::Events::EventBus', 'Name'], ['AWS::SNS::Topic', 'TopicName'], ['AWS::ECS::Cluster', 'ClusterName'],
  ['AWS::IAM::Role', 'RoleName'],
])('knows the name of a %s (%s)', (type, property) => {
  const named = { Type: type, Properties: { [property]: 'lab-thing' } };
  const user = { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'lab-thing' } };
  expect(findings({ Named: named, User: user })).toEqual([
    'User Properties.Value: names Named by its fixed name "lab-thing" but does not depend on it',
  ]);
});

test('reads past null property values', () => {
  const described = schedule(NAME, { Properties: { GroupName: NAME, Description: null } });
  expect(findings({ Group: group(NAME), Sweep: described }))
    .toEqual([`Sweep Properties.GroupName: names Group by its fixed name "${NAME}" but does not depend on it`]);
});

test('does not flag a resource for its own name', () => {
  expect(findings({ Group: group(NAME) })).toEqual([]);
});
