#!/usr/bin/env node
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { templateOnlyContext } from '../lib/cdk-json';
import { studentFromEnvironment, studentOption } from '../lib/classroom/class-args';
import { parseLabStackName, STUDENT_NAME_RULE } from '../lib/classroom/student';
import { runCli } from '../lib/cli';
import { costDrivers } from '../lib/cost/drivers';
import { formatCostReport, LabCost, labCost } from '../lib/cost/report';
import type { LabName } from '../lib/lab-names';

/** What --help prints; the guide tests check the guides' commands against it. */
export const USAGE = `Usage: npm run cost [-- --student <name>]

Prints what each lab costs per hour in us-east-1 while deployed and idle (instances, volumes, public IPv4
addresses, load balancers, Fargate tasks, CloudWatch alarms), with its breakdown and the pay-per-use prices on top,
among them what a task that a rule, a schedule or a scaler starts costs while it runs. It synthesizes
every lab from the working tree first, offline, so the figures are never stale; prices come from the dated table
in lib/cost/prices.ts. Exits 0 with the report.

  --student <name>   classroom mode (-c student=<name>): the student's stacks, <name>-<Lab>, which share the
                     class's network instead of having their own (${STUDENT_NAME_RULE}; default: $STUDENT)
  --help, -h         show this help`;

export interface CostArgs {
  /** Set only with --student. */
  readonly student?: string;
}

/** Nothing but --student and --help; throws with what is allowed. */
export function parseArgs(args: readonly string[], env: NodeJS.ProcessEnv = {}): CostArgs | 'help' {
  if (args.includes('--help') || args.includes('-h')) return 'help';
  let student: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--student') student = studentOption(args[++i]);
    else throw new Error(`npm run cost takes only --student <name>, got ${args.slice(i).join(' ')}`);
  }
  student ??= studentFromEnvironment(env);
  return student === undefined ? {} : { student };
}

export interface SynthesizedCostOptions {
  /** Synthesize in classroom mode (context `student`), as that student's deploy would. */
  readonly student?: string;
  /** Only these labs. @default every lab */
  readonly labs?: readonly LabName[];
}

/**
 * The idle cost of every stack of the app, by stack name, synthesized in-process (as `cdk synth` would, without the
 * validator), so the figures are never stale. In classroom mode that includes the class's own stack, if the app has
 * one.
 */
export function synthesizedCosts(options: SynthesizedCostOptions = {}): LabCost[] {
  // Loaded here, not at the top: --help and a bad argument answer without loading the CDK app or the AWS SDK.
  const { createApp } = require('./labs') as typeof import('./labs');
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'labs-cost-'));
  try {
    // No asset is bundled: what a function's code holds costs nothing while idle, and bundling takes most of a synth.
    const context = templateOnlyContext(options.student === undefined ? {} : { student: options.student });
    const assembly = createApp({ context, outdir, builtinCloudFormationValidation: false }, options.labs).synth();
    return assembly.stacks.map((stack) => labCost(stack.stackName, costDrivers(stack.template)));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The cost report of every lab, or of every lab of one student in classroom mode. */
export function costReport(args: CostArgs = {}): string {
  const { student } = args;
  if (student === undefined) return formatCostReport(synthesizedCosts());
  const costs = synthesizedCosts({ student }).filter((cost) => parseLabStackName(cost.lab)?.student === student);
  return `Classroom mode, student ${student}: the stacks ${student}-<Lab>, which use the class's network `
    + '(its own costs are not counted here).\n\n'
    + formatCostReport(costs);
}

if (require.main === module) {
  void runCli(USAGE, () => parseArgs(process.argv.slice(2), process.env), (args) => {
    console.log(costReport(args));
    return 0;
  });
}
