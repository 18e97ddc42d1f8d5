import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsClients, awsClients, withClients } from '../../lib/aws/clients';
import { startDynalite } from '../../lib/local/dynalite';
import { DynamoDbEngine } from '../../lib/local/dynamodb-engine';
import { asS3Sends } from '../../lib/local/s3-events';
import { s3UploadsVerifier } from '../../lib/verify/labs/s3-uploads';
import type { S3rverEvent } from '../../lib/local/s3rver';
import { localS3ClientConfig, LocalS3, startS3rver } from '../helpers/s3rver';
import { loadUploadsHandler, uploadsTableClientConfig, UploadsHandler } from '../helpers/uploads-handler';
import { joinRegExp } from '../helpers/join-regexp';
import { StandIns, verifySettling } from './end-wait-when-settled';

// npm run verify -- S3UploadsLab against a local S3 (s3rver) whose upload events run the real uploads function, which
// writes to a local DynamoDB engine (dynalite). Only CloudFormation, for the stack's outputs, is mocked.
jest.setTimeout(60_000);

const BUCKET = 'verify-uploads';
const TABLE = 'Uploads';
/** Where the faulty function's records are drafted before they reach TABLE changed, in one write. */
const DRAFTS = 'UploadDrafts';
const PREFIX = 'uploads/';
const cloudFormation = mockClient(CloudFormationClient);

let engine: DynamoDbEngine;
let s3: LocalS3;
let handler: UploadsHandler;
let draftingHandler: UploadsHandler;
/**
 * How the deployed lab handles uploads: `record`, as it should; `none`, its notification is broken; `first`, it
 * records a key's first upload only; `bare`, it records a key's first upload with the key alone; or a change made
 * to a key's first record before it is written (a faulty function, which records no later upload: none can then
 * land after verify's clean-up).
 */
let processing: 'record' | 'none' | 'first' | 'bare' | Record<string, { S: string } | { N: string }> = 'record';
const seen = new Set<string>();
const running: Promise<void>[] = [];
let eventsStarted = 0;
let eventsUnderWay = 0;
/** The function's runs: counted as under way until the record is written (or the event skipped). */
const standIns: StandIns = { started: () => eventsStarted, busy: () => eventsUnderWay > 0 };

async function process(event: S3rverEvent): Promise<void> {
  const key = event.Records[0].s3.object.key;
  if (processing === 'none' || (processing !== 'record' && seen.has(key))) return;
  seen.add(key);
  if (processing === 'bare') {
    await new DynamoDBClient(uploadsTableClientConfig(engine.endpoint))
      .send(new PutItemCommand({ TableName: TABLE, Item: { objectKey: { S: key } } }));
    return;
  }
  if (typeof processing !== 'object') return handler(asS3Sends(event));
  // The faulty record reaches the table in one write: verify never sees a right record first. A draft is taken
  // once; an event the function skips (its object deleted by verify's clean-up) leaves none.
  await draftingHandler(asS3Sends(event));
  const dynamodb = new DynamoDBClient(uploadsTableClientConfig(engine.endpoint));
  const { Attributes: draft } = await dynamodb.send(new DeleteItemCommand({
    TableName: DRAFTS,
    Key: { objectKey: { S: key } },
    ReturnValues: 'ALL_OLD',
  }));
  if (draft) await dynamodb.send(new PutItemCommand({ TableName: TABLE, Item: { ...draft, ...processing } }));
}

beforeAll(async () => {
  engine = await startDynalite();
  s3 = await startS3rver([BUCKET], (event) => {
    if (!event.Records.every((record) => record.eventName.startsWith('ObjectCreated'))) return;
    eventsStarted++;
    eventsUnderWay++;
    running.push(process(event).finally(() => { eventsUnderWay--; }));
  });
  ({ handler: draftingHandler } = await loadUploadsHandler(engine, s3, DRAFTS, PREFIX));
  ({ handler } = await loadUploadsHandler(engine, s3, TABLE, PREFIX));
  deployedWith();
});

/** The stack's outputs as CloudFormation answers them: the lab's, with some changed or left out. */
function deployedWith(changes: Record<string, string | undefined> = {}): void {
  const outputs: Record<string, string | undefined> = {
    BucketName: BUCKET, TableName: TABLE, KeyPrefix: PREFIX, ...changes,
  };
  cloudFormation.on(DescribeStacksCommand, { StackName: 'S3UploadsLab' }).resolves({
    Stacks: [{
      StackName: 'S3UploadsLab', StackStatus: 'CREATE_COMPLETE', CreationTime: new Date(),
      Outputs: Object.entries(outputs).filter(([, value]) => value !== undefined)
        .map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
    }],
  });
}

afterAll(async () => {
  await Promise.allSettled(running);
  await s3?.stop();
  await engine?.stop();
});

function localClients(): AwsClients {
  return withClients(
    awsClients({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
    {
      s3: new S3Client(localS3ClientConfig(s3.endpoint)),
      dynamodb: new DynamoDBClient(uploadsTableClientConfig(engine.endpoint)),
    },
  );
}

/**
 * Runs the checks with a time limit long enough for a record to arrive on a loaded machine; a failing check's wait
 * ends once the function has no event under way and the check fails alike twice (endWaitWhenSettled).
 */
async function verify(): Promise<{ passed: boolean; lines: string[] }> {
  const { passed, lines } = await verifySettling(s3UploadsVerifier, standIns, {
    stackName: 'S3UploadsLab', aws: localClients(), timeLimitMs: 10_000, retryDelayMs: 50,
  });
  await Promise.allSettled(running);
  return { passed, lines };
}

async function leftBehind(): Promise<{ objects: string[]; records: number }> {
  const objects = await new S3Client(localS3ClientConfig(s3.endpoint))
    .send(new ListObjectsV2Command({ Bucket: BUCKET }));
  const records = await new DynamoDBClient(uploadsTableClientConfig(engine.endpoint))
    .send(new ScanCommand({ TableName: TABLE }));
  return { objects: (objects.Contents ?? []).map((object) => object.Key ?? ''), records: records.Count ?? 0 };
}

test('passes when each upload is recorded once, the second from its newer event, '
  + 'and leaves nothing behind', async () => {
  processing = 'record';
  const { passed, lines } = await verify();
  expect(lines.filter((line) => /^(PASS|FAIL) /.test(line)).map((line) => line.replace(/: .*/, ''))).toEqual([
    'PASS  uploads a test file with a space and a non-ASCII character in its name',
    'PASS  the function records it with the real key, bucket, size, content type and ETag',
    'PASS  uploads the same file again',
    'PASS  the key\'s one record now comes from the newer event',
  ]);
  expect(lines).toEqual(expect.arrayContaining([
    expect.stringMatching(joinRegExp(
      /^PASS {2}uploads a test .*: /,
      /s3:\/\/verify-uploads\/uploads\/verify [0-9a-f-]{36} é\.txt, 35 bytes, ETag [0-9a-f]{32}$/,
    )),
    expect.stringMatching(
      /^PASS {2}the function records it .*: 35 bytes, text\/plain; charset=utf-8, processed at \d{4}-\d\d-\d\dT/,
    ),
    expect.stringMatching(/^PASS {2}uploads the same file again: ETag [0-9a-f]{32}$/),
    expect.stringMatching(
      /^PASS {2}the key's one record .*: sequencer [0-9A-F]{32} -> [0-9A-F]{32}, processed at \d{4}-/,
    ),
    expect.stringMatching(
      /^Clean-up: deleted the test object and its record \(uploads\/verify [0-9a-f-]{36} é\.txt\)$/,
    ),
  ]));
  expect(passed).toBe(true);
  expect(await leftBehind()).toEqual({ objects: [], records: 0 });
});

test('fails when the function never runs, and still deletes its test object', async () => {
  processing = 'none';
  const { passed, lines } = await verify();
  expect(passed).toBe(false);
  expect(lines).toContainEqual(
    expect.stringMatching(/^FAIL {2}the function records it with .*no record for "uploads\/verify .* é\.txt" yet/),
  );
  expect(await leftBehind()).toEqual({ objects: [], records: 0 });
});

/** The checklist's lines, each cut after the check's name. */
const verdicts = (lines: string[]) => lines
  .filter((line) => /^(PASS|FAIL) /.test(line))
  .map((line) => line.replace(/^(\w+ {2}[^:]+): .*$/, '$1'));

test('fails when a second upload leaves the first upload\'s record', async () => {
  processing = 'first';
  const { passed, lines } = await verify();
  expect(passed).toBe(false);
  expect(verdicts(lines)).toEqual([
    'PASS  uploads a test file with a space and a non-ASCII character in its name',
    'PASS  the function records it with the real key, bucket, size, content type and ETag',
    'PASS  uploads the same file again',
    'FAIL  the key\'s one record now comes from the newer event',
  ]);
  expect(lines).toContainEqual(expect.stringMatching(/still has the first upload's sequencer \(0{10}[0-9A-F]{22}\)/));
  expect(await leftBehind()).toEqual({ objects: [], records: 0 });
});

test.each([
  ['a wrong size', { size: { N: '34' } }, /the record is \{.*"size":34.*\}, expected \{.*"size":35/],
  ['a wrong content type', { contentType: { S: 'binary/octet-stream' } },
    /"contentType":"binary\/octet-stream".*expected.*"contentType":"text\/plain; charset=utf-8"/],
  ['a wrong bucket', { bucket: { S: 'another-bucket' } },
    /"bucket":"another-bucket".*expected.*"bucket":"verify-uploads"/],
  ['a wrong ETag', { etag: { S: '0123456789abcdef0123456789abcdef' } },
    /"etag":"0123456789abcdef0123456789abcdef".*expected/],
  ['a processing time before the upload', { processedAt: { S: '2000-01-01T00:00:00.000Z' } },
    /processedAt 2000-01-01T00:00:00\.000Z is before the upload/],
])('fails on a record with %s', async (_name, changes, problem) => {
  processing = changes;
  const { passed, lines } = await verify();
  expect(passed).toBe(false);
  expect(lines).toContainEqual(expect.stringMatching(/^FAIL {2}the function records it with the real key/));
  expect(lines.join('\n')).toMatch(problem);
  expect(lines).toContainEqual('FAIL  the key\'s one record now comes from the newer event: '
    + 'no right record of the first upload to compare with (see above)');
  expect(await leftBehind()).toEqual({ objects: [], records: 0 });
});

test('fails on a record with none of its fields but the key, saying what it saw, without crashing', async () => {
  processing = 'bare';
  const { passed, lines } = await verify();
  expect(passed).toBe(false);
  expect(lines).toContainEqual(expect.stringMatching(new RegExp('^FAIL {2}the function records it with the real key, '
    + 'bucket, size, content type and ETag: the record is \\{"objectKey":"uploads/verify [^"]+","bucket":"",'
    + '"size":null,"contentType":"","etag":""\\}, expected ')));
  expect(await leftBehind()).toEqual({ objects: [], records: 0 });
});

test('passes a record processed in the very millisecond the upload started, read consistently, with the ETag '
  + 'unquoted (S3 and DynamoDB mocked: the test stops the clock)', async () => {
  const s3Mock = mockClient(S3Client);
  const dynamoMock = mockClient(DynamoDBClient);
  const now = '2026-11-28T08:00:00.000Z';
  jest.useFakeTimers({
    now: new Date(now),
    doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate',
      'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
  });
  try {
    s3Mock.on(PutObjectCommand).resolves({ ETag: '"0123456789abcdef0123456789abcdef"' });
    const { checks } = s3UploadsVerifier.checks({
      stackName: 'S3UploadsLab',
      outputs: { BucketName: BUCKET, TableName: TABLE, KeyPrefix: PREFIX },
      aws: awsClients({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
    });
    await checks[0].run();
    const key = s3Mock.commandCalls(PutObjectCommand)[0].args[0].input.Key!;
    dynamoMock.on(GetItemCommand).resolves({ Item: {
      objectKey: { S: key }, bucket: { S: BUCKET }, size: { N: '35' }, contentType: { S: 'text/plain; charset=utf-8' },
      etag: { S: '0123456789abcdef0123456789abcdef' }, sequencer: { S: '0A' }, processedAt: { S: now },
    } });
    expect(await checks[1].run()).toBe(`35 bytes, text/plain; charset=utf-8, processed at ${now}`);
    expect(dynamoMock.commandCalls(GetItemCommand)[0].args[0].input)
      .toEqual({ TableName: TABLE, Key: { objectKey: { S: key } }, ConsistentRead: true });
  } finally {
    jest.useRealTimers();
    s3Mock.restore();
    dynamoMock.restore();
  }
});

test('cleans up nothing when no upload was tried', async () => {
  const { checks, cleanUp } = s3UploadsVerifier.checks({
    stackName: 'S3UploadsLab',
    outputs: { BucketName: BUCKET, TableName: TABLE, KeyPrefix: PREFIX },
    aws: localClients(),
  });
  expect(checks).toHaveLength(4);
  expect(await cleanUp!()).toBeUndefined();
});

test.each(['BucketName', 'TableName', 'KeyPrefix'])('cannot check a stack without its %s output, and says so '
  + '(CloudFormation mocked)', async (output) => {
  deployedWith({ [output]: undefined });
  try {
    await expect(verify()).rejects.toThrow(new RegExp(`\\b${output}\\b`));
  } finally {
    deployedWith();
  }
});
