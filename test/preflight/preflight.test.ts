import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeInstancesCommand, DescribeInstanceTypesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeEnvironmentsCommand,
  DescribePlatformVersionCommand,
  ElasticBeanstalkClient,
  ListPlatformVersionsCommand,
} from '@aws-sdk/client-elastic-beanstalk';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  GetAWSDefaultServiceQuotaCommand,
  GetServiceQuotaCommand,
  ServiceQuotasClient,
} from '@aws-sdk/client-service-quotas';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { awsClients } from '../../lib/aws/clients';
import { CannotRunError } from '../../lib/cli';
import { costDrivers } from '../../lib/cost/drivers';
import { PRICES_AS_OF } from '../../lib/cost/prices';
import { costSummary, labCost } from '../../lib/cost/report';
import { PreflightTemplate } from '../../lib/preflight/lab-needs';
import { runPreflight } from '../../lib/preflight/run-preflight';
import {
  beanstalkTemplate, fargateTemplate, fleetTemplate, taskStartsTemplate, usersApiTemplate,
} from './templates';
import { joinRegExp } from '../helpers/join-regexp';
import { synthLabs, templateOf } from '../helpers/synth';

// npm run preflight's checks against mocked AWS answers: there is no AWS account here.
const sts = mockClient(STSClient);
const ssm = mockClient(SSMClient);
const iam = mockClient(IAMClient);
const ec2 = mockClient(EC2Client);
const serviceQuotas = mockClient(ServiceQuotasClient);
const elasticBeanstalk = mockClient(ElasticBeanstalkClient);
const cloudFormation = mockClient(CloudFormationClient);

const ACCOUNT = '123456789012';
const awsError = (name: string, message = name) => Object.assign(new Error(message), { name });
const denied = (action: string) => awsError(
  'AccessDeniedException',
  `User: arn:aws:iam::${ACCOUNT}:user/student is not authorized to perform: ${action} `
    + 'because no identity-based policy allows it',
);
const BRANCH = 'Node.js 22 running on 64bit Amazon Linux 2023';
const PLATFORM = (version: string) => 'arn:aws:elasticbeanstalk:us-east-1::platform/'
  + `Node.js 22 running on 64bit Amazon Linux 2023/${version}`;

/**
 * A bootstrapped account in us-east-1 with every service, role and quota a lab needs, nothing running, no lab
 * deployed.
 */
function readyAccount({ bootstrapVersion = '30', ec2Quota = 32, fargateQuota = 6 } = {}) {
  sts.on(GetCallerIdentityCommand).resolves({
    Account: ACCOUNT,
    Arn: `arn:aws:iam::${ACCOUNT}:user/student`,
    UserId: 'AIDA1',
  });
  ssm.on(GetParameterCommand).callsFake(({ Name }) => ({
    Parameter: { Name, Value: Name.endsWith('/version') ? bootstrapVersion : Name.split('/').pop() },
  }));
  iam.on(GetRoleCommand).callsFake(({ RoleName }) => ({
    Role: {
      RoleName,
      Arn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/x/${RoleName}`,
      Path: '/aws-service-role/',
      RoleId: 'AROA1',
      CreateDate: new Date('2026-01-02T00:00:00Z'),
    },
  }));
  ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
  ec2.on(DescribeInstanceTypesCommand).callsFake(({ InstanceTypes }) => ({
    InstanceTypes: InstanceTypes.map((type: string) => ({
      InstanceType: type,
      VCpuInfo: { DefaultVCpus: { 't3.micro': 2, 'm5.xlarge': 4, 'p3.2xlarge': 8 }[type] },
    })),
  }));
  serviceQuotas.on(GetServiceQuotaCommand, { ServiceCode: 'ec2', QuotaCode: 'L-1216C47A' })
    .resolves({ Quota: { Value: ec2Quota } });
  serviceQuotas.on(GetServiceQuotaCommand, { ServiceCode: 'fargate', QuotaCode: 'L-3032A538' })
    .resolves({ Quota: { Value: fargateQuota } });
  elasticBeanstalk.on(ListPlatformVersionsCommand)
    .resolves({ PlatformSummaryList: [{ PlatformArn: PLATFORM('6.6.8') }] });
  cloudFormation.on(DescribeStacksCommand).rejects(awsError('ValidationError', 'Stack with id X does not exist'));
}

beforeEach(() => [sts, ssm, iam, ec2, serviceQuotas, elasticBeanstalk, cloudFormation].forEach((mock) => mock.reset()));

async function preflight(lab: string, template: PreflightTemplate): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runPreflight({
    lab,
    template: () => template,
    aws: awsClients({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
    print: (printed) => lines.push(printed),
  });
  return { code, lines };
}

const lineOf = (lines: string[], name: string) => lines.find((printed) => printed.includes(`  ${name}: `));

describe('in an account ready for the lab (AWS API mocked)', () => {
  test('passes every check of the Auto Scaling lab, one line each, and exits 0', async () => {
    readyAccount();
    const { code, lines } = await preflight('Ec2AsgAlbLab', fleetTemplate());
    expect(lines).toEqual([
      `Preflight for Ec2AsgAlbLab in account ${ACCOUNT}, region us-east-1 (read-only calls)`,
      `PASS  credentials and region: account ${ACCOUNT} as arn:aws:iam::${ACCOUNT}:user/student, region us-east-1`,
      'PASS  us-east-1 offers the lab\'s services: autoscaling, elb '
        + '(AWS\'s public SSM parameters /aws/service/global-infrastructure/regions/us-east-1/services/...)',
      'PASS  CDK bootstrap: version 30 (SSM parameter /cdk-bootstrap/hnb659fds/version); the lab needs 6 or newer',
      'PASS  service-linked role AWSServiceRoleForElasticLoadBalancing: present since 2026-01-02, '
        + 'for AWS::ElasticLoadBalancingV2::LoadBalancer',
      'PASS  service-linked role AWSServiceRoleForAutoScaling: present since 2026-01-02, '
        + 'for AWS::AutoScaling::AutoScalingGroup',
      'PASS  EC2 On-Demand Standard instances vCPU quota: 0 vCPU in use (0 running instance(s)) '
        + '+ 8 for the lab at its maximum (4 x t3.micro) = 8 of 32 in us-east-1',
      `INFO  idle cost: ${costSummary(labCost('Ec2AsgAlbLab', costDrivers(fleetTemplate())))} while deployed, `
        + `at us-east-1 on-demand prices of ${PRICES_AS_OF} (npm run cost)`,
      'Nothing blocks `npx cdk deploy Ec2AsgAlbLab`.',
    ]);
    expect(code).toBe(0);
  });

  test('checks Lambda, API Gateway and DynamoDB in the region, says what it cannot check, '
    + 'and points to the logging role setting', async () => {
    readyAccount();
    const { code, lines } = await preflight('LambdaUsersLab', usersApiTemplate());
    expect(ssm.commandCalls(GetParameterCommand).map((call) => call.args[0].input.Name)).toEqual([
      '/aws/service/global-infrastructure/regions/us-east-1/services/lambda',
      '/aws/service/global-infrastructure/regions/us-east-1/services/apigateway',
      '/aws/service/global-infrastructure/regions/us-east-1/services/dynamodb',
      '/cdk-bootstrap/hnb659fds/version',
    ]);
    expect(lineOf(lines, 'Lambda runtimes'))
      .toMatch(joinRegExp(
        /^INFO {2}Lambda runtimes: the lab's functions run nodejs24\.x on arm64\. /,
        /No read-only AWS API lists the runtimes/,
      ));
    expect(lineOf(lines, 'API Gateway CloudWatch role (account setting)'))
      .toContain('`npx cdk deploy LambdaUsersLab -c createApiGatewayLoggingRole=false`');
    expect(code).toBe(0);
  });

  test('prints the idle cost that npm run cost computes', async () => {
    readyAccount();
    const { lines } = await preflight('BeanstalkAppLab', beanstalkTemplate());
    expect(lineOf(lines, 'idle cost')).toContain(
      `idle cost: ${costSummary(labCost('BeanstalkAppLab', costDrivers(beanstalkTemplate())))} while deployed`,
    );
  });
});

describe('credentials and region (AWS API mocked)', () => {
  test('fails before any other check, with what to do, when there are no credentials', async () => {
    readyAccount();
    sts.on(GetCallerIdentityCommand)
      .rejects(awsError('CredentialsProviderError', 'Could not load credentials from any providers'));
    const error = await preflight('Ec2AsgAlbLab', fleetTemplate()).catch((e) => e);
    expect(error).toBeInstanceOf(CannotRunError);
    expect(error.message).toMatch(/^No AWS credentials found\. Sign in the way the AWS CLI does/);
    expect(ssm.calls()).toHaveLength(0);
  });

  test('fails with what to do when no region is set', async () => {
    sts.on(GetCallerIdentityCommand).rejects(awsError('Error', 'Region is missing'));
    await expect(preflight('Ec2AsgAlbLab', fleetTemplate())).rejects.toThrow(/^No AWS region set\. Set AWS_REGION/);
  });

  test('fails with what to do when AWS cannot be reached', async () => {
    sts.on(GetCallerIdentityCommand).rejects(Object.assign(
      new Error('getaddrinfo ENOTFOUND sts.us-east-1.amazonaws.com'),
      { code: 'ENOTFOUND', hostname: 'sts.us-east-1.amazonaws.com' },
    ));
    await expect(preflight('Ec2AsgAlbLab', fleetTemplate())).rejects.toThrow('Could not reach AWS '
      + '(ENOTFOUND sts.us-east-1.amazonaws.com): check your network connection or proxy, then run this again.');
  });

  test('fails with "wait a minute" when AWS throttles the first call', async () => {
    sts.on(GetCallerIdentityCommand).rejects(awsError('Throttling', 'Rate exceeded'));
    await expect(preflight('Ec2AsgAlbLab', fleetTemplate())).rejects.toThrow('AWS throttled sts:GetCallerIdentity '
      + '(Throttling) after the SDK\'s retries. Wait a minute, then run this again.');
  });
});

describe('one check that cannot look (AWS API mocked)', () => {
  test('warns naming the missing action when access to one check is denied, and runs the others', async () => {
    readyAccount();
    iam.on(GetRoleCommand).rejects(denied('iam:GetRole'));
    const { code, lines } = await preflight('Ec2AsgAlbLab', fleetTemplate());
    expect(lineOf(lines, 'service-linked role AWSServiceRoleForAutoScaling')).toBe('WARN  service-linked role '
      + 'AWSServiceRoleForAutoScaling: not checked: your AWS identity may not call iam:GetRole '
      + '(AccessDeniedException). Ask for that read-only permission, or check it yourself before deploying');
    expect(lineOf(lines, 'EC2 On-Demand Standard instances vCPU quota')).toMatch(/^PASS/);
    expect(lines.at(-1)).toBe('Nothing blocks `npx cdk deploy Ec2AsgAlbLab`; read the 2 warning(s) first.');
    expect(code).toBe(0);
  });

  test('warns with "wait a minute" when one check is throttled, and runs the others', async () => {
    readyAccount();
    serviceQuotas.on(GetServiceQuotaCommand).rejects(awsError('TooManyRequestsException', 'Rate exceeded'));
    const { code, lines } = await preflight('Ec2AsgAlbLab', fleetTemplate());
    expect(lineOf(lines, 'EC2 On-Demand Standard instances vCPU quota')).toBe('WARN  EC2 On-Demand Standard '
      + 'instances vCPU quota: not checked: AWS throttled the calls (TooManyRequestsException) '
      + 'after the SDK\'s retries. Wait a minute and run preflight again');
    expect(lineOf(lines, 'CDK bootstrap')).toMatch(/^PASS/);
    expect(code).toBe(0);
  });

  test('names the actions of the check when the denial does not say which', async () => {
    readyAccount();
    ec2.on(DescribeInstancesCommand)
      .rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'));
    const { lines } = await preflight('Ec2AsgAlbLab', fleetTemplate());
    expect(lineOf(lines, 'EC2 On-Demand Standard instances vCPU quota')).toContain('may not call '
      + 'ec2:DescribeInstances, ec2:DescribeInstanceTypes, servicequotas:GetServiceQuota (UnauthorizedOperation)');
  });
});

describe('the region (AWS API mocked)', () => {
  test('fails when the region does not offer a service the lab uses', async () => {
    readyAccount();
    ssm.on(GetParameterCommand, { Name: '/aws/service/global-infrastructure/regions/us-east-1/services/fargate' })
      .rejects(awsError('ParameterNotFound'));
    const { code, lines } = await preflight('FargateServiceLab', fargateTemplate());
    expect(lineOf(lines, 'us-east-1 offers the lab\'s services')).toMatch(
      /^FAIL {2}us-east-1 offers the lab's services: us-east-1 does not offer fargate .*`export AWS_REGION=us-east-1`$/,
    );
    expect(lines.at(-1)).toBe('1 check(s) failed: fix them before `npx cdk deploy FargateServiceLab`.');
    expect(code).toBe(1);
  });

  test('warns, without failing, about a service code that AWS does not list at all', async () => {
    readyAccount();
    for (const path of ['regions/us-east-1/services/fargate', 'services/fargate']) {
      ssm.on(GetParameterCommand, { Name: `/aws/service/global-infrastructure/${path}` })
        .rejects(awsError('ParameterNotFound'));
    }
    const { code, lines } = await preflight('FargateServiceLab', fargateTemplate());
    expect(lineOf(lines, 'us-east-1 offers the lab\'s services')).toBe('WARN  us-east-1 offers the lab\'s services: '
      + 'ecs (AWS\'s public SSM parameters /aws/service/global-infrastructure/regions/us-east-1/services/...); '
      + 'not checked: fargate, which AWS\'s list of service codes (/aws/service/global-infrastructure/services) '
      + 'does not have');
    expect(code).toBe(0);
  });

  test('passes when the Beanstalk branch has a recommended version, asking with the lab\'s branch '
    + 'and lifecycle filters', async () => {
    readyAccount();
    const { lines } = await preflight('BeanstalkAppLab', beanstalkTemplate());
    expect(lineOf(lines, `Elastic Beanstalk platform branch "${BRANCH}"`))
      .toBe(`PASS  Elastic Beanstalk platform branch "${BRANCH}": recommended version ${BRANCH} 6.6.8 in us-east-1`);
    expect(elasticBeanstalk.commandCalls(ListPlatformVersionsCommand)[0].args[0].input.Filters).toEqual([
      { Type: 'PlatformBranchName', Operator: '=', Values: [BRANCH] },
      { Type: 'PlatformLifecycleState', Operator: '=', Values: ['recommended'] },
      { Type: 'PlatformStatus', Operator: '=', Values: ['Ready'] },
    ]);
  });

  test('fails when the Beanstalk branch has no recommended version in the region', async () => {
    readyAccount();
    elasticBeanstalk.on(ListPlatformVersionsCommand).resolves({ PlatformSummaryList: [] });
    const { code, lines } = await preflight(
      'BeanstalkAppLab',
      beanstalkTemplate('Node.js 18 running on 64bit Amazon Linux 2'),
    );
    expect(lineOf(lines, 'Elastic Beanstalk platform branch "Node.js 18 running on 64bit Amazon Linux 2"'))
      .toMatch(/^FAIL .*no recommended version in us-east-1.*-c platformBranch=/);
    expect(code).toBe(1);
  });
});

describe('the CDK bootstrap stack (AWS API mocked)', () => {
  test('passes at exactly the version the template requires', async () => {
    readyAccount({ bootstrapVersion: '6' });
    const { code, lines } = await preflight('Ec2AsgAlbLab', fleetTemplate());
    expect(lineOf(lines, 'CDK bootstrap')).toBe('PASS  CDK bootstrap: version 6 '
      + '(SSM parameter /cdk-bootstrap/hnb659fds/version); the lab needs 6 or newer');
    expect(code).toBe(0);
  });

  test('fails one version below what the template requires, saying to bootstrap again', async () => {
    readyAccount({ bootstrapVersion: '5' });
    const { code, lines } = await preflight('Ec2AsgAlbLab', fleetTemplate());
    expect(lineOf(lines, 'CDK bootstrap')).toBe('FAIL  CDK bootstrap: version 5 '
      + '(SSM parameter /cdk-bootstrap/hnb659fds/version); the lab needs 6 or newer: '
      + `run \`npx cdk bootstrap aws://${ACCOUNT}/us-east-1\` to update it, then deploy`);
    expect(code).toBe(1);
  });

  test('fails when the account and region are not bootstrapped', async () => {
    readyAccount();
    ssm.on(GetParameterCommand, { Name: '/cdk-bootstrap/hnb659fds/version' }).rejects(awsError('ParameterNotFound'));
    const { code, lines } = await preflight('Ec2AsgAlbLab', fleetTemplate());
    expect(lineOf(lines, 'CDK bootstrap')).toBe(`FAIL  CDK bootstrap: ${ACCOUNT}/us-east-1 is not bootstrapped `
      + '(no SSM parameter /cdk-bootstrap/hnb659fds/version, no CDKToolkit stack): '
      + `run \`npx cdk bootstrap aws://${ACCOUNT}/us-east-1\` once, then deploy`);
    expect(code).toBe(1);
  });

  test('reads the CDKToolkit stack\'s output when the SSM parameter may not be read', async () => {
    readyAccount();
    ssm.on(GetParameterCommand, { Name: '/cdk-bootstrap/hnb659fds/version' }).rejects(denied('ssm:GetParameter'));
    cloudFormation.on(DescribeStacksCommand, { StackName: 'CDKToolkit' }).resolves({ Stacks: [{
      StackName: 'CDKToolkit',
      StackStatus: 'UPDATE_COMPLETE',
      CreationTime: new Date(),
      Outputs: [{ OutputKey: 'BootstrapVersion', OutputValue: '28' }],
    }] });
    const { lines } = await preflight('Ec2AsgAlbLab', fleetTemplate());
    expect(lineOf(lines, 'CDK bootstrap'))
      .toBe('PASS  CDK bootstrap: version 28 (CDKToolkit stack output BootstrapVersion); the lab needs 6 or newer');
  });
});

describe('service-linked roles (AWS API mocked)', () => {
  const absent = () => iam.on(GetRoleCommand)
    .rejects(awsError('NoSuchEntityException', 'The role with name X cannot be found.'));

  test('says which absent role the service creates on the first deploy', async () => {
    readyAccount();
    absent();
    const { code, lines } = await preflight('Ec2AsgAlbLab', fleetTemplate());
    expect(lineOf(lines, 'service-linked role AWSServiceRoleForAutoScaling')).toBe('PASS  service-linked role '
      + 'AWSServiceRoleForAutoScaling: absent: autoscaling creates it on the first deploy '
      + '(your identity needs iam:CreateServiceLinkedRole); it stays in the account after `cdk destroy`');
    expect(code).toBe(0);
  });

  test('passes an absent ECS role when the lab creates it before the cluster', async () => {
    readyAccount();
    absent();
    const { lines } = await preflight('FargateServiceLab', fargateTemplate({ createsRole: 'first' }));
    expect(lineOf(lines, 'service-linked role AWSServiceRoleForECS'))
      .toBe('PASS  service-linked role AWSServiceRoleForECS: absent: '
        + 'the deploy creates it (EcsRole) before AWS::ECS::Cluster; it stays in the account after `cdk destroy`');
  });

  test('warns about an absent ECS role that the lab creates too late, or not at all', async () => {
    readyAccount();
    absent();
    const late = await preflight('FargateServiceLab', fargateTemplate({ createsRole: 'late' }));
    expect(lineOf(late.lines, 'service-linked role AWSServiceRoleForECS'))
      .toMatch(joinRegExp(
        /^WARN .*the lab creates it \(EcsRole\), but not before /,
        /.*`aws iam create-service-linked-role --aws-service-name ecs\.amazonaws\.com`$/,
      ));
    const never = await preflight('FargateServiceLab', fargateTemplate());
    expect(lineOf(never.lines, 'service-linked role AWSServiceRoleForECS'))
      .toMatch(/^WARN .*absent, and the lab does not create it: .*Unable to assume the service linked role/);
    expect(never.code).toBe(0);
  });
});

describe('vCPU quotas (AWS API mocked)', () => {
  /** One running m5.xlarge (4 vCPU) and a p3 (its own quota), the lab's 4 x t3.micro (8 vCPU): 12 standard vCPUs. */
  function running() {
    ec2.on(DescribeInstancesCommand).resolves({
      Reservations: [{ Instances: [{ InstanceType: 'm5.xlarge' }, { InstanceType: 'p3.2xlarge' }] }],
    });
  }

  test('passes when what runs plus the lab at its maximum reaches the EC2 quota exactly', async () => {
    readyAccount({ ec2Quota: 12 });
    running();
    const { code, lines } = await preflight('Ec2AsgAlbLab', fleetTemplate());
    expect(lineOf(lines, 'EC2 On-Demand Standard instances vCPU quota')).toBe('PASS  EC2 On-Demand Standard '
      + 'instances vCPU quota: 4 vCPU in use (1 running instance(s)) + 8 for the lab at its maximum (4 x t3.micro) '
      + '= 12 of 12 in us-east-1');
    expect(code).toBe(0);
  });

  test('fails when the EC2 quota is one vCPU short', async () => {
    readyAccount({ ec2Quota: 11 });
    running();
    const { code, lines } = await preflight('Ec2AsgAlbLab', fleetTemplate());
    expect(lineOf(lines, 'EC2 On-Demand Standard instances vCPU quota')).toMatch(
      /^FAIL .* = 12 of 11 in us-east-1: over the quota by 1; request an increase of "Running On-Demand Standard/,
    );
    expect(code).toBe(1);
  });

  test('counts the group at its MaxSize and a single-instance Beanstalk environment as one', async () => {
    readyAccount();
    expect(lineOf(
      (await preflight('Ec2AsgAlbLab', fleetTemplate(3))).lines,
      'EC2 On-Demand Standard instances vCPU quota',
    )).toContain('+ 6 for the lab at its maximum (3 x t3.micro)');
    expect(lineOf(
      (await preflight('BeanstalkAppLab', beanstalkTemplate())).lines,
      'EC2 On-Demand Standard instances vCPU quota',
    )).toContain('+ 2 for the lab at its maximum (1 x t3.micro)');
  });

  test('uses AWS\'s default quota when the account has none of its own', async () => {
    readyAccount();
    serviceQuotas.on(GetServiceQuotaCommand, { ServiceCode: 'ec2', QuotaCode: 'L-1216C47A' })
      .rejects(awsError('NoSuchResourceException'));
    serviceQuotas.on(GetAWSDefaultServiceQuotaCommand, { ServiceCode: 'ec2', QuotaCode: 'L-1216C47A' })
      .resolves({ Quota: { Value: 5 } });
    const { code, lines } = await preflight('Ec2AsgAlbLab', fleetTemplate());
    expect(lineOf(lines, 'EC2 On-Demand Standard instances vCPU quota'))
      .toMatch(/= 8 of 5 in us-east-1: over the quota by 3/);
    expect(code).toBe(1);
  });

  test('passes when the Fargate tasks at the scaling maximum reach the Fargate quota exactly', async () => {
    readyAccount({ fargateQuota: 3 });
    const { code, lines } = await preflight('FargateServiceLab', fargateTemplate({ maxCapacity: 6 }));
    expect(lineOf(lines, 'Fargate On-Demand vCPU quota')).toBe('PASS  Fargate On-Demand vCPU quota: '
      + '0 vCPU in use (tasks already running not counted) + 3 for the lab at its maximum (6 task(s) x 0.5 vCPU) '
      + '= 3 of 3 in us-east-1');
    expect(code).toBe(0);
  });

  test('fails when the Fargate quota is one vCPU short of the desired count\'s tasks', async () => {
    readyAccount({ fargateQuota: 0 });
    const { code, lines } = await preflight('FargateServiceLab', fargateTemplate());
    expect(lineOf(lines, 'Fargate On-Demand vCPU quota')).toMatch(
      /^FAIL .*\+ 1 for the lab at its maximum \(2 task\(s\) x 0\.5 vCPU\) = 1 of 0 in us-east-1: over the quota by 1/,
    );
    expect(code).toBe(1);
  });
});

describe('a lab whose Fargate tasks only rules and schedules start (AWS API mocked)', () => {
  test('checks EventBridge and Scheduler, and fits one start of each in the Fargate quota', async () => {
    readyAccount({ fargateQuota: 1 });
    const { code, lines } = await preflight('EcsEventTasksLab', taskStartsTemplate({ rule: true, schedule: true }));
    expect(lineOf(lines, 'us-east-1 offers the lab\'s services'))
      .toMatch(/^PASS {2}.*: ecs, fargate, events, scheduler /);
    expect(lineOf(lines, 'Fargate On-Demand vCPU quota')).toBe('PASS  Fargate On-Demand vCPU quota: '
      + '0 vCPU in use (tasks already running not counted) + 1 for the lab at one start of each rule and schedule '
      + '(1 task(s) x 0.5 vCPU + 1 task(s) x 0.5 vCPU; overlapping starts run more) = 1 of 1 in us-east-1');
    expect(code).toBe(0);
  });

  test('fails when the Fargate quota is short of one start of each', async () => {
    readyAccount({ fargateQuota: 0 });
    const { code, lines } = await preflight('EcsEventTasksLab', taskStartsTemplate({ rule: true }));
    expect(lineOf(lines, 'Fargate On-Demand vCPU quota')).toMatch(joinRegExp(
      /^FAIL .*\+ 0\.5 for the lab at one start of each rule and schedule /,
      /\(1 task\(s\) x 0\.5 vCPU; overlapping starts run more\) = 0\.5 of 0 in us-east-1: over the quota by 0\.5/,
    ));
    expect(code).toBe(1);
  });

  test('says how it counts a lab with both a service and a rule', async () => {
    readyAccount();
    const service = fargateTemplate();
    const rule = taskStartsTemplate({ rule: true });
    const { lines } = await preflight('Mixed', { ...service, Resources: { ...rule.Resources, ...service.Resources } });
    expect(lineOf(lines, 'Fargate On-Demand vCPU quota')).toContain('+ 1.5 for the lab at its maximum and at one '
      + 'start of each rule and schedule (2 task(s) x 0.5 vCPU + 1 task(s) x 0.5 vCPU; overlapping starts run more)');
  });
});

describe('the SQS workers lab, from its synthesized template (AWS API mocked)', () => {
  const LAB = 'SqsWorkersLab';
  const template = templateOf(synthLabs([LAB]), LAB);
  const QUOTA = 'Fargate On-Demand vCPU quota';

  test('fits its workers at the scaler\'s maximum, 4 of 0.25 vCPU, in a Fargate quota of exactly 1 vCPU', async () => {
    readyAccount({ fargateQuota: 1 });
    const { code, lines } = await preflight(LAB, template);
    expect(lineOf(lines, QUOTA)).toBe(`PASS  ${QUOTA}: 0 vCPU in use (tasks already running not counted) `
      + '+ 1 for the lab at its maximum (4 task(s) x 0.25 vCPU) = 1 of 1 in us-east-1');
    expect(code).toBe(0);
  });

  test('fails when the Fargate quota is short of the scaler\'s maximum, though no worker runs while idle', async () => {
    readyAccount({ fargateQuota: 0 });
    const { code, lines } = await preflight(LAB, template);
    expect(lineOf(lines, QUOTA))
      .toMatch(/^FAIL .*\(4 task\(s\) x 0\.25 vCPU\) = 1 of 0 in us-east-1: over the quota by 1;/);
    expect(code).toBe(1);
  });

  test('says the lab creates ECS\'s role before its cluster, and Application Auto Scaling creates its own on first '
    + 'use, which needs iam:CreateServiceLinkedRole', async () => {
    readyAccount();
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntityException', 'The role with name X cannot be found.'));
    const creator = Object.keys(template.Resources)
      .find((id) => template.Resources[id].Type === 'Custom::ServiceLinkedRole');
    const { code, lines } = await preflight(LAB, template);
    expect(lines.filter((printed) => printed.includes('service-linked role'))).toEqual([
      `PASS  service-linked role AWSServiceRoleForECS: absent: the deploy creates it (${creator}) before `
        + 'AWS::ECS::Cluster; it stays in the account after `cdk destroy`',
      'PASS  service-linked role AWSServiceRoleForApplicationAutoScaling_ECSService: absent: application-autoscaling '
        + 'creates it on the first deploy (your identity needs iam:CreateServiceLinkedRole); it stays in the account '
        + 'after `cdk destroy`',
    ]);
    expect(code).toBe(0);
  });

  test('checks Lambda (for the stack\'s custom resources), DynamoDB, ECS, Fargate and SQS in the region, '
    + 'and prints the alarms\' idle cost', async () => {
    readyAccount();
    const { lines } = await preflight(LAB, template);
    expect(lineOf(lines, 'us-east-1 offers the lab\'s services'))
      .toMatch(/^PASS {2}.*: lambda, dynamodb, ecs, fargate, sqs \(/);
    expect(lineOf(lines, 'idle cost')).toBe(`INFO  idle cost: $0.0004/h, $0.30 per 30 days while deployed, `
      + `at us-east-1 on-demand prices of ${PRICES_AS_OF} (npm run cost)`);
  });
});

describe('an already deployed Beanstalk lab (AWS API mocked)', () => {
  function deployed(lifecycle: string | undefined) {
    cloudFormation.on(DescribeStacksCommand, { StackName: 'BeanstalkAppLab' }).resolves({ Stacks: [{
      StackName: 'BeanstalkAppLab', StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date(),
      Outputs: [
        { OutputKey: 'ApplicationName', OutputValue: 'app-1' },
        { OutputKey: 'EnvironmentName', OutputValue: 'env-1' },
      ],
    }] });
    elasticBeanstalk
      .on(DescribeEnvironmentsCommand, { ApplicationName: 'app-1', EnvironmentNames: ['env-1'], IncludeDeleted: false })
      .resolves({ Environments: [{ EnvironmentName: 'env-1', PlatformArn: PLATFORM('6.6.1') }] });
    elasticBeanstalk.on(DescribePlatformVersionCommand, { PlatformArn: PLATFORM('6.6.1') })
      .resolves({
        PlatformDescription: {
          PlatformBranchName: BRANCH,
          PlatformVersion: '6.6.1',
          PlatformLifecycleState: lifecycle,
        },
      });
  }

  test('passes while its environment runs the recommended platform version', async () => {
    readyAccount();
    deployed('recommended');
    const { lines } = await preflight('BeanstalkAppLab', beanstalkTemplate());
    expect(lineOf(lines, 'deployed environment\'s platform version'))
      .toBe(`PASS  deployed environment's platform version: env-1 runs ${BRANCH} 6.6.1, the recommended version`);
  });

  test('warns with the command that moves it when its platform version is no longer recommended', async () => {
    readyAccount();
    deployed(undefined);
    const { code, lines } = await preflight('BeanstalkAppLab', beanstalkTemplate());
    expect(lineOf(lines, 'deployed environment\'s platform version'))
      .toBe(`WARN  deployed environment's platform version: env-1 runs ${BRANCH} 6.6.1, `
        + 'no longer the recommended version. '
        + 'Move it with `npx cdk deploy BeanstalkAppLab -c platformLookup=$(date +%F)`');
    expect(code).toBe(0);
  });

  test('says nothing of the platform version before the first deploy', async () => {
    readyAccount();
    const { lines } = await preflight('BeanstalkAppLab', beanstalkTemplate());
    expect(lineOf(lines, 'deployed environment\'s platform version')).toBeUndefined();
    expect(elasticBeanstalk.commandCalls(DescribeEnvironmentsCommand)).toHaveLength(0);
  });
});
