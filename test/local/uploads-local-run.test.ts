import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DeleteItemCommand, DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { localClientConfig } from '../../lib/local/dynamodb-engine';
import { localS3ClientConfig } from '../../lib/local/s3rver';
import { listenAndClose } from '../helpers/free-port';
import { LocalRun, startLocalRun } from '../helpers/local-run';
import { runCommand } from '../helpers/run-command';

// `npm run local -- S3UploadsLab` as a student runs it: the command in a process of its own, S3 (s3rver) and DynamoDB
// (dynalite) on 127.0.0.1, and the bundled uploads function invoked by each upload.
jest.setTimeout(90_000);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'labs-local-uploads-'));

interface UploadsRun extends LocalRun {
  readonly port: number;
}

async function startUploadsRun(port: number): Promise<UploadsRun> {
  return { ...await startLocalRun(['S3UploadsLab', '--port', String(port), '--data-dir', dataDir]), port };
}

/** A free port whose next port is free too: S3 listens on the first, DynamoDB on the next. */
async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await listenAndClose();
    if (port < 65535 && await listenAndClose(port + 1).then(() => true, () => false)) return port;
  }
}

let run: UploadsRun;
let s3: S3Client;
let dynamodb: DynamoDBClient;
let bucket: string;
let table: string;

beforeAll(async () => {
  run = await startUploadsRun(await freePortPair());
  bucket = /^ {2}Bucket +(\S+)$/m.exec(run.output())![1];
  table = /^ {2}Table +(\S+)$/m.exec(run.output())![1];
  s3 = new S3Client(localS3ClientConfig(`http://127.0.0.1:${run.port}`));
  dynamodb = new DynamoDBClient(localClientConfig(`http://127.0.0.1:${run.port + 1}`));
});

afterAll(async () => {
  s3?.destroy();
  dynamodb?.destroy();
  await run?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function recordOf(key: string, waitMs: number): Promise<Record<string, unknown> | undefined> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const { Item } = await dynamodb.send(new GetItemCommand({
      TableName: table, Key: { objectKey: { S: key } }, ConsistentRead: true,
    }));
    if (Item || Date.now() > deadline) {
      return Item
        && Object.fromEntries(Object.entries(Item).map(([name, value]) => [name, value.S ?? Number(value.N)]));
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function leftBehind(): Promise<{ objects: string[]; records: number }> {
  const objects = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  const records = await dynamodb.send(new ScanCommand({ TableName: table }));
  return { objects: (objects.Contents ?? []).map((object) => object.Key ?? ''), records: records.Count ?? 0 };
}

test('prints both endpoints, the bucket and the table, and the AWS CLI commands that use them', () => {
  const s3Endpoint = `http://127.0.0.1:${run.port}`;
  const dynamoDbEndpoint = `http://127.0.0.1:${run.port + 1}`;
  expect(run.output()).toContain(`S3        ${s3Endpoint}`);
  expect(run.output()).toContain(`DynamoDB  ${dynamoDbEndpoint}`);
  expect(bucket).toMatch(/^uploadprocessorbucket[0-9a-f]{8}$/);
  expect(table).toMatch(/^UploadProcessorTable/);
  expect(run.output()).toContain(`AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1 `
    + `aws --endpoint-url ${s3Endpoint} s3 cp "hello world.txt" "s3://${bucket}/uploads/hello world.txt"`);
  expect(run.output()).toContain(`AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1 `
    + `aws --endpoint-url ${dynamoDbEndpoint} dynamodb get-item --table-name ${table} `
    + `--key '{"objectKey": {"S": "uploads/hello world.txt"}}'`);
});

test('an upload under uploads/ is recorded by the bundled function, with its real key', async () => {
  const key = 'uploads/local run é.txt';
  const body = 'héllo from the local run\n';
  const { ETag } = await s3.send(new PutObjectCommand({
    Bucket: bucket, Key: key, Body: body, ContentType: 'text/plain',
  }));
  try {
    expect(await recordOf(key, 10_000)).toEqual(expect.objectContaining({
      objectKey: key, bucket, size: Buffer.byteLength(body), contentType: 'text/plain', etag: ETag!.replace(/"/g, ''),
    }));
  } finally {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    await dynamodb.send(new DeleteItemCommand({ TableName: table, Key: { objectKey: { S: key } } }));
  }
});

test('an upload outside uploads/ invokes nothing', async () => {
  const key = 'elsewhere/local run é.txt';
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'not processed' }));
  try {
    expect(await recordOf(key, 1_500)).toBeUndefined();
  } finally {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  }
});

test('passes npm run verify -- S3UploadsLab --local, which leaves no object and no record behind', async () => {
  expect(await leftBehind()).toEqual({ objects: [], records: 0 });
  const { code, stdout } = await runCommand('bin/verify.ts', ['S3UploadsLab', '--local', '--port', String(run.port)]);
  expect(stdout.split('\n')
    .filter((line) => /^(PASS|FAIL) /.test(line))
    .map((line) => line.replace(/: .*/, ''))).toEqual([
    'PASS  uploads a test file with a space and a non-ASCII character in its name',
    'PASS  the function records it with the real key, bucket, size, content type and ETag',
    'PASS  uploads the same file again',
    'PASS  the key\'s one record now comes from the newer event',
  ]);
  expect(stdout).toContain('4 of 4 checks passed.');
  expect(code).toBe(0);
  expect(await leftBehind()).toEqual({ objects: [], records: 0 });
});

test('stops cleanly on Ctrl-C', async () => {
  expect(await run.stop()).toBe(0);
  expect(run.output()).toContain('Stopped.');
});
