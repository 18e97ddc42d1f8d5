import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsClients, awsClients } from '../../lib/aws/clients';
import { startDynalite } from '../../lib/local/dynalite';
import { DynamoDbEngine } from '../../lib/local/dynamodb-engine';
import { asS3Sends } from '../../lib/local/s3-events';
import { verifyLab } from '../../lib/verify/verify-lab';
import { localS3ClientConfig, LocalS3, startS3rver } from '../helpers/s3rver';
import { loadUploadsHandler, uploadsTableClientConfig, UploadsHandler } from '../helpers/uploads-handler';

// npm run verify -- S3UploadsLab against a local S3 (s3rver) whose upload events run the real uploads function, which
// writes to a local DynamoDB engine (dynalite). Only CloudFormation, for the stack's outputs, is mocked.
jest.setTimeout(60_000);

const BUCKET = 'verify-uploads';
const TABLE = 'Uploads';
const PREFIX = 'uploads/';
const cloudFormation = mockClient(CloudFormationClient);

let engine: DynamoDbEngine;
let s3: LocalS3;
let handler: UploadsHandler;
/** Whether the function runs on uploads: off, the lab is deployed but its notification is broken. */
let processing = true;
const running: Promise<void>[] = [];

beforeAll(async () => {
  engine = await startDynalite();
  s3 = await startS3rver([BUCKET], (event) => {
    if (processing && event.Records.every((record) => record.eventName.startsWith('ObjectCreated'))) running.push(handler(asS3Sends(event)));
  });
  ({ handler } = await loadUploadsHandler(engine, s3, TABLE, PREFIX));
  cloudFormation.on(DescribeStacksCommand, { StackName: 'S3UploadsLab' }).resolves({
    Stacks: [{
      StackName: 'S3UploadsLab', StackStatus: 'CREATE_COMPLETE', CreationTime: new Date(),
      Outputs: [{ OutputKey: 'BucketName', OutputValue: BUCKET }, { OutputKey: 'TableName', OutputValue: TABLE }, { OutputKey: 'KeyPrefix', OutputValue: PREFIX }],
    }],
  });
});

afterAll(async () => {
  await Promise.allSettled(running);
  await s3?.stop();
  await engine?.stop();
});

function localClients(): AwsClients {
  return {
    ...awsClients({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
    s3: new S3Client(localS3ClientConfig(s3.endpoint)),
    dynamodb: new DynamoDBClient(uploadsTableClientConfig(engine.endpoint)),
  };
}

async function verify(): Promise<{ passed: boolean; lines: string[] }> {
  const lines: string[] = [];
  const passed = await verifyLab({ stackName: 'S3UploadsLab', aws: localClients(), timeLimitMs: 3_000, retryDelayMs: 100, print: (line) => lines.push(line) });
  await Promise.allSettled(running);
  return { passed, lines };
}

async function leftBehind(): Promise<{ objects: string[]; records: number }> {
  const objects = await new S3Client(localS3ClientConfig(s3.endpoint)).send(new ListObjectsV2Command({ Bucket: BUCKET }));
  const records = await new DynamoDBClient(uploadsTableClientConfig(engine.endpoint)).send(new ScanCommand({ TableName: TABLE }));
  return { objects: (objects.Contents ?? []).map((object) => object.Key ?? ''), records: records.Count ?? 0 };
}

test('passes when each upload is recorded once, the second from its newer event, and leaves nothing behind', async () => {
  processing = true;
  const { passed, lines } = await verify();
  expect(lines.filter((line) => /^(PASS|FAIL) /.test(line)).map((line) => line.replace(/: .*/, ''))).toEqual([
    'PASS  uploads a test file with a space and a non-ASCII character in its name',
    'PASS  the function records it with the real key, bucket, size, content type and ETag',
    'PASS  uploads the same file again',
    'PASS  the key\'s one record now comes from the newer event',
  ]);
  expect(lines.join('\n')).toMatch(/uploads\/verify [0-9a-f-]{36} é\.txt/);
  expect(passed).toBe(true);
  expect(await leftBehind()).toEqual({ objects: [], records: 0 });
});

test('fails when the function never runs, and still deletes its test object', async () => {
  processing = false;
  const { passed, lines } = await verify();
  expect(passed).toBe(false);
  expect(lines).toContainEqual(expect.stringMatching(/^FAIL {2}the function records it with .*no record for "uploads\/verify .* é\.txt" yet/));
  expect(await leftBehind()).toEqual({ objects: [], records: 0 });
});
