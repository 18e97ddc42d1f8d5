import { Match, Template } from 'aws-cdk-lib/assertions';
import { createApp, LabName } from '../../bin/labs';
import { ClassroomSetup } from '../../lib/classroom/classroom-setup-stack';
import { CLASSROOM_SETUP_STACK, DEADLINE_OUTPUT } from '../../lib/classroom/student';
import { STUDENT_POLICY } from '../../lib/classroom/student-policy';
import { TIME_TO_LIVE_RULE } from '../../lib/classroom/time-to-live';
import { LabVpc } from '../../lib/constructs/lab-vpc';
import { LAB_NAMES } from '../../lib/lab-names';
import { constructTestApp } from '../helpers/construct-app';
import { normalizeTemplate } from '../helpers/normalize-template';
import { WITHOUT_BUNDLING } from '../../lib/cdk-json';
import { synthesize, testAppProps } from '../helpers/synth';

/**
 * The app `cdk synth` builds with these context values, without bundling the functions' code; with `labs`, only those
 * labs (and no ClassroomSetup), as `createApp` builds them for the tests of one lab.
 */
function synthApp(context: Record<string, unknown> = {}, { now, labs }: { now?: Date; labs?: LabName[] } = {}) {
  return synthesize(createApp(testAppProps({ context: { ...context, ...WITHOUT_BUNDLING } }), labs, now));
}

const setupApp = synthApp();
const setup = setupApp.templates[CLASSROOM_SETUP_STACK];
const student = synthApp({ student: 'alice' });

const EXPORTS = [
  'VpcId', 'AvailabilityZone1', 'AvailabilityZone2', 'PublicSubnet1Id', 'PublicSubnet2Id',
  'PublicRouteTable1Id', 'PublicRouteTable2Id', 'ServiceLinkedRole-ecs', 'ApiGatewayAccount',
].map((name) => `${CLASSROOM_SETUP_STACK}-${name}`);

/** Every export name a template imports, wherever it imports it. */
function importsOf(template: unknown): string[] {
  return [...JSON.stringify(template).matchAll(/"Fn::ImportValue":"([^"]+)"/g)].map((match) => match[1]);
}

describe('ClassroomSetup', () => {
  test('synthesizes with every guardrail passing, in the app `cdk synth` builds without a student', () => {
    expect(setupApp.error).toBeUndefined();
    expect(setupApp.violations).toEqual([]);
  });

  test('matches the snapshot', () => {
    expect(normalizeTemplate(setup)).toMatchSnapshot();
  });

  test('exports the network, the ECS service-linked role and API Gateway\'s account setting, and nothing else', () => {
    const exported = Object.values<any>(setup.Outputs).map((output) => output.Export?.Name).filter(Boolean);
    expect(exported.sort()).toEqual([...EXPORTS].sort());
  });

  test('the class\'s network: one VPC, two public /20 subnets, no NAT gateway, flow logs', () => {
    const template = Template.fromJSON(setup);
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::FlowLog', 1);
    const subnets = Object.values(template.findResources('AWS::EC2::Subnet'));
    expect(subnets.map((subnet) => subnet.Properties.CidrBlock).sort()).toEqual(['10.0.0.0/20', '10.0.16.0/20']);
    expect(subnets.every((subnet) => subnet.Properties.MapPublicIpOnLaunch === true)).toBe(true);
  });

  test('makes sure of ECS\'s service-linked role, and its export refers to that resource', () => {
    const template = Template.fromJSON(setup);
    const roles = template.findResources('Custom::ServiceLinkedRole');
    expect(Object.values(roles).map((role) => role.Properties.ServiceName)).toEqual(['ecs.amazonaws.com']);
    template.hasOutput('*', {
      Export: { Name: `${CLASSROOM_SETUP_STACK}-ServiceLinkedRole-ecs` },
      Value: { Ref: Object.keys(roles)[0] },
    });
  });

  test('sets API Gateway\'s account CloudWatch role, with the policy AWS publishes for it', () => {
    const template = Template.fromJSON(setup);
    const accounts = template.findResources('AWS::ApiGateway::Account');
    expect(Object.keys(accounts)).toHaveLength(1);
    const [accountId, account] = Object.entries(accounts)[0];
    const roleId = account.Properties.CloudWatchRoleArn['Fn::GetAtt'][0];
    expect(setup.Resources[roleId].Properties).toMatchObject({
      AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'apigateway.amazonaws.com' } }] },
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' },
        ':iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs']] }],
    });
    template.hasOutput('*', {
      Export: { Name: `${CLASSROOM_SETUP_STACK}-ApiGatewayAccount` },
      Value: { Ref: accountId },
    });
  });

  test('makes the students\' managed policy from student-policy.ts, statement by statement; outputs its ARN', () => {
    const template = Template.fromJSON(setup);
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy'));
    expect(policies).toHaveLength(1);
    const statements = policies[0].Properties.PolicyDocument.Statement;
    expect(statements.map((statement: any) => statement.Sid)).toEqual(STUDENT_POLICY.map((statement) => statement.sid));
    statements.forEach((statement: any, i: number) => {
      expect(statement.Effect).toBe('Allow');
      expect([statement.Action].flat().sort()).toEqual([...STUDENT_POLICY[i].actions].sort());
    });
    // The placeholders became the stack's pseudo parameters.
    expect(JSON.stringify(statements)).not.toContain('${AWS::');
    expect(JSON.stringify(statements)).toContain('{"Ref":"AWS::AccountId"}');
    template.hasOutput('StudentPolicyArn', { Value: { Ref: Match.anyValue() } });
  });

  test('has no time-to-live, even when the labs have one', () => {
    const withTtl = synthApp({ ttl: '2h' });
    expect(withTtl.templates[CLASSROOM_SETUP_STACK].Outputs[DEADLINE_OUTPUT]).toBeUndefined();
    expect(JSON.stringify(withTtl.templates[CLASSROOM_SETUP_STACK])).not.toContain('AWS::Scheduler::Schedule');
  });
});

describe('a student\'s stacks use what ClassroomSetup made', () => {
  test('every value a student\'s stack imports is one ClassroomSetup exports', () => {
    expect(student.error).toBeUndefined();
    for (const lab of LAB_NAMES) {
      for (const name of importsOf(student.templates[`alice-${lab}`])) expect(EXPORTS).toContain(name);
    }
  });

  test.each([
    ['Ec2WebServerLab', ['VpcId', 'PublicSubnet1Id']],
    ['Ec2AsgAlbLab', ['VpcId', 'PublicSubnet1Id', 'PublicSubnet2Id']],
    ['FargateServiceLab', ['VpcId', 'ServiceLinkedRole-ecs']],
    ['BeanstalkAppLab', ['VpcId']],
    ['EcsEventTasksLab', ['ServiceLinkedRole-ecs', 'PublicSubnet1Id']],
    ['SqsWorkersLab', ['ServiceLinkedRole-ecs', 'PublicSubnet2Id']],
    ['LambdaUsersLab', ['ApiGatewayAccount']],
  ])('%s imports %j', (lab, names) => {
    const imported = importsOf(student.templates[`alice-${lab}`]);
    for (const name of names) expect(imported).toContain(`${CLASSROOM_SETUP_STACK}-${name}`);
  });

  test('S3UploadsLab needs nothing of ClassroomSetup and imports nothing', () => {
    expect(importsOf(student.templates['alice-S3UploadsLab'])).toEqual([]);
  });

  test('the same labs without a student import nothing and make their own network', () => {
    for (const lab of LAB_NAMES) expect(importsOf(setupApp.templates[lab])).toEqual([]);
    expect(JSON.stringify(setupApp.templates.Ec2WebServerLab)).toContain('"AWS::EC2::VPC"');
  });

  test('LambdaUsersLab refuses createApiGatewayLoggingRole=true in classroom mode, and takes false', () => {
    const labs: LabName[] = ['LambdaUsersLab'];
    expect(() => synthApp({ student: 'alice', createApiGatewayLoggingRole: 'true' }, { labs }))
      .toThrow(/createApiGatewayLoggingRole cannot be true in classroom mode \(student alice\)/);
    const explicitFalse = synthApp({ student: 'alice', createApiGatewayLoggingRole: 'false' }, { labs });
    expect(explicitFalse.error).toBeUndefined();
    expect(JSON.stringify(explicitFalse.templates['alice-LambdaUsersLab'])).not.toContain('AWS::ApiGateway::Account');
  });

  test('a lab that asks for NAT gateways cannot have them on the class\'s network', () => {
    const stack = new ClassroomSetup(constructTestApp({ student: 'alice' }), 'Scratch');
    expect(() => new LabVpc(stack, 'Private', { natGateways: 1, natGatewayReason: 'a test' }))
      .toThrow(/classroom mode \(student alice\).*natGateways must be 0, got 1/);
  });
});

describe('the time-to-live (-c ttl=...) in the app', () => {
  const now = new Date('2026-11-28T10:15:30Z');

  test('every lab stack gets the same deadline, in its Deadline output, and one schedule', () => {
    const result = synthApp({ student: 'alice', ttl: '90m' }, { now });
    expect(result.error).toBeUndefined();
    for (const lab of LAB_NAMES) {
      const template = Template.fromJSON(result.templates[`alice-${lab}`]);
      template.hasOutput(DEADLINE_OUTPUT, { Value: '2026-11-28T11:46:00Z' });
      template.resourceCountIs('AWS::Scheduler::Schedule', countOf(lab));
      template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'at(2026-11-28T11:46:00)' });
    }
  });

  test('without a ttl no lab has a deadline', () => {
    for (const lab of LAB_NAMES) expect(setupApp.templates[lab].Outputs?.[DEADLINE_OUTPUT]).toBeUndefined();
  });

  test.each([['14m'], ['8d']])('rejects ttl=%s: out of range', (ttl) => {
    expect(() => synthApp({ ttl }, { now })).toThrow(/from 15 minutes to 7 days/);
  });

  test.each([['1.5h'], ['90']])('rejects ttl=%s with the rule', (ttl) => {
    expect(() => synthApp({ ttl }, { now })).toThrow(TIME_TO_LIVE_RULE);
  });

  test.each([['15m', '2026-11-28T10:31:00Z'], ['7d', '2026-12-05T10:16:00Z']])('accepts ttl=%s', (ttl, deadline) => {
    const result = synthApp({ ttl }, { now, labs: ['LambdaUsersLab'] });
    expect(result.error).toBeUndefined();
    expect(result.templates.LambdaUsersLab.Outputs[DEADLINE_OUTPUT].Value).toBe(deadline);
  });
});

/** The schedules a lab has with a time-to-live: its own, and EcsEventTasksLab's sweep. */
function countOf(lab: string): number {
  return lab === 'EcsEventTasksLab' ? 2 : 1;
}
