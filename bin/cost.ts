#!/usr/bin/env node
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cdkJsonContext } from '../lib/cdk-json';
import { runCli } from '../lib/cli';
import { costDrivers } from '../lib/cost/drivers';
import { formatCostReport, labCost } from '../lib/cost/report';

const USAGE = `Usage: npm run cost

Prints what each lab costs per hour in us-east-1 while deployed and idle (instances, volumes, public IPv4
addresses, load balancers, Fargate tasks, CloudWatch alarms), with its breakdown and the pay-per-use prices on top,
among them what a task that a rule, a schedule or a scaler starts costs while it runs. It synthesizes
every lab from the working tree first, offline, so the figures are never stale; prices come from the dated table
in lib/cost/prices.ts. Exits 0 with the report.

  --help, -h   show this help`;

/** No arguments but --help; throws with what is allowed. */
export function parseArgs(args: readonly string[]): 'report' | 'help' {
  if (args.includes('--help') || args.includes('-h')) return 'help';
  if (args.length > 0) throw new Error(`npm run cost takes no arguments, got ${args.join(' ')}`);
  return 'report';
}

/** The cost report of every lab, synthesized in-process (as `cdk synth` would, without the validator). */
export function costReport(): string {
  // Loaded here, not at the top: --help and a bad argument answer without loading the CDK app or the AWS SDK.
  const { createApp } = require('./labs') as typeof import('./labs');
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'labs-cost-'));
  try {
    const assembly = createApp({ context: cdkJsonContext(), outdir, builtinCloudFormationValidation: false }).synth();
    return formatCostReport(assembly.stacks.map((stack) => labCost(stack.stackName, costDrivers(stack.template))));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void runCli(USAGE, () => parseArgs(process.argv.slice(2)), () => {
    console.log(costReport());
    return 0;
  });
}
