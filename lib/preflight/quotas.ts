import { DescribeInstanceTypesCommand, paginateDescribeInstances, _InstanceType } from '@aws-sdk/client-ec2';
import { GetAWSDefaultServiceQuotaCommand, GetServiceQuotaCommand } from '@aws-sdk/client-service-quotas';
import { CheckLine, guarded, isAwsError, line, PreflightClients } from './check-line';
import { LabNeeds } from './lab-needs';

/**
 * Service Quotas codes: Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances, and Fargate On-Demand
 * vCPUs.
 */
export const EC2_STANDARD_VCPU_QUOTA = { ServiceCode: 'ec2', QuotaCode: 'L-1216C47A' };
export const FARGATE_VCPU_QUOTA = { ServiceCode: 'fargate', QuotaCode: 'L-3032A538' };

/**
 * Families that count against the standard quota; the others (P, G, Inf, DL, Trn, Mac, HPC, X, U, ...) have their
 * own.
 */
export const isStandardInstanceType = (type: string) =>
  /^[acdhimrtz]/.test(type) && !/^(inf|dl|trn|hpc|mac)/.test(type);

/**
 * The On-Demand Standard vCPU quota against the account's running and pending standard instances plus what the lab
 * launches at its maximum.
 */
export async function ec2VcpuQuota(
  { ec2, serviceQuotas }: PreflightClients, needs: LabNeeds, region: string,
): Promise<CheckLine[]> {
  const launches = needs.instances.filter((launch) => isStandardInstanceType(launch.instanceType));
  if (launches.length === 0) return [];
  const name = 'EC2 On-Demand Standard instances vCPU quota';
  return guarded(name, [
    'ec2:DescribeInstances', 'ec2:DescribeInstanceTypes', 'servicequotas:GetServiceQuota',
  ], async () => {
    const running = await runningStandardInstances(ec2);
    const vcpus = await vcpusPerType(ec2, [...running, ...launches.map((launch) => launch.instanceType)]);
    const used = running.reduce((sum, type) => sum + vcpus(type), 0);
    const lab = launches.reduce((sum, launch) => sum + launch.count * vcpus(launch.instanceType), 0);
    const quota = await quotaValue(serviceQuotas, EC2_STANDARD_VCPU_QUOTA);
    const what = launches.map((launch) => `${launch.count} x ${launch.instanceType}`).join(' + ');
    return [verdict(name, { used, usedWhat: `${running.length} running instance(s)`, lab, labWhat: what, quota, region,
      increase: 'request an increase of "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances" '
        + 'in the Service Quotas console, or stop instances you do not need' })];
  });
}

/**
 * The Fargate On-Demand vCPU quota against the lab's tasks: its services' at their maximum, and one start of each rule
 * and schedule that starts tasks.
 */
export async function fargateVcpuQuota(
  { serviceQuotas }: PreflightClients, needs: LabNeeds, region: string,
): Promise<CheckLine[]> {
  if (needs.fargateTasks.length === 0) return [];
  const name = 'Fargate On-Demand vCPU quota';
  return guarded(name, ['servicequotas:GetServiceQuota'], async () => {
    const lab = needs.fargateTasks.reduce((sum, task) => sum + task.vcpu * task.count, 0);
    const quota = await quotaValue(serviceQuotas, FARGATE_VCPU_QUOTA);
    const what = needs.fargateTasks.map((task) => `${task.count} task(s) x ${task.vcpu} vCPU`).join(' + ');
    // Tasks that rules and schedules start are counted once per starter: starts that overlap run more.
    const started = needs.fargateTasks.some((task) => task.started);
    const at = [
      ...(needs.fargateTasks.some((task) => !task.started) ? ['at its maximum'] : []),
      ...(started ? ['at one start of each rule and schedule'] : []),
    ].join(' and ');
    return [verdict(name, { used: 0, usedWhat: 'tasks already running not counted', lab, at,
      labWhat: `${what}${started ? '; overlapping starts run more' : ''}`, quota, region,
      increase: 'request an increase of "Fargate On-Demand vCPU resource count" in the Service Quotas console, '
        + 'or deploy with fewer tasks' })];
  });
}

interface Usage {
  readonly used: number;
  readonly usedWhat: string;
  readonly lab: number;
  /** How the lab's count is reached. */
  readonly at?: string;
  readonly labWhat: string;
  readonly quota: number;
  readonly region: string;
  readonly increase: string;
}

/** PASS while what is used plus the lab's maximum fits the quota (reaching it exactly fits), FAIL above. */
function verdict(
  name: string, { used, usedWhat, lab, at = 'at its maximum', labWhat, quota, region, increase }: Usage,
): CheckLine {
  const seen = `${used} vCPU in use (${usedWhat}) + ${lab} for the lab ${at} (${labWhat}) `
    + `= ${used + lab} of ${quota} in ${region}`;
  return used + lab > quota
    ? line('FAIL', name, `${seen}: over the quota by ${used + lab - quota}; ${increase}`)
    : line('PASS', name, seen);
}

/** The instance types of the account's running and pending instances in the region that count as standard. */
export async function runningStandardInstances(ec2: PreflightClients['ec2']): Promise<string[]> {
  const running: string[] = [];
  for await (const page of paginateDescribeInstances({ client: ec2 }, {
    Filters: [{ Name: 'instance-state-name', Values: ['pending', 'running'] }],
  })) {
    for (const reservation of page.Reservations ?? []) running.push(...(reservation.Instances ?? [])
      .map((instance) => instance.InstanceType!).filter(isStandardInstanceType));
  }
  return running;
}

/** The quota applied to the account, or AWS's default where the account has none of its own yet (a new account). */
export async function quotaValue(
  serviceQuotas: PreflightClients['serviceQuotas'], code: { ServiceCode: string; QuotaCode: string },
): Promise<number> {
  try {
    const { Quota } = await serviceQuotas.send(new GetServiceQuotaCommand(code));
    return Number(Quota?.Value);
  } catch (error) {
    if (!isAwsError(error, 'NoSuchResourceException')) throw error;
    const { Quota } = await serviceQuotas.send(new GetAWSDefaultServiceQuotaCommand(code));
    return Number(Quota?.Value);
  }
}

/** The vCPUs of each instance type, as EC2 describes them in the region; throws for a type it does not describe. */
export async function vcpusPerType(ec2: PreflightClients['ec2'], types: string[]): Promise<(type: string) => number> {
  const unique = [...new Set(types)];
  const vcpus = new Map<string, number>();
  for (let i = 0; i < unique.length; i += 100) {
    const { InstanceTypes = [] } = await ec2.send(new DescribeInstanceTypesCommand({
      InstanceTypes: unique.slice(i, i + 100) as _InstanceType[],
    }));
    for (const info of InstanceTypes) vcpus.set(info.InstanceType!, info.VCpuInfo?.DefaultVCpus ?? 0);
  }
  return (type) => {
    const count = vcpus.get(type);
    if (count === undefined) throw new Error(`EC2 does not describe instance type ${type} in this region`);
    return count;
  };
}
