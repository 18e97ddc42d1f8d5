#!/usr/bin/env node
import { studentFromEnvironment, studentOption } from '../lib/classroom/class-args';
import { STUDENT_NAME_RULE } from '../lib/classroom/student';
import { runCli } from '../lib/cli';
import { parsePort } from '../lib/local/port';
import { isVerifiedLab, LOCAL_LABS, VERIFIED_LABS } from '../lib/verify/verified-labs';

/** What --help prints; the guide tests check the guides' commands against it. */
export const USAGE = `Usage: npm run verify -- <LabStack> [--student <name> | --local [--port N]] [--time-limit SECONDS]
       [--wait-scale-in]

Checks a deployed lab the way its guide's "see it work" steps do, retrying while it warms up, and prints one line
per check. Exits 0 when every check passed, 1 when one failed, 2 when it could not check (no credentials, the
stack is not deployed or still deploying). A stack deployed with a time-to-live (-c ttl=...) also gets a line with
the time left before it deletes itself.

  <LabStack>           ${VERIFIED_LABS.join(', ')}
  --student <name>     classroom mode: check that student's copy, the stack <name>-<LabStack>
                       (${STUDENT_NAME_RULE}; default: $STUDENT, but not with --local)
  --local              check the lab that \`npm run local\` serves instead of AWS (${LOCAL_LABS.join(', ')})
  --port N             with --local: its port, for S3UploadsLab its S3 port (DynamoDB is the next one)
                       (default: $PORT, else 3000)
  --time-limit S       stop retrying after S seconds (default: 600, 1200 with --wait-scale-in, 60 with --local)
  --wait-scale-in      SqsWorkersLab: also wait until the scaler has stopped every worker again (5 minutes or more
                       after the queue empties)

AWS credentials and region come from the usual places: AWS_PROFILE, AWS_REGION, \`aws configure\`, \`aws sso login\`.`;

export interface VerifyArgs {
  /** The lab, by its own stack name. */
  readonly stackName: string;
  /** Set only with --student: the stack checked is `<student>-<stackName>`. */
  readonly student?: string;
  readonly localOrigin?: string;
  readonly timeLimitMs: number;
  /** Set (true) only with --wait-scale-in. */
  readonly waitScaleIn?: true;
}

/** The one lab whose workers scale back to zero, which --wait-scale-in waits for. */
const SCALES_TO_ZERO = 'SqsWorkersLab';

/** Parses the command line; throws with a message that says what is allowed. */
export function parseArgs(args: readonly string[], env: NodeJS.ProcessEnv): VerifyArgs | 'help' {
  let stackName: string | undefined;
  let local = false;
  let port = env.PORT;
  let timeLimit: string | undefined;
  let waitScaleIn = false;
  let student: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') return 'help';
    else if (arg === '--local') local = true;
    else if (arg === '--port') port = args[++i];
    else if (arg === '--time-limit') timeLimit = args[++i];
    else if (arg === '--wait-scale-in') waitScaleIn = true;
    else if (arg === '--student') student = studentOption(args[++i]);
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else if (stackName === undefined) stackName = arg;
    else throw new Error(`one lab at a time: got ${stackName} and ${arg}`);
  }
  if (stackName === undefined) throw new Error('which lab? Name its stack');
  if (!isVerifiedLab(stackName)) throw new Error(`unknown lab ${JSON.stringify(stackName)}`);
  // The environment's STUDENT is for AWS; npm run local has no student, so --local leaves it aside.
  if (!local) student ??= studentFromEnvironment(env);
  if (local && student !== undefined) {
    throw new Error('--student names a student\'s stack in AWS, and --local checks npm run local on this machine, '
      + 'which has no student: use one or the other');
  }
  if (waitScaleIn && (stackName !== SCALES_TO_ZERO || local)) {
    throw new Error(`--wait-scale-in is for ${SCALES_TO_ZERO} in AWS, whose workers scale back to 0, got ${stackName}`
      + `${local ? ' --local' : ''}`);
  }
  if (timeLimit !== undefined && !/^\d+$/.test(timeLimit)) {
    throw new Error(`--time-limit must be a whole number of seconds, got ${JSON.stringify(timeLimit)}`);
  }
  return {
    stackName,
    ...(student !== undefined ? { student } : {}),
    localOrigin: local ? `http://127.0.0.1:${parsePort(port)}` : undefined,
    timeLimitMs: 1000 * Number(timeLimit ?? (local ? 60 : waitScaleIn ? 1200 : 600)),
    ...(waitScaleIn ? { waitScaleIn: true } : {}),
  };
}

if (require.main === module) {
  void runCli(USAGE, () => parseArgs(process.argv.slice(2), process.env), async (args) => {
    // Loaded here, not at the top: --help and a bad argument answer without loading the CDK app or the AWS SDK.
    const { awsClients } = require('../lib/aws/clients') as typeof import('../lib/aws/clients');
    const { verifyLab } = require('../lib/verify/verify-lab') as typeof import('../lib/verify/verify-lab');
    const passed = await verifyLab({
      ...args,
      aws: awsClients(),
      retryDelayMs: args.localOrigin ? 1_000 : 5_000,
      print: (line) => console.log(line),
    });
    return passed ? 0 : 1;
  });
}
