import type { AwsClients } from '../aws/clients';
import type { StackOutputs } from '../aws/stack-outputs';
import { CannotRunError } from '../cli';
import { describeError, runChecklist } from './checklist';
import { isVerifiedLab, LOCAL_LABS, VERIFIED_LABS } from './verified-labs';
import { loadVerifier } from './verifiers';

export interface VerifyOptions {
  readonly stackName: string;
  readonly aws: AwsClients;
  /** Checks the lab served by `npm run local` at this origin (`http://127.0.0.1:3000`) instead of AWS. */
  readonly localOrigin?: string;
  readonly timeLimitMs: number;
  readonly retryDelayMs: number;
  /** Also wait for the lab's workers to scale back to 0 (SqsWorkersLab). */
  readonly waitScaleIn?: boolean;
  readonly print: (line: string) => void;
}

/** Runs a lab's checks and prints the checklist; resolves true when every check passed. */
export async function verifyLab(options: VerifyOptions): Promise<boolean> {
  const { stackName } = options;
  if (!isVerifiedLab(stackName)) throw new CannotRunError(
    `Unknown lab ${JSON.stringify(stackName)}. Labs: ${VERIFIED_LABS.join(', ')}`);
  if (options.localOrigin !== undefined && !LOCAL_LABS.includes(stackName)) {
    throw new CannotRunError(`--local checks ${LOCAL_LABS.join(', ')} only: npm run local serves no other lab.`);
  }
  const verifier = loadVerifier(stackName);
  const deadline = Date.now() + options.timeLimitMs;
  let aws = options.aws;
  let outputs: StackOutputs;
  if (options.localOrigin !== undefined) {
    // Loaded here: a check of AWS needs none of the local clients.
    const { localLab } = require('./local-lab') as typeof import('./local-lab');
    ({ aws, outputs } = await localLab(
      stackName, options.localOrigin, aws, { deadline, retryDelayMs: options.retryDelayMs }));
    options.print(`Checking ${stackName} served by npm run local at ${options.localOrigin}`);
  } else {
    const { readStackOutputs } = require('../aws/stack-outputs') as typeof import('../aws/stack-outputs');
    outputs = await readStackOutputs(aws.cloudFormation, stackName, verifier.outputs);
    options.print(`Checking ${stackName} in ${await aws.cloudFormation.config.region()} `
      + `(retrying for up to ${Math.round(options.timeLimitMs / 1000)} s while it warms up)`);
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
