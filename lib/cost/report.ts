import { CostDrivers, ScaledService, TaskRun } from './drivers';
import { HOURLY, HOURS_PER_30_DAYS, PER_USE, PRICES_AS_OF } from './prices';
import { EACH_MATCHING_EVENT, FargateTask, runsPer30Days } from './task-starts';

export interface CostLine {
  readonly price: string;
  readonly quantity: number;
  readonly source: string;
  /** USD per hour, or undefined when the price table has no price for it. */
  readonly hourly?: number;
}

export interface LabCost {
  readonly lab: string;
  readonly lines: CostLine[];
  /** Sum of the known lines. */
  readonly knownHourly: number;
  /** True when some line has no price: the total is then a lower bound. */
  readonly incomplete: boolean;
  readonly perUse: string[];
  /** What one run of each task that rules and schedules start costs. */
  readonly taskRuns: TaskRunCost[];
  /** What each task costs that a service's scaler may start above the idle count. */
  readonly scaledServices: ScaledServiceCost[];
}

export interface TaskRunCost extends TaskRun {
  /** USD per hour that the run lasts (all its tasks), or undefined when the template does not give the task's size. */
  readonly hourly?: number;
}

export interface ScaledServiceCost extends ScaledService {
  /** USD per hour of one task while it runs, or undefined when the template does not give the task's size. */
  readonly taskHourly?: number;
}

export function labCost(lab: string, drivers: CostDrivers): LabCost {
  const lines = drivers.idle.map((driver) => {
    const unit = HOURLY[driver.price];
    return { ...driver, hourly: unit === undefined ? undefined : unit * driver.quantity };
  });
  return {
    lab,
    lines,
    knownHourly: lines.reduce((sum, line) => sum + (line.hourly ?? 0), 0),
    incomplete: lines.some((line) => line.hourly === undefined),
    perUse: drivers.perUse,
    taskRuns: (drivers.taskRuns ?? []).map((run) => ({ ...run, hourly: taskRunHourly(run) })),
    scaledServices: (drivers.scaledServices ?? []).map((service) => ({ ...service, taskHourly: taskHourly(service) })),
  };
}

/** An hour of one task: its vCPU, GB and public IPv4 from the HOURLY prices; undefined when its size is unknown. */
function taskHourly(task: FargateTask): number | undefined {
  if (!Number.isFinite(task.vcpu) || !Number.isFinite(task.memoryGb)) return undefined;
  return task.vcpu * HOURLY[`fargate:${task.architecture} vCPU`]
    + task.memoryGb * HOURLY[`fargate:${task.architecture} GB`]
    + (task.publicIp ? HOURLY['vpc:public IPv4 address'] : 0);
}

/** Every task of a run, for as long as the run lasts. */
function taskRunHourly(run: TaskRun): number | undefined {
  const task = taskHourly(run);
  return task === undefined ? undefined : task * run.taskCount;
}

/** `arm64, 0.25 vCPU, 0.5 GB`, or the architecture alone when the template does not give the size. */
const taskSize = (task: FargateTask) => (Number.isFinite(task.vcpu) && Number.isFinite(task.memoryGb)
  ? `${task.architecture}, ${task.vcpu} vCPU, ${task.memoryGb} GB`
  : `${task.architecture}, a size set at deploy time`);
const UNKNOWN_SIZE = 'unknown (the template does not give the task\'s size)';
const BILLED = '(billed per second, 1 minute minimum)';

/**
 * `Fargate task run (arm64, 0.25 vCPU, 0.5 GB, public IPv4): $0.0149 per hour of run, $0.00025 per minute (billed per
 * second, 1 minute minimum)`: Fargate bills a task per second from the start of its image pull, at least a minute.
 */
export function formatTaskRun(run: TaskRunCost): string {
  const tasks = run.taskCount === 1 ? '' : `${run.taskCount} tasks of `;
  const ip = run.publicIp ? `, public IPv4${run.taskCount === 1 ? '' : ' each'}` : '';
  const price = run.hourly === undefined
    ? UNKNOWN_SIZE
    : `$${run.hourly.toFixed(4)} per hour of run, $${(run.hourly / 60).toFixed(5)} per minute ${BILLED}`;
  return `Fargate task run (${tasks}${taskSize(run)}${ip}): ${price}`;
}

/**
 * `Fargate service tasks (arm64, 0.25 vCPU, 0.5 GB, public IPv4 each): $0.0149 per task-hour while they run (billed
 * per second, 1 minute minimum)`: what each task the scaler starts costs, on top of the idle cost.
 */
export function formatScaledTasks(service: ScaledServiceCost): string {
  const price = service.taskHourly === undefined
    ? UNKNOWN_SIZE
    : `$${service.taskHourly.toFixed(4)} per task-hour while they run ${BILLED}`;
  return `Fargate service tasks (${taskSize(service)}${service.publicIp ? ', public IPv4 each' : ''}): ${price}`;
}

/**
 * `Service: its scaler runs 0 to 4 tasks, at most $0.0595/h while all 4 run`; when the idle cost already counts some
 * (the scaler's minimum, or the desired count), only those the scaler may start on top: `its scaler runs 2 to 4
 * tasks; the idle cost counts 2, the 2 more it may start at most $0.0594/h on top`.
 */
export function formatScaler(service: ScaledServiceCost): string {
  const more = service.maximum - service.idleTasks;
  const range = `${service.service}: its scaler runs ${service.minimum} to ${service.maximum} tasks`;
  const atMost = service.taskHourly === undefined ? undefined : `at most $${(service.taskHourly * more).toFixed(4)}/h`;
  if (service.idleTasks === 0) return atMost === undefined ? range : `${range}, ${atMost} while all ${more} run`;
  return `${range}; the idle cost counts ${service.idleTasks}, `
    + (atMost === undefined ? `it may start ${more} more` : `the ${more} more it may start ${atMost} on top`);
}

/**
 * `started by OnUpload (each matching event), Sweep (rate(1 hour): 720 runs per 30 days, at least $0.18)`: a
 * schedule's runs at their one-minute minimum, where its expression says how many there are.
 */
export function formatStarters(run: TaskRunCost): string {
  return `started by ${run.startedBy.map(({ starter, when }) => {
    const runs = runsPer30Days(when);
    const minimum = runs === undefined || run.hourly === undefined
      ? ''
      : `: ${runs} runs per 30 days, at least $${(runs * run.hourly / 60).toFixed(2)}`;
    return `${starter} (${when}${minimum})`;
  }).join(', ')}`;
}

/** Whether a schedule, not only events, starts some task: then something runs while nobody uses the lab. */
const scheduled = (cost: LabCost) => cost.taskRuns
  .some((run) => run.startedBy.some(({ when }) => when !== EACH_MATCHING_EVENT));

/** "$0.0163/h, $11.72 per 30 days", the form the lab guides quote. */
export function costSummary(cost: LabCost): string {
  const atLeast = cost.incomplete ? 'at least ' : '';
  return `${atLeast}$${cost.knownHourly.toFixed(4)}/h, `
    + `${atLeast}$${(cost.knownHourly * HOURS_PER_30_DAYS).toFixed(2)} per 30 days`;
}

export function formatCostReport(costs: LabCost[]): string {
  const width = Math.max(...costs.map((cost) => cost.lab.length));
  const out = [`Idle cost per lab, us-east-1 on-demand prices of ${PRICES_AS_OF} (npm run cost):`, ''];
  for (const cost of costs) {
    out.push(`  ${cost.lab.padEnd(width)}  ${costSummary(cost)}${cost.incomplete ? '  (some prices unknown)' : ''}`);
  }
  for (const cost of costs) {
    out.push('', `${cost.lab}`);
    if (cost.lines.length === 0) {
      out.push(`  nothing runs while idle${scheduled(cost) ? ' but the scheduled task runs below' : ''}`);
    }
    for (const line of cost.lines) {
      const label = `${formatQuantity(line.quantity)} x ${line.price.replace(/^[a-z0-9]+:/, '')}`;
      const value = line.hourly === undefined ? 'unknown (no price in the table)' : `$${line.hourly.toFixed(4)}/h`;
      out.push(`  ${label.padEnd(44)} ${value.padStart(12)}   ${line.source}`);
    }
    if (cost.scaledServices.length > 0 || cost.taskRuns.length > 0 || cost.perUse.length > 0) {
      out.push(
        '  pay per use, on top:',
        ...cost.scaledServices.flatMap((service) => [
          `    ${formatScaledTasks(service)}`,
          `      ${formatScaler(service)}`,
        ]),
        ...cost.taskRuns.flatMap((run) => [`    ${formatTaskRun(run)}`, `      ${formatStarters(run)}`]),
        ...cost.perUse.map((key) => `    ${key}: ${PER_USE[key] ?? 'unknown'}`),
      );
    }
  }
  return out.join('\n');
}

function formatQuantity(quantity: number): string {
  return Number.isInteger(quantity) ? String(quantity) : quantity.toFixed(2);
}
