#!/usr/bin/env node
import { runCli } from '../lib/cli';

/** What --help prints; the guide tests check the guides' commands against it. */
export const USAGE = `Usage: npm run class -- status

For the instructor of a class that deploys the labs in one account (classroom mode, -c student=<name>).

  status   read-only: every lab stack in the account and region, with its student (- for a lab deployed without
           one), lab, status, age, last deploy, deadline (when deployed with -c ttl=...) and idle cost per hour,
           totals per student and for the class, and the ClassroomSetup stack on a line of its own. The idle costs
           come from the offline cost model (npm run cost), each deployed lab synthesized once. Exits 0 with the
           table, 2 when it could not look (no credentials, no region).

AWS credentials and region come from the usual places: AWS_PROFILE, AWS_REGION, \`aws configure\`, \`aws sso login\`.`;

const COMMANDS = ['status'] as const;
export type ClassCommand = (typeof COMMANDS)[number];

/** The one command named on the command line; throws with what is allowed. */
export function parseArgs(args: readonly string[]): ClassCommand | 'help' {
  if (args.includes('--help') || args.includes('-h')) return 'help';
  const unknownOption = args.find((arg) => arg.startsWith('-'));
  if (unknownOption) throw new Error(`unknown option ${unknownOption}`);
  if (args.length === 0) throw new Error(`which command? ${COMMANDS.join(', ')}`);
  if (args.length > 1 || !(COMMANDS as readonly string[]).includes(args[0])) {
    throw new Error(`unknown command ${JSON.stringify(args.join(' '))}: ${COMMANDS.join(', ')}`);
  }
  return args[0] as ClassCommand;
}

/**
 * Any valid student name: it changes only the names in a classroom-mode template, never what runs, so every
 * student's copy of a lab costs the same and one synth per lab prices them all.
 */
const ANY_STUDENT = 'class-status';

if (require.main === module) {
  void runCli(USAGE, () => parseArgs(process.argv.slice(2)), async () => {
    // Loaded here, not at the top: --help and a bad argument answer without loading the CDK app or the AWS SDK.
    const { awsClients } = require('../lib/aws/clients') as typeof import('../lib/aws/clients');
    const { costsByLab, formatClassStatus, labsToPrice, readClassStatus } = require('../lib/classroom/status') as
      typeof import('../lib/classroom/status');
    const { synthesizedCosts } = require('./cost') as typeof import('./cost');
    const status = await readClassStatus(awsClients().cloudFormation);
    const labs = labsToPrice(status);
    const costs = {
      classroom: costsByLab(labs.classroom.length === 0
        ? []
        : synthesizedCosts({ student: ANY_STUDENT, labs: labs.classroom })),
      withoutStudent: costsByLab(labs.withoutStudent.length === 0
        ? []
        : synthesizedCosts({ labs: labs.withoutStudent })),
    };
    console.log(formatClassStatus(status, costs, new Date()));
    return 0;
  });
}
