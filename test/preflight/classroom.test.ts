import {
  CloudFormationClient, DescribeStacksCommand, ListExportsCommand, Stack,
} from '@aws-sdk/client-cloudformation';
import {
  DescribeAddressesCommand, DescribeInstancesCommand, DescribeInstanceTypesCommand, DescribeVpcsCommand, EC2Client,
} from '@aws-sdk/client-ec2';
import { ElasticBeanstalkClient, ListPlatformVersionsCommand } from '@aws-sdk/client-elastic-beanstalk';
import {
  DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetRoleCommand, IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { GetServiceQuotaCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { awsClients } from '../../lib/aws/clients';
import { STUDENT_POLICY, studentActions } from '../../lib/classroom/student-policy';
import { PreflightTemplate } from '../../lib/preflight/lab-needs';
import { principalOf } from '../../lib/preflight/permissions';
import { runPreflight } from '../../lib/preflight/run-preflight';
import { joinRegExp } from '../helpers/join-regexp';
import { synthLabs, templateOf } from '../helpers/synth';
import { bootstrapParts, fargateTemplate, fleetTemplate } from './templates';

// npm run preflight in classroom mode (--student, --students) against mocked AWS answers: there is no AWS account here.
const sts = mockClient(STSClient);
const ssm = mockClient(SSMClient);
const iam = mockClient(IAMClient);
const ec2 = mockClient(EC2Client);
const elbv2 = mockClient(ElasticLoadBalancingV2Client);
const serviceQuotas = mockClient(ServiceQuotasClient);
const elasticBeanstalk = mockClient(ElasticBeanstalkClient);
const cloudFormation = mockClient(CloudFormationClient);

const ACCOUNT = '123456789012';
const SETUP_ID = `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/ClassroomSetup/1`;
const awsError = (name: string, message = name) => Object.assign(new Error(message), { name });
const notFound = () => awsError('ValidationError', 'Stack with id X does not exist');

// Each lab as a student's copy, synthesized once: the class's network imported from ClassroomSetup.
const classroom = synthLabs(['BeanstalkAppLab', 'Ec2AsgAlbLab', 'LambdaUsersLab'], { context: { student: 'alice' } });
const copyOf = (lab: string): PreflightTemplate => templateOf(classroom, `alice-${lab}`);
const importsOf = (template: PreflightTemplate) => [...new Set(JSON.stringify(template)
  .match(/"Fn::ImportValue":"[^"]+"/g)!.map((text) => text.split('"')[3]))];

const EVERY_IMPORT = ['BeanstalkAppLab', 'Ec2AsgAlbLab', 'LambdaUsersLab'].flatMap((lab) => importsOf(copyOf(lab)));

interface Quotas {
  readonly vpc?: number;
  readonly eip?: number;
  readonly alb?: number;
  readonly lambda?: number;
  readonly ec2?: number;
  readonly fargate?: number;
}

/**
 * A bootstrapped account in us-east-1 with every service, role and default quota, its default VPC and nothing else,
 * ClassroomSetup deployed and exporting what the labs import, and the caller an IAM user with every permission.
 */
function readyClass({ quotas = {}, exports = EVERY_IMPORT }: { quotas?: Quotas; exports?: string[] } = {}) {
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/alice` });
  ssm.on(GetParameterCommand).callsFake(({ Name }) => ({
    Parameter: { Name, Value: Name.endsWith('/version') ? '30' : Name.split('/').pop() },
  }));
  iam.on(GetRoleCommand).callsFake(({ RoleName }) => ({
    Role: { RoleName, Arn: `arn:aws:iam::${ACCOUNT}:role/${RoleName}`, Path: '/', RoleId: 'R', CreateDate: new Date() },
  }));
  iam.on(SimulatePrincipalPolicyCommand).callsFake(({ ActionNames }) => ({
    EvaluationResults: ActionNames.map((action: string) => ({ EvalActionName: action, EvalDecision: 'allowed' })),
  }));
  ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
  ec2.on(DescribeInstanceTypesCommand).callsFake(({ InstanceTypes }) => ({
    InstanceTypes: InstanceTypes.map((type: string) => ({ InstanceType: type, VCpuInfo: { DefaultVCpus: 2 } })),
  }));
  ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-default' }] });
  ec2.on(DescribeAddressesCommand).resolves({ Addresses: [] });
  elbv2.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [] });
  const quota = (ServiceCode: string, QuotaCode: string, value: number) => serviceQuotas
    .on(GetServiceQuotaCommand, { ServiceCode, QuotaCode }).resolves({ Quota: { Value: value } });
  quota('vpc', 'L-F678F1CE', quotas.vpc ?? 5);
  quota('ec2', 'L-0263D0A3', quotas.eip ?? 5);
  quota('elasticloadbalancing', 'L-53DA6B97', quotas.alb ?? 50);
  quota('lambda', 'L-B99A9384', quotas.lambda ?? 1000);
  quota('ec2', 'L-1216C47A', quotas.ec2 ?? 32);
  quota('fargate', 'L-3032A538', quotas.fargate ?? 6);
  elasticBeanstalk.on(ListPlatformVersionsCommand).resolves({ PlatformSummaryList: [{ PlatformArn: 'a/b/c' }] });
  cloudFormation.on(DescribeStacksCommand).rejects(notFound());
  deployed('ClassroomSetup', 'UPDATE_COMPLETE');
  cloudFormation.on(ListExportsCommand).resolves({
    Exports: exports.map((Name) => ({ Name, Value: 'x', ExportingStackId: SETUP_ID })),
  });
}

function deployed(stackName: string, status: string, more: Partial<Stack> = {}) {
  cloudFormation.on(DescribeStacksCommand, { StackName: stackName }).resolves({ Stacks: [{
    StackName: stackName,
    StackId: stackName === 'ClassroomSetup' ? SETUP_ID : `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/x/2`,
    StackStatus: status as Stack['StackStatus'],
    CreationTime: new Date(),
    ...more,
  }] });
}

beforeEach(() => [sts, ssm, iam, ec2, elbv2, serviceQuotas, elasticBeanstalk, cloudFormation]
  .forEach((mock) => mock.reset()));

async function preflight(
  lab: string, template: PreflightTemplate, options: { student?: string; students?: number },
): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runPreflight({
    lab,
    ...options,
    template: () => template,
    aws: awsClients({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
    print: (printed) => lines.push(printed),
  });
  return { code, lines };
}

const lineOf = (lines: string[], name: string) => lines.find((printed) => printed.includes(`  ${name}: `));

describe('a student\'s copy, --student (mocked AWS)', () => {
  test('checks alice\'s stack, ClassroomSetup and alice\'s permissions, and ends with her deploy command', async () => {
    readyClass();
    const { code, lines } = await preflight('LambdaUsersLab', copyOf('LambdaUsersLab'), { student: 'alice' });
    expect(lines[0])
      .toBe(`Preflight for alice-LambdaUsersLab in account ${ACCOUNT}, region us-east-1 (read-only calls)`);
    expect(lineOf(lines, 'ClassroomSetup stack'))
      .toBe('PASS  ClassroomSetup stack: UPDATE_COMPLETE, exporting the 1 value(s) the lab imports');
    expect(lineOf(lines, 'your permissions for the class')).toBe(`PASS  your permissions for the class: `
      + `arn:aws:iam::${ACCOUNT}:user/alice may call all ${studentActions().length} actions of the students' policy, `
      + 'on its resources (simulated)');
    // Classroom mode leaves API Gateway's account setting to ClassroomSetup: nothing to say about it.
    expect(lineOf(lines, 'API Gateway CloudWatch role (account setting)')).toBeUndefined();
    expect(lines.at(-1)).toBe('Nothing blocks `npx cdk deploy LambdaUsersLab -c student=alice`.');
    expect(code).toBe(0);
  });

  test('fails, saying what the instructor must do, when ClassroomSetup is not deployed', async () => {
    readyClass();
    cloudFormation.on(DescribeStacksCommand, { StackName: 'ClassroomSetup' }).rejects(notFound());
    const { code, lines } = await preflight('BeanstalkAppLab', copyOf('BeanstalkAppLab'), { student: 'alice' });
    expect(lineOf(lines, 'ClassroomSetup stack')).toBe('FAIL  ClassroomSetup stack: not deployed in this account '
      + 'and region: the instructor deploys it once, before the class, with `npx cdk deploy ClassroomSetup` '
      + '(no -c student); each student\'s stack imports the class\'s network and account-wide settings from it, and '
      + 'cannot deploy without it');
    expect(lines.at(-1)).toBe('1 check(s) failed: fix them before `npx cdk deploy BeanstalkAppLab -c student=alice`.');
    expect(code).toBe(1);
  });

  test('fails while ClassroomSetup is still deploying, and after its creation failed', async () => {
    readyClass();
    deployed('ClassroomSetup', 'CREATE_IN_PROGRESS');
    const deploying = await preflight('BeanstalkAppLab', copyOf('BeanstalkAppLab'), { student: 'alice' });
    expect(lineOf(deploying.lines, 'ClassroomSetup stack')).toBe('FAIL  ClassroomSetup stack: CREATE_IN_PROGRESS: '
      + 'wait until the instructor\'s `npx cdk deploy ClassroomSetup` has finished');
    deployed('ClassroomSetup', 'ROLLBACK_COMPLETE');
    const failed = await preflight('BeanstalkAppLab', copyOf('BeanstalkAppLab'), { student: 'alice' });
    expect(lineOf(failed.lines, 'ClassroomSetup stack'))
      .toMatch(/^FAIL {2}ClassroomSetup stack: ROLLBACK_COMPLETE: it did not deploy; the instructor reads why /);
    expect(lineOf(failed.lines, 'ClassroomSetup stack'))
      .toContain('`aws cloudformation describe-stack-events --stack-name ClassroomSetup`');
    expect([deploying.code, failed.code]).toEqual([1, 1]);
  });

  test('passes a ClassroomSetup created or updated, and warns when its last update rolled back', async () => {
    readyClass();
    deployed('ClassroomSetup', 'CREATE_COMPLETE');
    expect(lineOf((await preflight('BeanstalkAppLab', copyOf('BeanstalkAppLab'), { student: 'alice' })).lines,
      'ClassroomSetup stack')).toMatch(/^PASS {2}ClassroomSetup stack: CREATE_COMPLETE, exporting the 3 value/);
    deployed('ClassroomSetup', 'UPDATE_ROLLBACK_COMPLETE');
    const rolledBack = await preflight('BeanstalkAppLab', copyOf('BeanstalkAppLab'), { student: 'alice' });
    expect(lineOf(rolledBack.lines, 'ClassroomSetup stack')).toMatch(
      /^WARN {2}ClassroomSetup stack: UPDATE_ROLLBACK_COMPLETE: its last update failed and was rolled back/,
    );
    expect(rolledBack.code).toBe(0);
  });

  test('fails when ClassroomSetup lacks an export the lab imports, naming it; another stack\'s export of that name '
    + 'does not count', async () => {
    const wanted = importsOf(copyOf('BeanstalkAppLab'));
    readyClass({ exports: wanted.filter((name) => name !== 'ClassroomSetup-VpcId') });
    cloudFormation.on(ListExportsCommand).resolvesOnce({
      Exports: [{ Name: 'ClassroomSetup-VpcId', Value: 'vpc-1', ExportingStackId: 'arn:other' }],
      NextToken: 'page-2',
    }).resolves({ Exports: wanted.filter((name) => name !== 'ClassroomSetup-VpcId')
      .map((Name) => ({ Name, Value: 'x', ExportingStackId: SETUP_ID })) });
    const { code, lines } = await preflight('BeanstalkAppLab', copyOf('BeanstalkAppLab'), { student: 'alice' });
    expect(lineOf(lines, 'ClassroomSetup stack')).toBe('FAIL  ClassroomSetup stack: UPDATE_COMPLETE, but it does not '
      + 'export ClassroomSetup-VpcId, which the lab imports: it was deployed from an older version of this repository; '
      + 'the instructor deploys it again (`npx cdk deploy ClassroomSetup`)');
    expect(cloudFormation.commandCalls(ListExportsCommand)).toHaveLength(2);
    expect(code).toBe(1);
  });

  test('checks neither ClassroomSetup nor permissions outside classroom mode', async () => {
    readyClass();
    const { lines } = await preflight('Ec2AsgAlbLab', fleetTemplate(), {});
    expect(lineOf(lines, 'ClassroomSetup stack')).toBeUndefined();
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)).toHaveLength(0);
    expect(lines.at(-1)).toBe('Nothing blocks `npx cdk deploy Ec2AsgAlbLab`.');
  });
});

describe('the caller\'s permissions, --student (mocked AWS)', () => {
  const simulated = () => iam.commandCalls(SimulatePrincipalPolicyCommand).map((call) => call.args[0].input);

  test('simulates each statement of the students\' policy with its resources and conditions, resolved for the '
    + 'account and region', async () => {
    readyClass();
    await preflight('LambdaUsersLab', copyOf('LambdaUsersLab'), { student: 'alice' });
    expect(simulated().map((input) => input.ActionNames)).toEqual(STUDENT_POLICY.map((statement) => statement.actions));
    const queues = simulated().find((input) => input.ActionNames!.includes('sqs:SendMessage'))!;
    expect(queues).toEqual({
      PolicySourceArn: `arn:aws:iam::${ACCOUNT}:user/alice`,
      ActionNames: ['sqs:SendMessage'],
      ResourceArns: [`arn:aws:sqs:us-east-1:${ACCOUNT}:*`],
      ContextEntries: [{
        ContextKeyName: 'aws:ResourceTag/project', ContextKeyValues: ['aws-compute-labs'], ContextKeyType: 'string',
      }],
    });
    expect(simulated().find((input) => input.ActionNames!.includes('sts:AssumeRole'))!.ResourceArns![0])
      .toBe(`arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-deploy-role-${ACCOUNT}-us-east-1`);
  });

  test('warns naming the actions denied, by statement, and still exits 0', async () => {
    readyClass();
    iam.on(SimulatePrincipalPolicyCommand).callsFake(({ ActionNames }) => ({
      EvaluationResults: ActionNames.map((action: string) => ({
        EvalActionName: action,
        EvalDecision: ['ecs:RunTask', 'iam:PassRole', 'ec2:DescribeVpcs'].includes(action) ? 'implicitDeny' : 'allowed',
      })),
    }));
    const { code, lines } = await preflight('LambdaUsersLab', copyOf('LambdaUsersLab'), { student: 'alice' });
    expect(lineOf(lines, 'your permissions for the class')).toBe(`WARN  your permissions for the class: `
      + `arn:aws:iam::${ACCOUNT}:user/alice may not call ReadWithoutResourceScope: ec2:DescribeVpcs; VerifyLabTasks: `
      + 'ecs:RunTask; PassLabTaskRoles: iam:PassRole (simulated with the students\' policy\'s resources and '
      + 'conditions). What needs them (deploy, verify, leftovers, preflight) will fail there: ask the instructor for '
      + 'the students\' policy that ClassroomSetup creates');
    expect(code).toBe(0);
  });

  test('counts an action denied on one of its resources as denied', async () => {
    readyClass();
    iam.on(SimulatePrincipalPolicyCommand).callsFake(({ ActionNames, ResourceArns }) => ({
      EvaluationResults: ActionNames.map((action: string) => ({
        EvalActionName: action,
        EvalDecision: 'allowed',
        ResourceSpecificResults: ResourceArns.map((arn: string) => ({
          EvalResourceName: arn, EvalResourceDecision: arn.includes('lookup-role') ? 'explicitDeny' : 'allowed',
        })),
      })),
    }));
    const { lines } = await preflight('LambdaUsersLab', copyOf('LambdaUsersLab'), { student: 'alice' });
    expect(lineOf(lines, 'your permissions for the class'))
      .toContain('may not call CdkBootstrapRoles: sts:AssumeRole (');
  });

  test('warns that it could not check when the caller may not simulate, and runs the other checks', async () => {
    readyClass();
    iam.on(SimulatePrincipalPolicyCommand).rejects(awsError('AccessDenied', `User: arn:aws:iam::${ACCOUNT}:user/alice `
      + 'is not authorized to perform: iam:SimulatePrincipalPolicy on resource: user alice'));
    const { code, lines } = await preflight('LambdaUsersLab', copyOf('LambdaUsersLab'), { student: 'alice' });
    expect(lineOf(lines, 'your permissions for the class')).toBe('WARN  your permissions for the class: not checked: '
      + 'your AWS identity may not call iam:SimulatePrincipalPolicy (AccessDenied). Ask for that read-only permission, '
      + 'or check it yourself before deploying');
    expect(lineOf(lines, 'CDK bootstrap')).toMatch(/^PASS/);
    expect(code).toBe(0);
  });

  test('simulates an assumed role\'s session as its role, looking up the role\'s path when IAM asks for it',
    async () => {
      readyClass();
      const name = 'AWSReservedSSO_Student_0123abcd';
      const session = `arn:aws:sts::${ACCOUNT}:assumed-role/${name}/alice@example.com`;
      const role = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/${name}`;
      sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: session });
      iam.on(SimulatePrincipalPolicyCommand, { PolicySourceArn: `arn:aws:iam::${ACCOUNT}:role/${name}` })
        .rejects(awsError('NoSuchEntityException', `The role with name ${name} cannot be found.`));
      iam.on(GetRoleCommand, { RoleName: name })
        .resolves({ Role: { RoleName: name, Arn: role, Path: '/', RoleId: 'R', CreateDate: new Date() } });
      const { lines } = await preflight('LambdaUsersLab', copyOf('LambdaUsersLab'), { student: 'alice' });
      expect(lineOf(lines, 'your permissions for the class')).toMatch(new RegExp(`^PASS {2}[^:]+: ${role} may call`));
      expect(new Set(simulated().map((input) => input.PolicySourceArn)))
        .toEqual(new Set([`arn:aws:iam::${ACCOUNT}:role/${name}`, role]));
      expect(iam.commandCalls(GetRoleCommand, { RoleName: name })).toHaveLength(1);
    });

  test('does not simulate for the root user or a federated user, and says why', async () => {
    readyClass();
    sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root` });
    const root = await preflight('LambdaUsersLab', copyOf('LambdaUsersLab'), { student: 'alice' });
    expect(lineOf(root.lines, 'your permissions for the class'))
      .toMatch(/^WARN .*not checked: you are signed in as the account's root user/);
    sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:federated-user/bob` });
    const federated = await preflight('LambdaUsersLab', copyOf('LambdaUsersLab'), { student: 'alice' });
    expect(lineOf(federated.lines, 'your permissions for the class')).toMatch(/^WARN .*not checked: IAM cannot /);
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)).toHaveLength(0);
  });
});

describe('principalOf', () => {
  test('takes an IAM user as it is, with its path', () => {
    expect(principalOf('arn:aws:iam::1:user/class/alice'))
      .toEqual({ kind: 'user', arn: 'arn:aws:iam::1:user/class/alice' });
  });

  test('turns an assumed-role session into its role, in its partition', () => {
    expect(principalOf('arn:aws-cn:sts::1:assumed-role/Student/alice'))
      .toEqual({ kind: 'role', arn: 'arn:aws-cn:iam::1:role/Student', roleName: 'Student' });
  });

  test('has no policy to simulate for the root user, a federated user or anything else', () => {
    expect(principalOf('arn:aws:iam::1:root').kind).toBe('root');
    expect(principalOf('arn:aws:sts::1:federated-user/bob').kind).toBe('other');
    expect(principalOf('arn:aws:sts::1:assumed-role/OnlyRole').kind).toBe('other');
  });
});

describe('a class\'s quotas, --students (mocked AWS)', () => {
  const classLine = (lines: string[], students: number, quota: string) =>
    lineOf(lines, `class of ${students}: ${quota}`);

  test('counts no VPC per student on the class\'s network, and fails the Elastic IPs that 30 single-instance '
    + 'Beanstalk environments hold in a quota of 5, with the increase to request', async () => {
    readyClass();
    const { code, lines } = await preflight('BeanstalkAppLab', copyOf('BeanstalkAppLab'), { students: 30 });
    expect(lines[0]).toBe(`Preflight for BeanstalkAppLab in classroom mode, for a class of 30, in account ${ACCOUNT}, `
      + 'region us-east-1 (read-only calls)');
    expect(classLine(lines, 30, 'VPCs per Region (L-F678F1CE)')).toBe('PASS  class of 30: VPCs per Region '
      + '(L-F678F1CE): needs 1 = 1 in use + 0 per student x 30 (the class shares ClassroomSetup\'s network); '
      + 'the quota is 5 in us-east-1');
    const environment = Object.keys(copyOf('BeanstalkAppLab').Resources!)
      .find((id) => copyOf('BeanstalkAppLab').Resources![id].Type === 'AWS::ElasticBeanstalk::Environment');
    expect(classLine(lines, 30, 'EC2-VPC Elastic IPs (L-0263D0A3)')).toBe('FAIL  class of 30: EC2-VPC Elastic IPs '
      + `(L-0263D0A3): needs 30 = 0 in use + 1 per student x 30 (${environment} (single instance)); the quota is 5 in `
      + 'us-east-1: short by 25; request an increase to at least 30 before class (Service Quotas console: Amazon '
      + 'Elastic Compute Cloud (Amazon EC2), "EC2-VPC Elastic IPs")');
    expect(classLine(lines, 30, 'EC2 On-Demand Standard vCPUs (L-1216C47A)')).toMatch(joinRegExp(
      /^FAIL .*needs 60 = 0 in use \+ 2 per student x 30 \(1 x t3\.micro at its maximum\); the quota is 32 .*/,
      /request an increase to at least 60 before class \(Service Quotas console: Amazon Elastic Compute Cloud /,
      /\(Amazon EC2\), "Running On-Demand Standard \(A, C, D, H, I, M, R, T, Z\) instances"\)$/,
    ));
    expect(lines.at(-1)).toBe('2 check(s) failed: fix them before `npx cdk deploy BeanstalkAppLab -c student=<name>`.');
    expect(code).toBe(1);
  });

  test('passes a quota that the class reaches exactly, and fails it one short (the load balancers of 5 copies of '
    + 'the Auto Scaling lab)', async () => {
    readyClass({ quotas: { alb: 5 } });
    const exactly = await preflight('Ec2AsgAlbLab', copyOf('Ec2AsgAlbLab'), { students: 5 });
    expect(classLine(exactly.lines, 5, 'Application Load Balancers per Region (L-53DA6B97)'))
      .toMatch(/^PASS .*: needs 5 = 0 in use \+ 1 per student x 5 \(WebServersLoadBalancer\w+\); the quota is 5 in/);
    elbv2.reset(); // resolvesOnce counts the calls before it too
    elbv2.on(DescribeLoadBalancersCommand).resolvesOnce({
      LoadBalancers: [{ LoadBalancerName: 'a', Type: 'application' }, { LoadBalancerName: 'n', Type: 'network' }],
      NextMarker: 'page-2',
    }).resolves({ LoadBalancers: [{ LoadBalancerName: 'g', Type: 'gateway' }] });
    const short = await preflight('Ec2AsgAlbLab', copyOf('Ec2AsgAlbLab'), { students: 5 });
    expect(classLine(short.lines, 5, 'Application Load Balancers per Region (L-53DA6B97)')).toMatch(
      /^FAIL .*: needs 6 = 1 in use \+ 1 per student x 5 .*: short by 1; request an increase to at least 6 before /,
    );
    expect(short.code).toBe(1);
  });

  test('counts ClassroomSetup\'s own VPC while it is not deployed, as something still to do', async () => {
    readyClass();
    cloudFormation.on(DescribeStacksCommand, { StackName: 'ClassroomSetup' }).rejects(notFound());
    ec2.on(DescribeVpcsCommand).resolvesOnce({ Vpcs: [{ VpcId: 'a' }, { VpcId: 'b' }], NextToken: 'page-2' })
      .resolves({ Vpcs: [{ VpcId: 'c' }, { VpcId: 'd' }] });
    const { code, lines } = await preflight('LambdaUsersLab', copyOf('LambdaUsersLab'), { students: 30 });
    expect(lineOf(lines, 'ClassroomSetup stack')).toMatch(/^WARN {2}ClassroomSetup stack: not deployed/);
    expect(classLine(lines, 30, 'VPCs per Region (L-F678F1CE)')).toMatch(
      /^PASS .*: needs 5 = 4 in use \+ 1 for ClassroomSetup's network, not deployed yet \+ 0 per student x 30 /,
    );
    expect(code).toBe(0);
  });

  test('counts a VPC per copy for a template with a network of its own', async () => {
    readyClass();
    const { lines } = await preflight('Ec2AsgAlbLab', { ...bootstrapParts(), Resources: {
      Network: { Type: 'AWS::EC2::VPC', Properties: {} },
    } }, { students: 5 });
    expect(classLine(lines, 5, 'VPCs per Region (L-F678F1CE)'))
      .toMatch(/^FAIL .*: needs 6 = 1 in use \+ 1 per student x 5 \(Network\); the quota is 5 .*at least 6 before /);
  });

  test('counts the Fargate vCPUs of every copy\'s tasks, passing the quota exactly and failing it one short',
    async () => {
      readyClass({ quotas: { fargate: 3 } });
      const exactly = await preflight('FargateServiceLab', fargateTemplate(), { students: 3 });
      expect(classLine(exactly.lines, 3, 'Fargate On-Demand vCPUs (L-3032A538)')).toBe('PASS  class of 3: Fargate '
        + 'On-Demand vCPUs (L-3032A538): needs 3 = 0 in use (tasks already running not counted) + 1 per student x 3 '
        + '(2 task(s) x 0.5 vCPU); the quota is 3 in us-east-1');
      const short = await preflight('FargateServiceLab', fargateTemplate(), { students: 4 });
      expect(classLine(short.lines, 4, 'Fargate On-Demand vCPUs (L-3032A538)')).toMatch(
        /: short by 1; request an increase to at least 4 before class \(Service Quotas console: AWS Fargate, "Fargate /,
      );
      expect(short.code).toBe(1);
    });

  describe('Lambda concurrency', () => {
    const reserving = (reserved: number): PreflightTemplate => ({
      ...bootstrapParts(),
      Resources: {
        Fn: {
          Type: 'AWS::Lambda::Function',
          Properties: { Runtime: 'nodejs24.x', ReservedConcurrentExecutions: reserved },
        },
        Other: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs24.x' } },
      },
    });
    const concurrency = (lines: string[], students: number) => classLine(lines, students,
      'Concurrent executions (L-B99A9384)');

    test('passes reserved concurrency for every copy plus the 100 Lambda keeps unreserved, exactly', async () => {
      readyClass({ quotas: { lambda: 150 } });
      const { lines } = await preflight('LambdaUsersLab', reserving(5), { students: 10 });
      expect(concurrency(lines, 10)).toBe('PASS  class of 10: Concurrent executions (L-B99A9384): needs 150 = 5 '
        + 'reserved per student x 10 (5 x Fn) + 100 that Lambda keeps unreserved; the quota is 150 in us-east-1');
    });

    test('fails reserved concurrency one short', async () => {
      readyClass({ quotas: { lambda: 149 } });
      const { code, lines } = await preflight('LambdaUsersLab', reserving(5), { students: 10 });
      expect(concurrency(lines, 10)).toMatch(joinRegExp(
        /^FAIL .*the quota is 149 in us-east-1: short by 1; request an increase to at least 150 before class /,
        /\(Service Quotas console: AWS Lambda, "Concurrent executions"\)$/,
      ));
      expect(code).toBe(1);
    });

    test('warns when functions that reserve none share fewer executions than there are students, as in a new '
      + 'account', async () => {
      readyClass({ quotas: { lambda: 10 } });
      const few = await preflight('LambdaUsersLab', copyOf('LambdaUsersLab'), { students: 11 });
      expect(concurrency(few.lines, 11)).toBe('WARN  class of 11: Concurrent executions (L-B99A9384): the lab\'s 1 '
        + 'function(s) reserve none: 11 students\' copies share the account\'s 10 concurrent executions in us-east-1, '
        + 'fewer than one per student at a time (a new account can have 10), so calls are throttled when the class '
        + 'works at once; request an increase to at least 11 before class (Service Quotas console: AWS Lambda, '
        + '"Concurrent executions")');
      expect(few.code).toBe(0);
      const enough = await preflight('LambdaUsersLab', copyOf('LambdaUsersLab'), { students: 10 });
      expect(concurrency(enough.lines, 10))
        .toMatch(/^PASS .*share the account's 10 concurrent executions in us-east-1$/);
    });
  });

  test('checks the student\'s copy and the class together, and prints the class\'s idle cost', async () => {
    readyClass();
    const { lines } = await preflight('LambdaUsersLab', copyOf('LambdaUsersLab'), { student: 'alice', students: 2 });
    expect(lines[0]).toBe(`Preflight for alice-LambdaUsersLab, for a class of 2, in account ${ACCOUNT}, `
      + 'region us-east-1 (read-only calls)');
    expect(lineOf(lines, 'your permissions for the class')).toMatch(/^PASS/);
    expect(lineOf(lines, 'idle cost')).toMatch(
      /^INFO {2}idle cost: \$\d+\.\d{4}\/h, .* while deployed, \$\d+\.\d{4}\/h, .* for 2 students' copies, /,
    );
    const [, one, two] = /idle cost: \$(\d+\.\d{4})\/h, .* \$(\d+\.\d{4})\/h, /.exec(lineOf(lines, 'idle cost')!)!;
    expect(Number(two)).toBeCloseTo(2 * Number(one), 4);
  });

  test('warns per quota that it could not read, and checks the others', async () => {
    readyClass();
    ec2.on(DescribeAddressesCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized.'));
    const { lines } = await preflight('BeanstalkAppLab', copyOf('BeanstalkAppLab'), { students: 3 });
    expect(classLine(lines, 3, 'EC2-VPC Elastic IPs (L-0263D0A3)')).toBe('WARN  class of 3: EC2-VPC Elastic IPs '
      + '(L-0263D0A3): not checked: your AWS identity may not call servicequotas:GetServiceQuota, '
      + 'ec2:DescribeAddresses (UnauthorizedOperation). Ask for that read-only permission, or check it yourself '
      + 'before deploying');
    expect(classLine(lines, 3, 'VPCs per Region (L-F678F1CE)')).toMatch(/^PASS/);
  });
});

describe('a deployed stack\'s time-to-live (mocked AWS)', () => {
  const deadline = { OutputKey: 'Deadline', OutputValue: '2026-11-28T07:30:00Z' };

  test('passes a stack that deletes itself with its CloudFormation service role', async () => {
    readyClass();
    const role = `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-us-east-1`;
    deployed('alice-LambdaUsersLab', 'UPDATE_COMPLETE', { Outputs: [deadline], RoleARN: role });
    const { lines } = await preflight('LambdaUsersLab', copyOf('LambdaUsersLab'), { student: 'alice' });
    expect(lineOf(lines, 'time-to-live')).toBe('PASS  time-to-live: alice-LambdaUsersLab deletes itself at '
      + `2026-11-28T07:30:00Z (UTC) with its CloudFormation service role ${role}`);
  });

  test('warns that a stack without a service role would fail to delete itself, and how to fix it', async () => {
    readyClass();
    deployed('alice-LambdaUsersLab', 'UPDATE_COMPLETE', { Outputs: [deadline] });
    const { code, lines } = await preflight('LambdaUsersLab', copyOf('LambdaUsersLab'), { student: 'alice' });
    expect(lineOf(lines, 'time-to-live')).toBe('WARN  time-to-live: alice-LambdaUsersLab is to delete itself at '
      + '2026-11-28T07:30:00Z (UTC), but it has no CloudFormation service role: the deletion would run with the '
      + 'schedule role\'s rights alone, which delete nothing, and the stack would end DELETE_FAILED and keep costing. '
      + 'It was deployed without the CDK bootstrap roles; deploy it again through them (`npx cdk deploy '
      + 'LambdaUsersLab -c student=alice` with the default bootstrap), or destroy it yourself before the deadline');
    expect(code).toBe(0);
  });

  test('says nothing of a stack without a deadline, or not deployed', async () => {
    readyClass();
    deployed('LambdaUsersLab', 'UPDATE_COMPLETE', { Outputs: [{ OutputKey: 'UsersUrl', OutputValue: 'https://x' }] });
    expect(lineOf((await preflight('LambdaUsersLab', copyOf('LambdaUsersLab'), {})).lines, 'time-to-live'))
      .toBeUndefined();
    expect(lineOf((await preflight('LambdaUsersLab', copyOf('LambdaUsersLab'), { student: 'bob' })).lines,
      'time-to-live')).toBeUndefined();
  });

  test('looks at the lab\'s own stack outside classroom mode, and at no stack for a class count alone', async () => {
    readyClass();
    deployed('LambdaUsersLab', 'UPDATE_COMPLETE', { Outputs: [deadline] });
    expect(lineOf((await preflight('LambdaUsersLab', copyOf('LambdaUsersLab'), {})).lines, 'time-to-live'))
      .toMatch(/^WARN {2}time-to-live: LambdaUsersLab is to delete itself/);
    cloudFormation.resetHistory();
    await preflight('LambdaUsersLab', copyOf('LambdaUsersLab'), { students: 3 });
    expect(cloudFormation.commandCalls(DescribeStacksCommand).map((call) => call.args[0].input.StackName))
      .toEqual(['ClassroomSetup']);
  });
});
