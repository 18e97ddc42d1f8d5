#!/usr/bin/env node
import { runCli } from '../lib/cli';
import { isLabName, LAB_NAMES } from '../lib/lab-names';

const USAGE = `Usage: npm run leftovers -- <LabStack>

After \`npx cdk destroy <LabStack>\`, lists what the lab left in the account: resources still tagged lab=<LabStack>,
log groups named after its resources (and API Gateway's /aws/apigateway/welcome for the users API), the AMIs and
snapshots of the EC2 lab's AMI step; and the shared resources it used, which are not its own (the CDK bootstrap
stack, service-linked roles, Beanstalk's bucket). Exits 0 when nothing of the lab's remains, 1 when something
does, 2 when it could not look (no credentials, no region).

  <LabStack>   ${LAB_NAMES.join(', ')}`;

/** The one lab named on the command line; throws with what is allowed. */
export function parseArgs(args: readonly string[]): string | 'help' {
  if (args.includes('--help') || args.includes('-h')) return 'help';
  if (args.length === 0) throw new Error('which lab? Name its stack');
  if (args.length > 1 || !isLabName(args[0])) throw new Error(`unknown lab ${JSON.stringify(args.join(' '))}`);
  return args[0];
}

if (require.main === module) {
  void runCli(USAGE, () => parseArgs(process.argv.slice(2)), async (lab) => {
    // Loaded here, not at the top: --help and a bad argument answer without loading the CDK app or the AWS SDK.
    const { awsClients } = require('../lib/aws/clients') as typeof import('../lib/aws/clients');
    const { findLeftovers } = require('../lib/leftovers/find-leftovers') as
      typeof import('../lib/leftovers/find-leftovers');
    const { formatLeftovers, hasLeftovers } = require('../lib/leftovers/report') as
      typeof import('../lib/leftovers/report');
    const report = await findLeftovers(lab, awsClients());
    console.log(formatLeftovers(report));
    return hasLeftovers(report) ? 1 : 0;
  });
}
