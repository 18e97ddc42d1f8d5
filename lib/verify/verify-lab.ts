import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { type AwsClients, withClients } from '../aws/clients';
import { CannotRunError } from '../cli';
import { dynamoDbPortOf } from '../local/port';
import { localS3ClientConfig, S3RVER_CREDENTIALS } from '../local/s3rver';
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
    if (options.stackName === 'S3UploadsLab') {
      aws = withClients(aws, localUploadsClients(options.localOrigin));
      outputs = await untilItAnswers(() => localUploadsOutputs(options.localOrigin!, aws), deadline, options.retryDelayMs, (error) => new CannotRunError(
        `Nothing answers S3 at ${options.localOrigin} or DynamoDB at ${dynamoDbOrigin(options.localOrigin!)} (${describeError(error)}). `
        + 'Start the lab with `npm run local -- S3UploadsLab` in another terminal (same --port or PORT), then run this again.'));
    } else {
      aws = withClients(aws, { lambda: localLambdaClient(options.localOrigin) });
      outputs = await untilItAnswers(() => localUsersOutputs(options.localOrigin!, aws.lambda), deadline, options.retryDelayMs, (error) => new CannotRunError(
        `Nothing answers the Lambda API at ${options.localOrigin} (${describeError(error)}). Start the users API with `
        + '`npm run local` in another terminal (same --port or PORT), then run this again.'));
    }
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

/** The users lab's outputs as `npm run local` serves them. */
async function localUsersOutputs(origin: string, lambda: LambdaClient): Promise<StackOutputs> {
  const { Functions = [] } = await lambda.send(new ListFunctionsCommand({}));
  if (Functions.length !== 1) throw new CannotRunError(`${origin} serves ${Functions.length} functions; expected the users function alone. Is it npm run local?`);
  return { ApiUrl: `${origin}/prod/`, UsersUrl: `${origin}/prod/users`, FunctionName: Functions[0].FunctionName! };
}

/** `http://127.0.0.1:<port+1>`: where `npm run local -- S3UploadsLab` serves DynamoDB when S3 is at `origin`. */
function dynamoDbOrigin(origin: string): string {
  const url = new URL(origin);
  try {
    url.port = String(dynamoDbPortOf(Number(url.port || 80)));
  } catch (error) {
    throw new CannotRunError((error as Error).message);
  }
  return url.origin;
}

/** S3 and DynamoDB clients for `npm run local -- S3UploadsLab`, with the key pair s3rver accepts (dynalite takes any). */
function localUploadsClients(origin: string): { s3: S3Client; dynamodb: DynamoDBClient } {
  return {
    s3: new S3Client({ ...localS3ClientConfig(origin), maxAttempts: 1 }),
    dynamodb: new DynamoDBClient({ endpoint: dynamoDbOrigin(origin), region: 'us-east-1', credentials: S3RVER_CREDENTIALS, maxAttempts: 1 }),
  };
}

/**
 * The uploads lab's outputs as `npm run local -- S3UploadsLab` serves them: its one bucket and its one table, and
 * the template's prefix (the local run serves no stack outputs).
 */
async function localUploadsOutputs(origin: string, aws: Pick<AwsClients, 's3' | 'dynamodb'>): Promise<StackOutputs> {
  const { Buckets = [] } = await aws.s3.send(new ListBucketsCommand({}));
  const { TableNames = [] } = await aws.dynamodb.send(new ListTablesCommand({}));
  if (Buckets.length !== 1 || TableNames.length !== 1) {
    throw new CannotRunError(`${origin} serves ${Buckets.length} buckets and ${dynamoDbOrigin(origin)} ${TableNames.length} tables; `
      + 'expected one of each. Is it npm run local -- S3UploadsLab?');
  }
  return { BucketName: Buckets[0].Name!, TableName: TableNames[0], KeyPrefix: 'uploads/' };
}

/** Reads what `npm run local` serves, retrying until it has started or the deadline passes. */
async function untilItAnswers<T>(read: () => Promise<T>, deadline: number, retryDelayMs: number, notAnswering: (error: unknown) => CannotRunError): Promise<T> {
  for (;;) {
    try {
      return await read();
    } catch (error) {
      if (error instanceof CannotRunError) throw error;
      if (Date.now() + retryDelayMs >= deadline) throw notAnswering(error);
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
    }
  }
}
