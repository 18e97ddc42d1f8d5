import { costDrivers } from '../cost/drivers';
import { costSummary, labCost } from '../cost/report';
import { PRICES_AS_OF } from '../cost/prices';
import { deployedBeanstalkPlatform } from './beanstalk-platform';
import { bootstrapVersion } from './bootstrap';
import { CheckLine, formatLine, line, PreflightClients } from './check-line';
import { classQuotas } from './class-quotas';
import { classroomSetup, selfDeletion } from './classroom';
import { labNeeds, PreflightTemplate } from './lab-needs';
import { studentPermissions } from './permissions';
import { ec2VcpuQuota, fargateVcpuQuota } from './quotas';
import { beanstalkBranches, callerIdentity, identityLine, lambdaRuntimes, regionServices } from './region';
import { apiGatewayAccount, serviceLinkedRoles } from './service-linked-roles';

export interface PreflightOptions {
  readonly lab: string;
  /**
   * Classroom mode: checks this student's copy, the stack `<student>-<lab>`, with what it needs from the class
   * (ClassroomSetup) and the students' policy.
   */
  readonly student?: string;
  /** Classroom mode: also counts the quotas that this many students' copies need. */
  readonly students?: number;
  /**
   * The lab's synthesized template (in classroom mode, a student's copy); asked for once the credentials and region
   * are known to work.
   */
  readonly template: () => PreflightTemplate;
  readonly aws: PreflightClients;
  readonly print: (line: string) => void;
}

/**
 * Checks, before a deploy and with read-only calls, that the account and region can take the lab (in classroom mode,
 * a student's copy, or a class's copies); prints one line per check. Resolves with the exit code: 1 when a check
 * failed, else 0. Throws a CannotRunError (exit 2) when it cannot check at all: no credentials, no region.
 */
export async function runPreflight(options: PreflightOptions): Promise<number> {
  const { lab, student, students, template, aws, print } = options;
  const classroom = student !== undefined || students !== undefined;
  // The stack looked at once deployed: none for a class count alone, which is about copies yet to come.
  const stackName = student !== undefined ? `${student}-${lab}` : classroom ? undefined : lab;
  const deploy = `npx cdk deploy ${lab}${student !== undefined ? ` -c student=${student}` : classroom
    ? ' -c student=<name>' : ''}`;
  const identity = await callerIdentity(aws);
  const what = `${stackName ?? `${lab} in classroom mode`}`
    + `${students !== undefined ? `, for a class of ${students},` : ''}`;
  print(`Preflight for ${what} in account ${identity.account}, region ${identity.region} (read-only calls)`);
  const lines: CheckLine[] = [identityLine(identity)];
  print(formatLine(lines[0]));
  const synthesized = template();
  const needs = labNeeds(synthesized);
  const cost = labCost(lab, costDrivers(synthesized));
  let setupDeployed: boolean | undefined;
  const checks: Array<() => Promise<CheckLine[]> | CheckLine[]> = [
    () => regionServices(aws, needs, identity.region),
    () => lambdaRuntimes(needs),
    () => beanstalkBranches(aws, needs, identity.region),
    () => bootstrapVersion(aws, needs, identity),
    ...(classroom ? [async () => {
      const setup = await classroomSetup(aws, needs, student !== undefined);
      setupDeployed = setup.deployed;
      return setup.lines;
    }] : []),
    ...(student !== undefined ? [() => studentPermissions(aws, identity)] : []),
    () => serviceLinkedRoles(aws, needs),
    () => apiGatewayAccount(needs, lab),
    () => ec2VcpuQuota(aws, needs, identity.region),
    () => fargateVcpuQuota(aws, needs, identity.region),
    ...(students !== undefined ? [() => classQuotas(aws, needs, identity.region, {
      students, classroomSetupDeployed: setupDeployed !== false,
    })] : []),
    ...(stackName !== undefined ? [
      () => deployedBeanstalkPlatform(aws, needs, stackName, deploy),
      () => selfDeletion(aws, stackName, deploy),
    ] : []),
    () => [line('INFO', 'idle cost', `${costSummary(cost)} while deployed`
      + `${students !== undefined ? `, ${costSummary({ ...cost, knownHourly: cost.knownHourly * students })} for `
        + `${students} students' copies` : ''}, at us-east-1 on-demand prices of ${PRICES_AS_OF} (npm run cost)`)],
  ];
  for (const check of checks) {
    for (const result of await check()) {
      lines.push(result);
      print(formatLine(result));
    }
  }
  const count = (status: string) => lines.filter((result) => result.status === status).length;
  const failed = count('FAIL');
  print(failed > 0
    ? `${failed} check(s) failed: fix them before \`${deploy}\`.`
    : `Nothing blocks \`${deploy}\``
      + `${count('WARN') > 0 ? `; read the ${count('WARN')} warning(s) first` : ''}.`);
  return failed > 0 ? 1 : 0;
}
