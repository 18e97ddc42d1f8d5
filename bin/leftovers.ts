#!/usr/bin/env node
import { studentFromEnvironment, studentOption } from '../lib/classroom/class-args';
import { STUDENT_NAME_RULE } from '../lib/classroom/student';
import { runCli } from '../lib/cli';
import { isLabName, LAB_NAMES, type LabName } from '../lib/lab-names';

/** What --help prints; the guide tests check the guides' commands against it. */
export const USAGE = `Usage: npm run leftovers -- <LabStack> [--student <name>]

After \`npx cdk destroy <LabStack>\`, lists what the lab left in the account: resources still tagged lab=<LabStack>,
log groups named after its resources (and API Gateway's /aws/apigateway/welcome for the users API), the AMIs and
snapshots of the EC2 lab's AMI step; and the shared resources it used, which are not its own (the CDK bootstrap
stack, service-linked roles, Beanstalk's bucket). In a class, the remains of the students' copies are listed by
student. Exits 0 when nothing of the lab's remains, 1 when something does, 2 when it could not look (no
credentials, no region).

  <LabStack>   ${LAB_NAMES.join(', ')}
  --student <name>
               classroom mode: only what is left of that student's copy, the stack <name>-<LabStack>: resources
               tagged lab=<LabStack> and student=<name>, log groups named after the stack
               (${STUDENT_NAME_RULE}; default: $STUDENT)`;

export interface LeftoversArgs {
  readonly lab: LabName;
  /** Set only with --student. */
  readonly student?: string;
}

/** The one lab named on the command line, and the student; throws with what is allowed. */
export function parseArgs(args: readonly string[], env: NodeJS.ProcessEnv = {}): LeftoversArgs | 'help' {
  if (args.includes('--help') || args.includes('-h')) return 'help';
  const labs: string[] = [];
  let student: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--student') student = studentOption(args[++i]);
    else if (args[i].startsWith('-')) throw new Error(`unknown option ${args[i]}`);
    else labs.push(args[i]);
  }
  if (labs.length === 0) throw new Error('which lab? Name its stack');
  if (labs.length > 1 || !isLabName(labs[0])) throw new Error(`unknown lab ${JSON.stringify(labs.join(' '))}`);
  student ??= studentFromEnvironment(env);
  return { lab: labs[0], ...(student === undefined ? {} : { student }) };
}

if (require.main === module) {
  void runCli(USAGE, () => parseArgs(process.argv.slice(2), process.env), async ({ lab, student }) => {
    // Loaded here, not at the top: --help and a bad argument answer without loading the CDK app or the AWS SDK.
    const { awsClients } = require('../lib/aws/clients') as typeof import('../lib/aws/clients');
    const { findLeftovers } = require('../lib/leftovers/find-leftovers') as
      typeof import('../lib/leftovers/find-leftovers');
    const { formatLeftovers, hasLeftovers } = require('../lib/leftovers/report') as
      typeof import('../lib/leftovers/report');
    const report = await findLeftovers(lab, awsClients(), { student });
    console.log(formatLeftovers(report));
    return hasLeftovers(report) ? 1 : 0;
  });
}
