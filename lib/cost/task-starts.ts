import { CfnResourceJson, CfnTemplate, resourcesOfType } from '../template/cfn-template';
import { HOURS_PER_30_DAYS } from './prices';

/** What starts a task: a rule on events, or a schedule. */
export const EACH_MATCHING_EVENT = 'each matching event';

/** What an hour of one Fargate task costs depends on: its architecture, its size and its public IPv4 address. */
export interface FargateTask {
  readonly architecture: 'arm64' | 'x86';
  /** vCPUs of one task; NaN when the template does not say (a parameter, say). */
  readonly vcpu: number;
  /** GB of memory of one task; NaN when the template does not say. */
  readonly memoryGb: number;
  /** Whether each task gets a public IPv4 address (AssignPublicIp ENABLED). */
  readonly publicIp: boolean;
}

/** A Fargate task that an EventBridge rule's target or an EventBridge Scheduler schedule starts. */
export interface FargateTaskStart extends FargateTask {
  /** The logical id of the rule or schedule. */
  readonly starter: string;
  /** When it starts the task: `each matching event`, or the rule's or schedule's expression (`rate(1 hour)`). */
  readonly when: string;
  /** The logical id of the task definition. */
  readonly taskDefinition: string;
  /** Tasks started each time (EcsParameters.TaskCount, 1 when not given). */
  readonly taskCount: number;
}

/**
 * The Fargate tasks the template's EventBridge rules and Scheduler schedules start: every target with EcsParameters
 * on Fargate (its launch type, or a FARGATE capacity provider) whose TaskDefinitionArn is a Ref to a task definition
 * of this template, whose size it reads. Nothing of these runs until an event or the schedule starts it.
 */
export function fargateTaskStarts(template: CfnTemplate): FargateTaskStart[] {
  const starts: FargateTaskStart[] = [];
  for (const [id, rule] of resourcesOfType(template, 'AWS::Events::Rule')) {
    const when = rule.Properties?.ScheduleExpression ?? EACH_MATCHING_EVENT;
    for (const target of rule.Properties?.Targets ?? []) {
      const start = taskStart(template, id, when, target?.EcsParameters);
      if (start) starts.push(start);
    }
  }
  for (const [id, schedule] of resourcesOfType(template, 'AWS::Scheduler::Schedule')) {
    const start = taskStart(template, id, String(schedule.Properties?.ScheduleExpression ?? 'its schedule'),
      schedule.Properties?.Target?.EcsParameters);
    if (start) starts.push(start);
  }
  return starts;
}

function taskStart(template: CfnTemplate, starter: string, when: string, ecs: any): FargateTaskStart | undefined {
  if (ecs === undefined || ecs === null) return undefined;
  const fargate = ecs.LaunchType === 'FARGATE'
    || (ecs.CapacityProviderStrategy ?? []).some((s: any) => String(s.CapacityProvider).startsWith('FARGATE'));
  const taskDefinition = ecs.TaskDefinitionArn?.Ref;
  const task: CfnResourceJson | undefined = typeof taskDefinition === 'string'
    ? template.Resources?.[taskDefinition]
    : undefined;
  if (!fargate || task?.Type !== 'AWS::ECS::TaskDefinition') return undefined;
  // EventBridge spells it AwsVpcConfiguration, Scheduler AwsvpcConfiguration.
  const network = ecs.NetworkConfiguration?.AwsVpcConfiguration ?? ecs.NetworkConfiguration?.AwsvpcConfiguration;
  return {
    starter,
    when,
    taskDefinition: taskDefinition as string,
    ...fargateTask(task, network?.AssignPublicIp),
    taskCount: Number(ecs.TaskCount ?? 1),
  };
}

/**
 * One task of a task definition, as a rule, a schedule or a service runs it: its architecture (x86 unless ARM64) and
 * size from the task definition, its public IPv4 from the AssignPublicIp of whatever runs it.
 */
export function fargateTask(taskDefinition: CfnResourceJson | undefined, assignPublicIp: unknown): FargateTask {
  const props = taskDefinition?.Properties ?? {};
  return {
    architecture: props.RuntimePlatform?.CpuArchitecture === 'ARM64' ? 'arm64' : 'x86',
    vcpu: size(props.Cpu),
    memoryGb: size(props.Memory),
    publicIp: assignPublicIp === 'ENABLED',
  };
}

/** CPU units or MiB, as written in a task definition, in vCPUs or GB; NaN for anything but a number. */
function size(value: unknown): number {
  return (typeof value === 'string' || typeof value === 'number') && /^\d+$/.test(String(value))
    ? Number(value) / 1024
    : NaN;
}

const RATE = /^rate\((\d+) (minute|hour|day)s?\)$/;
const UNIT_HOURS: Readonly<Record<string, number>> = { minute: 1 / 60, hour: 1, day: 24 };

/**
 * How often a `rate(...)` expression of EventBridge or Scheduler fires in 30 days: `rate(1 hour)` 720 times. Undefined
 * for anything else (a cron or one-time expression, an event), whose count the template does not say.
 */
export function runsPer30Days(when: string): number | undefined {
  const rate = RATE.exec(when);
  if (!rate || Number(rate[1]) < 1) return undefined;
  return Math.floor(HOURS_PER_30_DAYS / (Number(rate[1]) * UNIT_HOURS[rate[2]]));
}
