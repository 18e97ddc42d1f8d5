import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import type { AwsClients } from '../aws/clients';
import { CannotRunError } from '../cli';
import { readStackOutputs, StackOutputs } from '../aws/stack-outputs';
import { describeError, runChecklist } from './checklist';
import { LabVerifier } from './lab-verifier';
import { beanstalkAppVerifier } from './labs/beanstalk-app';
import { ec2AsgAlbVerifier } from './labs/ec2-asg-alb';
import { ec2WebServerVerifier } from './labs/ec2-web-server';
import { fargateServiceVerifier } from './labs/fargate-service';
import { lambdaUsersVerifier } from './labs/lambda-users';
import { s3UploadsVerifier } from './labs/s3-uploads';
import { LOCAL_LABS, type VerifiedLab } from './verified-labs';

export { LOCAL_LABS };

/** The checks of each lab, by stack name. */
export const VERIFIERS: Readonly<Record<string, LabVerifier>> = {
  Ec2WebServerLab: ec2WebServerVerifier,
  Ec2AsgAlbLab: ec2AsgAlbVerifier,
  LambdaUsersLab: lambdaUsersVerifier,
  FargateServiceLab: fargateServiceVerifier,
  BeanstalkAppLab: beanstalkAppVerifier,
  S3UploadsLab: s3UploadsVerifier,
} satisfies Record<VerifiedLab, LabVerifier>;

export interface VerifyOptions {
  readonly stackName: string;
  readonly aws: AwsClients;
  /** Checks the lab served by `npm run local` at this origin (`http://127.0.0.1:3000`) instead of AWS. */
  readonly localOrigin?: string;
  readonly timeLimitMs: number;
  readonly retryDelayMs: number;
  readonly print: (line: string) => void;
}

/** Runs a lab's checks and prints the checklist; resolves true when every check passed. */
export async function verifyLab(options: VerifyOptions): Promise<boolean> {
  const verifier = VERIFIERS[options.stackName];
  if (!verifier) throw new CannotRunError(`Unknown lab ${JSON.stringify(options.stackName)}. Labs: ${Object.keys(VERIFIERS).join(', ')}`);
  const deadline = Date.now() + options.timeLimitMs;
  let aws = options.aws;
  let outputs: StackOutputs;
  if (options.localOrigin !== undefined) {
    if (!LOCAL_LABS.includes(options.stackName)) throw new CannotRunError(`--local checks ${LOCAL_LABS.join(', ')} only: npm run local serves no other lab.`);
    aws = { ...aws, lambda: localLambdaClient(options.localOrigin) };
    outputs = await localOutputs(options.localOrigin, aws.lambda, deadline, options.retryDelayMs);
    options.print(`Checking ${options.stackName} served by npm run local at ${options.localOrigin}`);
  } else {
    outputs = await readStackOutputs(aws.cloudFormation, options.stackName, verifier.outputs);
    options.print(`Checking ${options.stackName} in ${await aws.cloudFormation.config.region()} (retrying for up to ${Math.round(options.timeLimitMs / 1000)} s while it warms up)`);
  }

  const { checks, cleanUp } = verifier.checks({ stackName: options.stackName, outputs, aws });
  let results;
  try {
    results = await runChecklist(checks, { timeLimitMs: deadline - Date.now(), retryDelayMs: options.retryDelayMs, print: options.print });
  } finally {
    const done = await cleanUp?.().catch((error) => `clean-up failed: ${describeError(error)}`);
    if (done) options.print(`Clean-up: ${done}`);
  }
  const passed = results.filter((result) => result.passed).length;
  options.print(`${passed} of ${results.length} checks passed.`);
  return passed === results.length;
}

/** A Lambda client for the Invoke API of `npm run local`, which takes any credentials. */
function localLambdaClient(origin: string): LambdaClient {
  return new LambdaClient({ endpoint: origin, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
}

/** The outputs the deployed stack would have, as `npm run local` serves them; waits for it to start. */
async function localOutputs(origin: string, lambda: LambdaClient, deadline: number, retryDelayMs: number): Promise<StackOutputs> {
  for (;;) {
    try {
      const { Functions = [] } = await lambda.send(new ListFunctionsCommand({}));
      if (Functions.length !== 1) throw new CannotRunError(`${origin} serves ${Functions.length} functions; expected the users function alone. Is it npm run local?`);
      return { ApiUrl: `${origin}/prod/`, UsersUrl: `${origin}/prod/users`, FunctionName: Functions[0].FunctionName! };
    } catch (error) {
      if (error instanceof CannotRunError) throw error;
      if (Date.now() + retryDelayMs >= deadline) {
        throw new CannotRunError(`Nothing answers the Lambda API at ${origin} (${describeError(error)}). Start the users API with `
          + '`npm run local` in another terminal (same --port or PORT), then run this again.');
      }
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
    }
  }
}
