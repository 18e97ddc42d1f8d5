import { DescribeAddressesCommand, paginateDescribeVpcs } from '@aws-sdk/client-ec2';
import { paginateDescribeLoadBalancers } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CLASSROOM_SETUP_STACK } from '../classroom/student';
import { CheckLine, guarded, line, PreflightClients } from './check-line';
import { Launch, LabNeeds } from './lab-needs';
import {
  EC2_STANDARD_VCPU_QUOTA, FARGATE_VCPU_QUOTA, isStandardInstanceType, quotaValue, runningStandardInstances,
  vcpusPerType,
} from './quotas';

/**
 * Service Quotas codes of what a class meets first, each with its service's and quota's names in the Service Quotas
 * console. Verified against AWS's documentation, whose quota tables link each quota's console page by its code:
 * VPCs per Region and EC2-VPC Elastic IPs (Amazon VPC User Guide, "Amazon VPC quotas"), Application Load Balancers
 * per Region (Elastic Load Balancing User Guide, "Quotas for your Application Load Balancers"). Lambda's concurrent
 * executions (L-B99A9384) is not in its guide's table; the code is the one the Service Quotas console shows for
 * "Concurrent executions", and every source that names it agrees.
 */
export const VPC_QUOTA = {
  ServiceCode: 'vpc', QuotaCode: 'L-F678F1CE', service: 'Amazon Virtual Private Cloud (Amazon VPC)',
  name: 'VPCs per Region',
};
export const ELASTIC_IP_QUOTA = {
  ServiceCode: 'ec2', QuotaCode: 'L-0263D0A3', service: 'Amazon Elastic Compute Cloud (Amazon EC2)',
  name: 'EC2-VPC Elastic IPs',
};
export const LOAD_BALANCER_QUOTA = {
  ServiceCode: 'elasticloadbalancing', QuotaCode: 'L-53DA6B97', service: 'Elastic Load Balancing (ELB)',
  name: 'Application Load Balancers per Region',
};
export const LAMBDA_CONCURRENCY_QUOTA = {
  ServiceCode: 'lambda', QuotaCode: 'L-B99A9384', service: 'AWS Lambda', name: 'Concurrent executions',
};
const EC2_VCPU = {
  ...EC2_STANDARD_VCPU_QUOTA, service: 'Amazon Elastic Compute Cloud (Amazon EC2)',
  name: 'Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances', label: 'EC2 On-Demand Standard vCPUs',
};
const FARGATE_VCPU = {
  ...FARGATE_VCPU_QUOTA, service: 'AWS Fargate', name: 'Fargate On-Demand vCPU resource count',
  label: 'Fargate On-Demand vCPUs',
};

/**
 * The concurrency Lambda keeps unreserved: a function may reserve up to the account's unreserved concurrency minus
 * 100 (Lambda Developer Guide, "Configuring reserved concurrency").
 */
export const LAMBDA_UNRESERVED_MINIMUM = 100;

/** A quota: its codes, its service's and its own name in the Service Quotas console, and a shorter label. */
interface Quota {
  readonly ServiceCode: string;
  readonly QuotaCode: string;
  readonly service: string;
  readonly name: string;
  /** @default name */
  readonly label?: string;
}

export interface ClassSize {
  /** How many copies of the lab the class deploys, one per student. */
  readonly students: number;
  /** Whether ClassroomSetup (the class's network) is deployed already; if not, its VPC is still to come. */
  readonly classroomSetupDeployed: boolean;
}

/**
 * The quotas N students' copies of the lab need in the account and region, one line each: what is in use now, plus
 * what each copy holds times N, against the quota, and when short the increase to request before class.
 */
export async function classQuotas(
  clients: PreflightClients, needs: LabNeeds, region: string, size: ClassSize,
): Promise<CheckLine[]> {
  const { students } = size;
  const lines: CheckLine[] = [];
  const check = async (quota: Quota, actions: string[], count: () => Promise<Count>) => {
    lines.push(...await guarded(nameOf(quota, students), ['servicequotas:GetServiceQuota', ...actions],
      async () => [verdict(quota, await count(), await valueOf(clients, quota), region, students)]));
  };

  await check(VPC_QUOTA, ['ec2:DescribeVpcs'], async () => ({
    inUse: await vpcsInUse(clients.ec2),
    extra: needs.imports.some(isClassroomExport) && !size.classroomSetupDeployed
      ? { count: 1, what: `for ${CLASSROOM_SETUP_STACK}'s network, not deployed yet` }
      : undefined,
    perCopy: total(needs.vpcs),
    what: needs.vpcs.length > 0
      ? describe(needs.vpcs)
      : `the class shares ${CLASSROOM_SETUP_STACK}'s network`,
  }));
  await check(ELASTIC_IP_QUOTA, ['ec2:DescribeAddresses'], async () => {
    const { Addresses = [] } = await clients.ec2.send(new DescribeAddressesCommand({}));
    return { inUse: Addresses.length, perCopy: total(needs.elasticIps), what: describe(needs.elasticIps) };
  });
  await check(LOAD_BALANCER_QUOTA, ['elasticloadbalancing:DescribeLoadBalancers'], async () => ({
    inUse: await applicationLoadBalancersInUse(clients.elbv2),
    perCopy: total(needs.loadBalancers),
    what: describe(needs.loadBalancers),
  }));
  const instances = needs.instances.filter((launch) => isStandardInstanceType(launch.instanceType));
  if (instances.length > 0) {
    await check(EC2_VCPU, ['ec2:DescribeInstances', 'ec2:DescribeInstanceTypes'], async () => {
      const running = await runningStandardInstances(clients.ec2);
      const vcpus = await vcpusPerType(clients.ec2, [...running, ...instances.map((launch) => launch.instanceType)]);
      return {
        inUse: running.reduce((sum, type) => sum + vcpus(type), 0),
        perCopy: instances.reduce((sum, launch) => sum + launch.count * vcpus(launch.instanceType), 0),
        what: `${instances.map((launch) => `${launch.count} x ${launch.instanceType}`).join(' + ')} at its maximum`,
      };
    });
  }
  if (needs.fargateTasks.length > 0) {
    await check(FARGATE_VCPU, [], async () => ({
      inUse: 0,
      inUseWhat: 'tasks already running not counted',
      perCopy: needs.fargateTasks.reduce((sum, task) => sum + task.vcpu * task.count, 0),
      what: needs.fargateTasks.map((task) => `${task.count} task(s) x ${task.vcpu} vCPU`).join(' + '),
    }));
  }
  if (needs.lambda.functions > 0) {
    lines.push(...await guarded(nameOf(LAMBDA_CONCURRENCY_QUOTA, students), ['servicequotas:GetServiceQuota'],
      async () => [concurrencyVerdict(needs, await valueOf(clients, LAMBDA_CONCURRENCY_QUOTA),
        region, students)]));
  }
  return lines;
}

interface Count {
  readonly inUse: number;
  /** How the count in use was reached, when it is not a count of what exists. */
  readonly inUseWhat?: string;
  /** Needed once for the class, besides the copies. */
  readonly extra?: { readonly count: number; readonly what: string };
  readonly perCopy: number;
  /** What a copy holds. */
  readonly what: string;
}

/** The quota's value, asked for by its codes alone. */
const valueOf = ({ serviceQuotas }: PreflightClients, { ServiceCode, QuotaCode }: Quota) =>
  quotaValue(serviceQuotas, { ServiceCode, QuotaCode });

const nameOf = (quota: Quota, students: number) =>
  `class of ${students}: ${quota.label ?? quota.name} (${quota.QuotaCode})`;

/** `request an increase ... to at least X before class`, with where to ask. */
const increase = (quota: Quota, atLeast: number) => `request an increase to at least ${atLeast} before class `
  + `(Service Quotas console: ${quota.service}, "${quota.name}")`;

/** PASS while what is in use, plus the class's copies, fits the quota (reaching it exactly fits); FAIL above. */
function verdict(quota: Quota, count: Count, value: number, region: string, students: number): CheckLine {
  const needed = count.inUse + (count.extra?.count ?? 0) + count.perCopy * students;
  const seen = `needs ${needed} = ${count.inUse} in use${count.inUseWhat ? ` (${count.inUseWhat})` : ''}`
    + `${count.extra ? ` + ${count.extra.count} ${count.extra.what}` : ''}`
    + ` + ${count.perCopy} per student x ${students} (${count.what}); the quota is ${value} in ${region}`;
  return needed > value
    ? line('FAIL', nameOf(quota, students), `${seen}: short by ${needed - value}; ${increase(quota, needed)}`)
    : line('PASS', nameOf(quota, students), seen);
}

/**
 * Functions that reserve concurrency need it reserved for every copy, and Lambda keeps 100 unreserved: FAIL when
 * short. Functions that reserve none share the account's concurrency: WARN when it is below one execution per
 * student at a time (a new account can have 10), and their calls would be throttled when the class works at once.
 */
function concurrencyVerdict(needs: LabNeeds, value: number, region: string, students: number): CheckLine {
  const name = nameOf(LAMBDA_CONCURRENCY_QUOTA, students);
  const reserved = total(needs.lambda.reservedConcurrency);
  if (reserved > 0) {
    const needed = reserved * students + LAMBDA_UNRESERVED_MINIMUM;
    const seen = `needs ${needed} = ${reserved} reserved per student x ${students} `
      + `(${describe(needs.lambda.reservedConcurrency)}) + ${LAMBDA_UNRESERVED_MINIMUM} that Lambda keeps unreserved; `
      + `the quota is ${value} in ${region}`;
    return needed > value
      ? line('FAIL', name, `${seen}: short by ${needed - value}; ${increase(LAMBDA_CONCURRENCY_QUOTA, needed)}`)
      : line('PASS', name, seen);
  }
  const seen = `the lab's ${needs.lambda.functions} function(s) reserve none: ${students} students' copies share `
    + `the account's ${value} concurrent executions in ${region}`;
  return value < students
    ? line('WARN', name, `${seen}, fewer than one per student at a time (a new account can have 10), so calls are `
      + `throttled when the class works at once; ${increase(LAMBDA_CONCURRENCY_QUOTA, students)}`)
    : line('PASS', name, seen);
}

const total = (launches: readonly Launch[]) => launches.reduce((sum, launch) => sum + launch.count, 0);
const describe = (launches: readonly Launch[]) => (launches.length === 0
  ? 'the lab creates none'
  : launches.map((launch) => (launch.count === 1 ? launch.source : `${launch.count} x ${launch.source}`)).join(', '));
const isClassroomExport = (name: string) => name.startsWith(`${CLASSROOM_SETUP_STACK}-`);

async function vpcsInUse(ec2: PreflightClients['ec2']): Promise<number> {
  let count = 0;
  for await (const page of paginateDescribeVpcs({ client: ec2 }, {})) count += page.Vpcs?.length ?? 0;
  return count;
}

async function applicationLoadBalancersInUse(elbv2: PreflightClients['elbv2']): Promise<number> {
  let count = 0;
  for await (const page of paginateDescribeLoadBalancers({ client: elbv2 }, {})) {
    count += (page.LoadBalancers ?? []).filter((balancer) => balancer.Type === 'application').length;
  }
  return count;
}
