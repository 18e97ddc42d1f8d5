#!/usr/bin/env node
import { LABS } from './labs';
import { CannotRunError } from '../lib/aws/errors';
import { findLeftovers, leftoverClients } from '../lib/leftovers/find-leftovers';
import { formatLeftovers, hasLeftovers } from '../lib/leftovers/report';

const USAGE = `Usage: npm run leftovers -- <LabStack>

After \`npx cdk destroy <LabStack>\`, lists what the lab left in the account: resources still tagged lab=<LabStack>,
log groups named after its resources, the AMIs and snapshots of the EC2 lab's AMI step; and the shared resources
it used, which are not its own. Exits 0 when nothing of the lab's remains, 1 when something does, 2 when it could
not look (no credentials, no region).

  <LabStack>   ${Object.keys(LABS).join(', ')}`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return;
  }
  if (args.length !== 1 || !(args[0] in LABS)) {
    console.error(`${args.length === 0 ? 'which lab? Name its stack' : `unknown lab ${JSON.stringify(args.join(' '))}`}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  try {
    const report = await findLeftovers(args[0], leftoverClients());
    console.log(formatLeftovers(report));
    process.exitCode = hasLeftovers(report) ? 1 : 0;
  } catch (error) {
    if (!(error instanceof CannotRunError)) throw error;
    console.error(error.message);
    process.exitCode = 2;
  }
}

if (require.main === module) {
  void main();
}
