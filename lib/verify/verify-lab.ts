import type { AwsClients } from '../aws/clients';
import type { StackOutputs } from '../aws/stack-outputs';
import { CannotRunError } from '../cli';
import { deadlineState } from '../classroom/class-time';
import { DEADLINE_OUTPUT, labStackName } from '../classroom/student';
import { describeError, runChecklist } from './checklist';
import { isVerifiedLab, LOCAL_LABS, VERIFIED_LABS } from './verified-labs';
import { loadVerifier } from './verifiers';

export interface VerifyOptions {
  /** The lab, by its own stack name (`LambdaUsersLab`). */
  readonly stackName: string;
  /** Checks this student's copy of the lab, the stack `<student>-<Lab>` (classroom mode); never with localOrigin. */
  readonly student?: string;
  readonly aws: AwsClients;
  /** Checks the lab served by `npm run local` at this origin (`http://127.0.0.1:3000`) instead of AWS. */
  readonly localOrigin?: string;
  readonly timeLimitMs: number;
  readonly retryDelayMs: number;
  /** Also wait for the lab's workers to scale back to 0 (SqsWorkersLab). */
  readonly waitScaleIn?: boolean;
  readonly print: (line: string) => void;
  /** The clock the time left before the stack's deadline is counted on. @default the system's */
  readonly now?: () => Date;
}

/** Runs a lab's checks and prints the checklist; resolves true when every check passed. */
export async function verifyLab(options: VerifyOptions): Promise<boolean> {
  const lab = options.stackName;
  if (!isVerifiedLab(lab)) throw new CannotRunError(
    `Unknown lab ${JSON.stringify(lab)}. Labs: ${VERIFIED_LABS.join(', ')}`);
  if (options.localOrigin !== undefined && !LOCAL_LABS.includes(lab)) {
    throw new CannotRunError(`--local checks ${LOCAL_LABS.join(', ')} only: npm run local serves no other lab.`);
  }
  if (options.localOrigin !== undefined && options.student !== undefined) {
    throw new CannotRunError('--local checks the lab npm run local serves, which belongs to no student: '
      + 'leave out --student to check the local run, or --local to check the student\'s stack in AWS.');
  }
  // The verifier is the lab's; the stack it reads is the student's copy in classroom mode.
  const verifier = loadVerifier(lab);
  const stackName = labStackName(lab, options.student);
  const deadline = Date.now() + options.timeLimitMs;
  let aws = options.aws;
  let outputs: StackOutputs;
  if (options.localOrigin !== undefined) {
    // Loaded here: a check of AWS needs none of the local clients.
    const { localLab } = require('./local-lab') as typeof import('./local-lab');
    ({ aws, outputs } = await localLab(
      lab, options.localOrigin, aws, { deadline, retryDelayMs: options.retryDelayMs }));
    options.print(`Checking ${stackName} served by npm run local at ${options.localOrigin}`);
  } else {
    const { readStackOutputs } = require('../aws/stack-outputs') as typeof import('../aws/stack-outputs');
    outputs = await readStackOutputs(aws.cloudFormation, stackName, verifier.outputs);
    options.print(`Checking ${stackName} in ${await aws.cloudFormation.config.region()} `
      + `(retrying for up to ${Math.round(options.timeLimitMs / 1000)} s while it warms up)`);
    const deadlineOutput = outputs[DEADLINE_OUTPUT];
    if (deadlineOutput !== undefined) {
      options.print(timeLeftLine(stackName, deadlineOutput, options.now?.() ?? new Date()));
    }
  }

  const { checks, cleanUp } = verifier.checks({ stackName, outputs, aws, waitScaleIn: options.waitScaleIn });
  let results;
  try {
    results = await runChecklist(checks, {
      timeLimitMs: deadline - Date.now(),
      retryDelayMs: options.retryDelayMs,
      print: options.print,
    });
  } finally {
    const done = await cleanUp?.().catch((error) => `clean-up failed: ${describeError(error)}`);
    if (done) options.print(`Clean-up: ${done}`);
  }
  const passed = results.filter((result) => result.passed).length;
  options.print(`${passed} of ${results.length} checks passed.`);
  return passed === results.length;
}

/**
 * `INFO  time left: 1 h 12 min (deletes itself at 2026-11-28T07:30:00Z)`, for a stack deployed with a time-to-live;
 * a WARN once the deadline has passed (the stack should be deleting itself) or when the output is not a time.
 */
export function timeLeftLine(stackName: string, deadline: string, now: Date): string {
  const state = deadlineState(deadline, now);
  switch (state.state) {
    case 'left':
      return `INFO  time left: ${state.left} (deletes itself at ${deadline})`;
    case 'passed':
      return `WARN  time left: none, the deadline ${deadline} passed ${state.ago} ago: the stack deletes itself `
        + 'within minutes of it; if it is still here later, its events say why '
        + `(aws cloudformation describe-stack-events --stack-name ${stackName})`;
    case 'unreadable':
      return `WARN  time left: unknown, the ${DEADLINE_OUTPUT} output ${JSON.stringify(deadline)} is not a UTC time `
        + 'such as 2026-11-28T07:30:00Z';
  }
}
