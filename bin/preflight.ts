#!/usr/bin/env node
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cdkJsonContext } from '../lib/cdk-json';
import { runCli } from '../lib/cli';
import { isLabName, LAB_NAMES, type LabName } from '../lib/lab-names';
import type { PreflightTemplate } from '../lib/preflight/lab-needs';

const USAGE = `Usage: npm run preflight -- <LabStack>

Before \`npx cdk deploy <LabStack>\`, checks with read-only AWS calls that your account and region can take the lab:
credentials and region, the services and platform the lab needs, the CDK bootstrap version, the service-linked
roles, the vCPU quotas against what the lab launches at its maximum, and (once deployed) a Beanstalk environment's
platform version; and prints the lab's idle cost. One line per check. Exits 0 when nothing failed, 1 when a check
failed, 2 when it could not check (no credentials, no region).

  <LabStack>   ${LAB_NAMES.join(', ')}

AWS credentials and region come from the usual places: AWS_PROFILE, AWS_REGION, \`aws configure\`, \`aws sso login\`.`;

/** The one lab named on the command line; throws with what is allowed. */
export function parseArgs(args: readonly string[]): LabName | 'help' {
  if (args.includes('--help') || args.includes('-h')) return 'help';
  const unknownOption = args.find((arg) => arg.startsWith('-'));
  if (unknownOption) throw new Error(`unknown option ${unknownOption}`);
  if (args.length === 0) throw new Error('which lab? Name its stack');
  if (args.length > 1) throw new Error(`one lab at a time: got ${args.join(' and ')}`);
  if (!isLabName(args[0])) throw new Error(`unknown lab ${JSON.stringify(args[0])}`);
  return args[0];
}

/** The lab's template as `cdk synth` writes it (without the validator), synthesized in-process so it is never stale. */
function synthesizeLab(lab: LabName): PreflightTemplate {
  const { createApp } = require('./labs') as typeof import('./labs');
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'labs-preflight-'));
  try {
    return createApp({ context: cdkJsonContext(), outdir, builtinCloudFormationValidation: false }, [lab])
      .synth()
      .getStackByName(lab)
      .template;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void runCli(USAGE, () => parseArgs(process.argv.slice(2)), (lab) => {
    // Loaded here, not at the top: --help and a bad argument answer without loading the CDK app or the AWS SDK.
    const { awsClients } = require('../lib/aws/clients') as typeof import('../lib/aws/clients');
    const { runPreflight } = require('../lib/preflight/run-preflight') as
      typeof import('../lib/preflight/run-preflight');
    return runPreflight({
      lab,
      template: () => synthesizeLab(lab),
      aws: awsClients(),
      print: (line) => console.log(line),
    });
  });
}
