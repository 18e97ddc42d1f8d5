#!/usr/bin/env node
import * as fs from 'fs';
import { BenchSection, formatRow } from '../lib/bench/measure';
import { runCli } from '../lib/cli';

/** What --help prints; the guide tests check the guides' commands against it. */
export const USAGE = `Usage: npm run bench [-- --help]

Measures, on this machine, and prints each figure with the target it is held to; exits 1 if one is missed:
  the users function   bundle size, module init in a fresh Node.js process (as Lambda loads it: import() of the
                       ES module, SDK clients created at load), handler overhead per request beyond its DynamoDB call
  the app              whole-app \`cdk synth\` with and without the validator, and \`npm test\`, each also as a ratio
                       to the floor: a bare aws-cdk-lib app with the same resources (lib/bench/floor-app.ts)
Takes several minutes and most of the machine: run it on an otherwise idle machine.

  --help    show this help`;

/** Sections in the order they run; each prints its figures with the target it is held to. */
function sections(): BenchSection[] {
  // Loaded here, not at the top: --help and a bad argument answer without loading the CDK app or the AWS SDK.
  const { synthesizeLab } = require('./local') as typeof import('./local');
  const { appBench } = require('../lib/bench/app-bench') as typeof import('../lib/bench/app-bench');
  const { bundleIn, usersFunctionBench } = require('../lib/bench/users-function-bench') as
    typeof import('../lib/bench/users-function-bench');
  return [
    usersFunctionBench(() => {
      const { assemblyDir } = synthesizeLab();
      return { file: bundleIn(assemblyDir), cleanup: () => fs.rmSync(assemblyDir, { recursive: true, force: true }) };
    }),
    appBench,
  ];
}

/** Parses the command line: only --help. */
export function parseArgs(args: readonly string[]): 'run' | 'help' {
  if (args.includes('--help') || args.includes('-h')) return 'help';
  if (args.length > 0) throw new Error(`unknown option ${args[0]}`);
  return 'run';
}

async function bench(): Promise<number> {
  // The handler's overhead is measured in this process, which loads the AWS SDK: on Node.js 20 it warns, twice, that
  // its releases from 2027 need Node.js 22. README says which versions the project supports; the function runs 24.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  let missed = 0;
  for (const section of sections()) {
    console.log(`\n${section.title}`);
    for (const row of await section.run()) {
      console.log(formatRow(row));
      if (row.target !== undefined && row.value > row.target) missed++;
    }
  }
  console.log(missed === 0 ? '\nAll targets met.' : `\n${missed} target(s) missed.`);
  return missed === 0 ? 0 : 1;
}

if (require.main === module) {
  void runCli(USAGE, () => parseArgs(process.argv.slice(2)), bench);
}
