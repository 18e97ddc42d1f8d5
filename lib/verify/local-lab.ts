import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { type AwsClients, withClients } from '../aws/clients';
import type { StackOutputs } from '../aws/stack-outputs';
import { CannotRunError } from '../cli';
import { dynamoDbPortOf } from '../local/port';
import { localS3ClientConfig, S3RVER_CREDENTIALS } from '../local/s3rver';
import { describeError } from './checklist';

export interface LocalLab {
  /** The clients, with those of the lab's services pointed at the local run. */
  readonly aws: AwsClients;
  /** What the lab's stack outputs would be, read from what the local run serves. */
  readonly outputs: StackOutputs;
}

/**
 * The lab that `npm run local` serves at `origin`: its clients and outputs, retrying until it answers or the deadline
 * passes; then a CannotRunError that says how to start it.
 */
export async function localLab(
  stackName: string, origin: string, aws: AwsClients, retry: { deadline: number; retryDelayMs: number },
): Promise<LocalLab> {
  if (stackName === 'S3UploadsLab') {
    const clients = withClients(aws, localUploadsClients(origin));
    const outputs = await untilItAnswers(() => localUploadsOutputs(origin, clients), retry,
      (error) => new CannotRunError(
        `Nothing answers S3 at ${origin} or DynamoDB at ${dynamoDbOrigin(origin)} (${describeError(error)}). `
        + 'Start the lab with `npm run local -- S3UploadsLab` in another terminal (same --port or PORT), '
        + 'then run this again.'));
    return { aws: clients, outputs };
  }
  const clients = withClients(aws, { lambda: localLambdaClient(origin) });
  const outputs = await untilItAnswers(() => localUsersOutputs(origin, clients.lambda), retry,
    (error) => new CannotRunError(
      `Nothing answers the Lambda API at ${origin} (${describeError(error)}). Start the users API with `
      + '`npm run local` in another terminal (same --port or PORT), then run this again.'));
  return { aws: clients, outputs };
}

/** A Lambda client for the Invoke API of `npm run local`, which takes any credentials. */
function localLambdaClient(origin: string): LambdaClient {
  return new LambdaClient({
    endpoint: origin,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

/** The users lab's outputs as `npm run local` serves them. */
async function localUsersOutputs(origin: string, lambda: LambdaClient): Promise<StackOutputs> {
  const { Functions = [] } = await lambda.send(new ListFunctionsCommand({}));
  if (Functions.length !== 1) throw new CannotRunError(`${origin} serves ${Functions.length} functions; `
    + 'expected the users function alone. Is it npm run local?');
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

/**
 * S3 and DynamoDB clients for `npm run local -- S3UploadsLab`, with the key pair s3rver accepts (dynalite takes
 * any).
 */
function localUploadsClients(origin: string): { s3: S3Client; dynamodb: DynamoDBClient } {
  return {
    s3: new S3Client({ ...localS3ClientConfig(origin), maxAttempts: 1 }),
    dynamodb: new DynamoDBClient({
      endpoint: dynamoDbOrigin(origin),
      region: 'us-east-1',
      credentials: S3RVER_CREDENTIALS,
      maxAttempts: 1,
    }),
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
    throw new CannotRunError(`${origin} serves ${Buckets.length} buckets and ${dynamoDbOrigin(origin)} `
      + `${TableNames.length} tables; expected one of each. Is it npm run local -- S3UploadsLab?`);
  }
  return { BucketName: Buckets[0].Name!, TableName: TableNames[0], KeyPrefix: 'uploads/' };
}

/** Reads what `npm run local` serves, retrying until it has started or the deadline passes. */
async function untilItAnswers<T>(
  read: () => Promise<T>,
  retry: { deadline: number; retryDelayMs: number },
  notAnswering: (error: unknown) => CannotRunError,
): Promise<T> {
  for (;;) {
    try {
      return await read();
    } catch (error) {
      if (error instanceof CannotRunError) throw error;
      if (Date.now() + retry.retryDelayMs >= retry.deadline) throw notAnswering(error);
      await new Promise((resolve) => setTimeout(resolve, retry.retryDelayMs));
    }
  }
}
