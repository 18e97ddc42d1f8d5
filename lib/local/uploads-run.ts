import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnTemplate, resourcesOfType } from '../template/cfn-template';
import { startDynalite } from './dynalite';
import { createTable } from './dynamodb-engine';
import { loadLocalFunction, LocalFunction } from './local-function';
import { dynamoDbPortOf } from './port';
import { asS3Sends } from './s3-events';
import { S3RVER_CREDENTIALS, S3rverEvent, startS3rver } from './s3rver';

/** Lambda's retry count for asynchronous invocations when no EventInvokeConfig says otherwise. */
const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 2;

export interface UploadsRunOptions {
  /** The synthesized S3UploadsLab template. */
  readonly template: CfnTemplate;
  /** The cloud assembly folder the template's assets were bundled into. */
  readonly assemblyDir: string;
  /** S3 listens here, DynamoDB on the next port (dynamoDbPortOf). */
  readonly port: number;
  /**
   * Where the objects (s3rver) and the table (dynalite) are kept. @default - a temporary folder and memory, gone on
   * stop
   */
  readonly dataDir?: string;
  /**
   * Delay before retry n (1, 2, ...) of a failed invocation. @default n seconds (Lambda waits about 1, then 2
   * minutes)
   */
  readonly retryDelayMs?: (retry: number) => number;
  readonly log?: (line: string) => void;
}

/** Which uploads of the bucket invoke the function: the template's notification configuration. */
export interface UploadTrigger {
  readonly functionId: string;
  /** `s3:ObjectCreated:*`, `s3:ObjectCreated:Put`, ... */
  readonly events: readonly string[];
  readonly prefix: string;
  readonly suffix: string;
  readonly maximumRetryAttempts: number;
}

export interface UploadsRun {
  readonly s3Endpoint: string;
  readonly dynamoDbEndpoint: string;
  /** The local name of the template's bucket: its logical id, lower-cased. */
  readonly bucket: string;
  /** The local name of the template's table: its logical id (the function's TABLE_NAME). */
  readonly table: string;
  readonly triggers: readonly UploadTrigger[];
  /** Stops S3, lets the invocations under way finish (no new retries), then stops DynamoDB; data on disk is kept. */
  stop(): Promise<void>;
}

/**
 * Runs the S3 uploads lab on 127.0.0.1 without AWS: its bucket in s3rver, its table in dynalite, and its bundled
 * function invoked for each object created as the template's notification says, asynchronously as S3 does: retried
 * as its EventInvokeConfig says, then "sent to the failure queue" (printed).
 */
export async function startUploadsRun(options: UploadsRunOptions): Promise<UploadsRun> {
  const log = options.log ?? ((line: string) => console.log(line));
  const retryDelayMs = options.retryDelayMs ?? ((retry: number) => retry * 1000);
  const [bucketId] = single(options.template, 'AWS::S3::Bucket');
  const [tableId, table] = single(options.template, 'AWS::DynamoDB::Table');
  const bucket = bucketId.toLowerCase();
  const triggers = uploadTriggers(options.template, bucketId);
  const s3Endpoint = `http://127.0.0.1:${options.port}`;

  const s3Directory = options.dataDir
    ? path.join(options.dataDir, 's3rver')
    : fs.mkdtempSync(path.join(os.tmpdir(), 's3rver-'));
  const removeTemporary = () => { if (!options.dataDir) fs.rmSync(s3Directory, { recursive: true, force: true }); };
  const engine = await startDynalite(
    options.dataDir && path.join(options.dataDir, 'dynalite'), dynamoDbPortOf(options.port),
  ).catch((error) => {
    removeTemporary();
    throw error;
  });
  try {
    await createTable(engine.endpoint, tableId, table.Properties?.KeySchema, table.Properties?.AttributeDefinitions);
    const functions = new Map<string, LocalFunction>();
    for (const { functionId } of triggers) {
      functions.set(functionId, await loadLocalFunction(options.template, options.assemblyDir, functionId, {
        AWS_ENDPOINT_URL_S3: s3Endpoint,
        AWS_ENDPOINT_URL_DYNAMODB: engine.endpoint,
        AWS_REGION: 'us-east-1',
        // s3rver checks signatures against its one key pair; dynalite accepts any.
        AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      }));
    }

    const running = new Set<Promise<void>>();
    let stopping = false;
    const deliver = async (fn: LocalFunction, trigger: UploadTrigger, event: S3rverEvent) => {
      const attempts = trigger.maximumRetryAttempts + 1;
      let attempt = 1;
      for (; ; attempt++) {
        try {
          await fn.invoke(event, randomUUID());
          return;
        } catch (error) {
          log(`${fn.id} failed (attempt ${attempt} of ${attempts}): `
            + `${error instanceof Error ? error.message : String(error)}`);
          if (attempt === attempts || stopping) break;
          await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt)));
        }
      }
      log(`${fn.id}: the event was sent to the failure queue after ${attempt} attempts`
        + `${stopping ? ' (stopping)' : ''}:\n${JSON.stringify(event)}`);
    };
    const onEvent = (event: S3rverEvent) => {
      for (const trigger of triggers) {
        if (!event.Records.every((record) => record.s3.bucket.name === bucket && matches(trigger, record))) continue;
        const delivery = deliver(functions.get(trigger.functionId)!, trigger, asS3Sends(event));
        running.add(delivery);
        void delivery.finally(() => running.delete(delivery));
      }
    };

    const s3 = await startS3rver(options.port, s3Directory, [bucket], onEvent);
    return {
      s3Endpoint: s3.endpoint,
      dynamoDbEndpoint: engine.endpoint,
      bucket,
      table: tableId,
      triggers,
      stop: async () => {
        stopping = true;
        await s3.stop();
        await Promise.allSettled([...running]);
        await engine.stop();
        removeTemporary();
      },
    };
  } catch (error) {
    await engine.stop();
    removeTemporary();
    throw error;
  }
}

/** The function notifications of the bucket in the template, with their filters and retry counts. */
export function uploadTriggers(template: CfnTemplate, bucketId: string): UploadTrigger[] {
  return resourcesOfType(template, 'Custom::S3BucketNotifications')
    .filter(([, notifications]) => notifications.Properties?.BucketName?.Ref === bucketId)
    .flatMap(([, notifications]) => (
      notifications.Properties?.NotificationConfiguration?.LambdaFunctionConfigurations ?? []
    ) as any[])
    .map((configuration) => {
      const rules: Array<{ Name: string; Value: string }> = configuration.Filter?.Key?.FilterRules ?? [];
      const functionId: string = configuration.LambdaFunctionArn?.['Fn::GetAtt']?.[0];
      const invokeConfig = resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig')
        .find(([, config]) => config.Properties?.FunctionName?.Ref === functionId)?.[1];
      return {
        functionId,
        events: configuration.Events,
        prefix: rules.find((rule) => rule.Name.toLowerCase() === 'prefix')?.Value ?? '',
        suffix: rules.find((rule) => rule.Name.toLowerCase() === 'suffix')?.Value ?? '',
        maximumRetryAttempts: invokeConfig?.Properties?.MaximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS,
      };
    });
}

function matches(trigger: UploadTrigger, record: S3rverEvent['Records'][number]): boolean {
  const eventName = `s3:${record.eventName}`;
  const key = record.s3.object.key;
  return trigger.events.some((pattern) => (pattern.endsWith('*')
      ? eventName.startsWith(pattern.slice(0, -1))
      : eventName === pattern))
    && key.startsWith(trigger.prefix) && key.endsWith(trigger.suffix);
}

function single(template: CfnTemplate, type: string) {
  const resources = resourcesOfType(template, type);
  if (resources.length !== 1) throw new Error(
    `the local uploads run serves one ${type}; the template has ${resources.length}`);
  return resources[0];
}

/** What the local run prints when it is ready: where things are, and the commands that use them. */
export function uploadsBanner(run: UploadsRun, dataDescription: string): string {
  const prefix = run.triggers[0]?.prefix ?? '';
  const aws = (endpoint: string) => `AWS_ACCESS_KEY_ID=${S3RVER_CREDENTIALS.accessKeyId} `
    + `AWS_SECRET_ACCESS_KEY=${S3RVER_CREDENTIALS.secretAccessKey} AWS_REGION=us-east-1 aws --endpoint-url ${endpoint}`;
  return [
    'S3UploadsLab is running locally (no AWS account needed):',
    `  S3        ${run.s3Endpoint} (s3rver; key pair `
      + `${S3RVER_CREDENTIALS.accessKeyId}/${S3RVER_CREDENTIALS.secretAccessKey}, path-style)`,
    `  DynamoDB  ${run.dynamoDbEndpoint} (dynalite)`,
    `  Bucket    ${run.bucket}`,
    `  Table     ${run.table}`,
    ...run.triggers.map((trigger) => `  Function  ${trigger.functionId}: on ${trigger.events.join(', ')} `
      + `under "${trigger.prefix}", `
      + `retried ${trigger.maximumRetryAttempts} times, then sent to the failure queue (printed here)`),
    `  Data      ${dataDescription}`,
    '',
    'Upload a file, then read its record:',
    '  echo "hello from the lab" > "hello world.txt"',
    `  ${aws(run.s3Endpoint)} s3 cp "hello world.txt" "s3://${run.bucket}/${prefix}hello world.txt"`,
    `  ${aws(run.dynamoDbEndpoint)} dynamodb get-item --table-name ${run.table} `
      + `--key '{"objectKey": {"S": "${prefix}hello world.txt"}}'`,
    '',
    `Check it: npm run verify -- S3UploadsLab --local --port ${new URL(run.s3Endpoint).port}`,
    '',
    'Press Ctrl-C to stop.',
  ].join('\n');
}
