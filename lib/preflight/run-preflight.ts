import { costDrivers } from '../cost/drivers';
import { costSummary, labCost } from '../cost/report';
import { PRICES_AS_OF } from '../cost/prices';
import { deployedBeanstalkPlatform } from './beanstalk-platform';
import { bootstrapVersion } from './bootstrap';
import { CheckLine, formatLine, line, PreflightClients } from './check-line';
import { labNeeds, PreflightTemplate } from './lab-needs';
import { ec2VcpuQuota, fargateVcpuQuota } from './quotas';
import { beanstalkBranches, callerIdentity, identityLine, lambdaRuntimes, regionServices } from './region';
import { apiGatewayAccount, serviceLinkedRoles } from './service-linked-roles';

export interface PreflightOptions {
  readonly lab: string;
  /** The lab's synthesized template; asked for once the credentials and region are known to work. */
  readonly template: () => PreflightTemplate;
  readonly aws: PreflightClients;
  readonly print: (line: string) => void;
}

/**
 * Checks, before a deploy and with read-only calls, that the account and region can take the lab; prints one line
 * per check. Resolves with the exit code: 1 when a check failed, else 0. Throws a CannotRunError (exit 2) when it
 * cannot check at all: no credentials, no region.
 */
export async function runPreflight({ lab, template, aws, print }: PreflightOptions): Promise<number> {
  const identity = await callerIdentity(aws);
  print(`Preflight for ${lab} in account ${identity.account}, region ${identity.region} (read-only calls)`);
  const lines: CheckLine[] = [identityLine(identity)];
  print(formatLine(lines[0]));
  const synthesized = template();
  const needs = labNeeds(synthesized);
  const cost = labCost(lab, costDrivers(synthesized));
  const checks: Array<() => Promise<CheckLine[]> | CheckLine[]> = [
    () => regionServices(aws, needs, identity.region),
    () => lambdaRuntimes(needs),
    () => beanstalkBranches(aws, needs, identity.region),
    () => bootstrapVersion(aws, needs, identity),
    () => serviceLinkedRoles(aws, needs),
    () => apiGatewayAccount(needs, lab),
    () => ec2VcpuQuota(aws, needs, identity.region),
    () => fargateVcpuQuota(aws, needs, identity.region),
    () => deployedBeanstalkPlatform(aws, needs, lab),
    () => [line('INFO', 'idle cost',
      `${costSummary(cost)} while deployed, at us-east-1 on-demand prices of ${PRICES_AS_OF} (npm run cost)`)],
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
    ? `${failed} check(s) failed: fix them before \`npx cdk deploy ${lab}\`.`
    : `Nothing blocks \`npx cdk deploy ${lab}\``
      + `${count('WARN') > 0 ? `; read the ${count('WARN')} warning(s) first` : ''}.`);
  return failed > 0 ? 1 : 0;
}
