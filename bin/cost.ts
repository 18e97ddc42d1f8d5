#!/usr/bin/env node
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createApp } from './labs';
import { cdkJsonContext } from '../lib/cdk-json';
import { costDrivers } from '../lib/cost/drivers';
import { formatCostReport, labCost } from '../lib/cost/report';

// Synthesizes the labs in-process (as `cdk synth` would, without the validator) so the report is never stale.
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'labs-cost-'));
try {
  const assembly = createApp({ context: cdkJsonContext(), outdir, builtinCloudFormationValidation: false }).synth();
  const costs = assembly.stacks.map((stack) => labCost(stack.stackName, costDrivers(stack.template)));
  console.log(formatCostReport(costs));
} finally {
  fs.rmSync(outdir, { recursive: true, force: true });
}
