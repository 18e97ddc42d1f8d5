import {
  CloudFormationClient, paginateListStacks, type StackSummary,
} from '@aws-sdk/client-cloudformation';
import { explainAwsError } from '../aws/errors';
import { describeStack } from '../aws/stack-outputs';
import type { LabCost } from '../cost/report';
import type { LabName } from '../lab-names';
import { deadlineState, formatDuration } from './class-time';
import { CLASSROOM_SETUP_STACK, DEADLINE_OUTPUT, parseLabStackName } from './student';

/** A lab's stack in the account: a student's copy, or the lab deployed without a student. */
export interface ClassStack {
  readonly stackName: string;
  readonly lab: LabName;
  /** Left out for a lab deployed without `-c student`. */
  readonly student?: string;
  readonly status: string;
  readonly created: Date;
  /** The last deploy: the last update, or the creation when there was none. */
  readonly deployed: Date;
  /** The `Deadline` output of a stack deployed with a time-to-live. */
  readonly deadline?: string;
}

export interface ClassStatus {
  readonly region: string;
  /** By student (the labs deployed without a student last), then by lab. */
  readonly stacks: ClassStack[];
  /** The class's own stack, when it is deployed. */
  readonly setup?: Pick<ClassStack, 'stackName' | 'status' | 'created' | 'deployed'>;
}

/** How many stacks are described at once: DescribeStacks is throttled at a few calls per second. */
const DESCRIBE_AT_ONCE = 4;

/**
 * Every lab stack in the account and region (the names parseLabStackName recognises; nested stacks and deleted ones
 * left out), with its deadline, and the ClassroomSetup stack. Read-only: ListStacks, then DescribeStacks for the lab
 * stacks' outputs. An error about the caller's set-up becomes a CannotRunError that says what to do.
 */
export async function readClassStatus(cloudFormation: CloudFormationClient): Promise<ClassStatus> {
  try {
    const region = await cloudFormation.config.region();
    const summaries: StackSummary[] = [];
    for await (const page of paginateListStacks({ client: cloudFormation }, {})) {
      summaries.push(...(page.StackSummaries ?? [])
        .filter((stack) => stack.StackStatus !== 'DELETE_COMPLETE' && stack.ParentId === undefined));
    }
    const labStacks = summaries.flatMap((summary) => {
      const parsed = parseLabStackName(summary.StackName ?? '');
      return parsed ? [{ summary, ...parsed }] : [];
    });
    const describe = async ({ summary, lab, student }: (typeof labStacks)[number]): Promise<ClassStack> => {
      // Gone between the two calls (a self-deletion finishing): no outputs, the rest as listed.
      const described = await describeStack(cloudFormation, summary.StackName!);
      const deadline = described?.Outputs?.find((output) => output.OutputKey === DEADLINE_OUTPUT)?.OutputValue;
      return {
        ...times(summary),
        lab,
        ...student === undefined ? {} : { student },
        ...deadline === undefined ? {} : { deadline },
      };
    };
    const stacks: ClassStack[] = [];
    for (let i = 0; i < labStacks.length; i += DESCRIBE_AT_ONCE) {
      stacks.push(...await Promise.all(labStacks.slice(i, i + DESCRIBE_AT_ONCE).map(describe)));
    }
    const setup = summaries.find((summary) => summary.StackName === CLASSROOM_SETUP_STACK);
    return { region, stacks: stacks.sort(byStudentThenLab), ...setup ? { setup: times(setup) } : {} };
  } catch (error) {
    throw explainAwsError(error);
  }
}

function times(summary: StackSummary): Pick<ClassStack, 'stackName' | 'status' | 'created' | 'deployed'> {
  return {
    stackName: summary.StackName!,
    status: summary.StackStatus ?? 'UNKNOWN',
    created: summary.CreationTime!,
    deployed: summary.LastUpdatedTime ?? summary.CreationTime!,
  };
}

/** Students by name, the labs deployed without a student after them; then labs by name. */
function byStudentThenLab(a: ClassStack, b: ClassStack): number {
  if (a.student !== b.student) {
    if (a.student === undefined) return 1;
    if (b.student === undefined) return -1;
    return a.student.localeCompare(b.student);
  }
  return a.lab.localeCompare(b.lab);
}

/**
 * Each lab's idle cost from the offline cost model (lib/cost), by lab name: in classroom mode for the students'
 * stacks (they share the class's network), as deployed without a student for the others (their own network).
 */
export interface IdleCosts {
  readonly classroom: ReadonlyMap<string, LabCost>;
  readonly withoutStudent: ReadonlyMap<string, LabCost>;
}

/** The labs whose idle cost the status needs, in each mode: each synthesized once, not once per stack. */
export function labsToPrice(status: ClassStatus): { classroom: LabName[]; withoutStudent: LabName[] } {
  const labs = (students: boolean) => [...new Set(status.stacks
    .filter((stack) => (stack.student !== undefined) === students)
    .map((stack) => stack.lab))].sort();
  return { classroom: labs(true), withoutStudent: labs(false) };
}

/**
 * Costs by stack name (as lib/cost reports them: `alice-LambdaUsersLab`, `LambdaUsersLab`) to costs by lab name; the
 * stacks of no lab left out. A student's name changes the names in a template, never what runs, so any student's
 * copy gives every student's figure.
 */
export function costsByLab(costs: readonly LabCost[]): Map<string, LabCost> {
  return new Map(costs.flatMap((cost): Array<[string, LabCost]> => {
    const lab = parseLabStackName(cost.lab)?.lab;
    return lab === undefined ? [] : [[lab, cost]];
  }));
}

/**
 * Statuses in which nothing of the stack runs, so nothing costs: a first deploy rolled back (its resources deleted),
 * or a stack that holds only a change set.
 */
const NOTHING_DEPLOYED = new Set(['ROLLBACK_COMPLETE', 'REVIEW_IN_PROGRESS']);

/** An idle cost per hour, or a lower bound when the price table lacks a price. */
interface Hourly {
  readonly usd: number;
  readonly atLeast: boolean;
}

const sum = (hourlies: readonly Hourly[]): Hourly => ({
  usd: hourlies.reduce((total, hourly) => total + hourly.usd, 0),
  atLeast: hourlies.some((hourly) => hourly.atLeast),
});
const formatHourly = (hourly: Hourly) => `${hourly.atLeast ? 'at least ' : ''}$${hourly.usd.toFixed(4)}/h`;

/**
 * The status as an instructor reads it: one line per lab stack (student, lab, status, age, last deploy, deadline,
 * idle $/h), totals per student and for the class, and the ClassroomSetup stack on a line of its own. `now` is the
 * clock ages and deadlines are counted on.
 */
export function formatClassStatus(status: ClassStatus, costs: IdleCosts, now: Date): string {
  const out: string[] = [];
  if (status.stacks.length === 0) {
    out.push(`No lab stacks in ${status.region}.`);
  } else {
    const hourlies = status.stacks.map((stack) => idleHourly(stack, costs));
    const rows = status.stacks.map((stack, i) => [
      stack.student ?? '-',
      stack.lab,
      stack.status,
      formatDuration(now.getTime() - stack.created.getTime()),
      `${formatDuration(now.getTime() - stack.deployed.getTime())} ago`,
      stack.deadline === undefined ? '-' : formatDeadline(stack.deadline, now),
      hourlies[i] === undefined ? '-' : formatHourly(hourlies[i]!),
    ]);
    out.push(`Lab stacks in ${status.region} at ${now.toISOString().replace(/\.\d{3}Z$/, 'Z')}:`, '',
      ...table(['student', 'lab', 'status', 'age', 'last deploy', 'deadline', 'idle $/h'], rows));

    const groups = new Map<string, Hourly[]>();
    status.stacks.forEach((stack, i) => {
      const group = stack.student ?? '-';
      groups.set(group, [...groups.get(group) ?? [], ...hourlies[i] === undefined ? [] : [hourlies[i]!]]);
    });
    const stackCount = (student: string) => status.stacks.filter((stack) => (stack.student ?? '-') === student).length;
    const students = [...groups.keys()].filter((student) => student !== '-');
    out.push('', 'Per student (- stands for the labs deployed without a student):', ...table(
      ['student', 'stacks', 'idle'],
      [...groups.entries()].map(([student, group]) => [student, String(stackCount(student)), formatHourly(sum(group))]),
    ));
    const all = sum(hourlies.flatMap((hourly) => hourly ?? []));
    out.push('', `Class: ${plural(status.stacks.length, 'lab stack')} of ${plural(students.length, 'student')}`
      + `${groups.has('-') ? ' and the labs deployed without one' : ''}, idle ${formatHourly(all)} `
      + `(${all.atLeast ? 'at least ' : ''}$${(all.usd * 24).toFixed(2)} per day).`);
    if (hourlies.some((hourly) => hourly === undefined)) {
      out.push('(- in idle $/h: nothing of the stack is deployed, or its lab has no figure; not counted.)');
    }
  }
  out.push('', formatSetup(status, now));
  return out.join('\n');
}

/** The stack's lab's idle cost in its mode, or undefined when nothing of it runs or there is no figure. */
function idleHourly(stack: ClassStack, costs: IdleCosts): Hourly | undefined {
  if (NOTHING_DEPLOYED.has(stack.status)) return undefined;
  const cost = (stack.student === undefined ? costs.withoutStudent : costs.classroom).get(stack.lab);
  return cost === undefined ? undefined : { usd: cost.knownHourly, atLeast: cost.incomplete };
}

/** `2026-11-28T07:30:00Z (1 h 12 min left)`, `... (passed 3 min ago)`, or the value marked unreadable. */
function formatDeadline(deadline: string, now: Date): string {
  const state = deadlineState(deadline, now);
  switch (state.state) {
    case 'left': return `${deadline} (${state.left} left)`;
    case 'passed': return `${deadline} (passed ${state.ago} ago)`;
    case 'unreadable': return `${JSON.stringify(deadline)} (not a UTC time)`;
  }
}

function formatSetup(status: ClassStatus, now: Date): string {
  const { setup } = status;
  if (!setup) {
    return `${CLASSROOM_SETUP_STACK}: not deployed in ${status.region} (the students' stacks use its network)`;
  }
  return `${CLASSROOM_SETUP_STACK}: ${setup.status}, age ${formatDuration(now.getTime() - setup.created.getTime())}, `
    + `last deploy ${formatDuration(now.getTime() - setup.deployed.getTime())} ago`;
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** Columns padded to their widest cell, two spaces apart; the last one not padded. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  return [header, ...rows].map((row) => row
    .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column])))
    .join('  ')
    .trimEnd());
}
