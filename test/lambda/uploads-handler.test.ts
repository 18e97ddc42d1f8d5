import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException,
} from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, S3EventRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { startDynalite } from '../../lib/local/dynalite';
import { DynamoDbEngine } from '../../lib/local/dynamodb-engine';
import { startDynamoDbLocal } from '../helpers/dynamodb-local';
import { encodeEventKey, s3Event, s3EventRecord, s3TestEvent } from '../helpers/s3-event';
import { LocalS3, localS3ClientConfig, startS3rver } from '../helpers/s3rver';
import { loadUploadsHandler, UploadsHandler, uploadsTableClientConfig } from '../helpers/uploads-handler';

// The uploads function through its real handler, repository and SDK clients: S3 on s3rver, the table on dynalite and
// on DynamoDB Local (the same tests on each, to catch where the engines differ). Events are shaped like AWS's sample.
const TABLE = 'Uploads';
const BUCKET = 'lab-uploads';
const PREFIX = 'uploads/';

interface LogLine {
  level: string;
  message: string;
  [field: string]: unknown;
}

const context = (): Context => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'UploadsFunction',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:UploadsFunction',
  memoryLimitInMB: '256',
  awsRequestId: 'test-upload-event',
  logGroupName: '/aws/lambda/UploadsFunction',
  logStreamName: 'test',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

/** An error as the SDK throws it for a HEAD answer with this status: a HEAD answer has no body, so no name. */
function headError(httpStatusCode: number): S3ServiceException {
  return new S3ServiceException({
    name: 'Unknown',
    message: 'UnknownError',
    $fault: 'client',
    $metadata: { httpStatusCode },
  });
}

// AWS-like sequencers (18 hexadecimal digits) that grow with each upload, as S3's do for one key.
let sequence = 0n;
const nextSequencer = () => (0x0055AED6DCD90281E5n + sequence++).toString(16).toUpperCase().padStart(18, '0');

describeUploadsContract('dynalite', () => startDynalite());
describeUploadsContract('DynamoDB Local', () => startDynamoDbLocal());

function describeUploadsContract(engineName: string, startEngine: () => Promise<DynamoDbEngine>): void {
  describe(`on ${engineName}`, () => {
    let engine: DynamoDbEngine;
    let localS3: LocalS3;
    let handler: UploadsHandler;
    let HandlerS3Client: typeof S3Client;
    let s3: S3Client;
    let documentClient: DynamoDBDocumentClient;
    let logs: LogLine[];

    beforeAll(async () => {
      [engine, localS3] = await Promise.all([startEngine(), startS3rver([BUCKET])]);
      ({ handler, S3Client: HandlerS3Client } = await loadUploadsHandler(engine, localS3, TABLE, PREFIX));
      s3 = new S3Client(localS3ClientConfig(localS3.endpoint));
      documentClient = DynamoDBDocumentClient.from(new DynamoDBClient(uploadsTableClientConfig(engine.endpoint)));
    }, 120_000);

    afterAll(async () => {
      s3?.destroy();
      documentClient?.destroy();
      await Promise.all([engine?.stop(), localS3?.stop()]);
    });

    // The function's JSON log lines are kept for the tests to read; anything else is written as usual.
    let spies: jest.SpyInstance[] = [];
    beforeEach(() => {
      logs = [];
      spies = [process.stdout, process.stderr].map((stream) => {
        const write = stream.write.bind(stream);
        return jest.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: never[]) => {
          const text = String(chunk);
          if (!text.includes('"service":"upload-processor"')) return write(chunk, ...rest);
          logs.push(...text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as LogLine));
          return true;
        }) as typeof stream.write);
      });
    });
    afterEach(() => spies.forEach((spy) => spy.mockRestore()));

    const messages = () => logs.map((line) => `${line.level} ${line.message}`);

    /** Puts an object into the local S3 and returns the record of the event S3 would send for it. */
    async function upload(
      key: string,
      body: string,
      options: { contentType?: string; sequencer?: string } = {},
    ): Promise<S3EventRecord> {
      const put = await s3.send(new PutObjectCommand({
        Bucket: BUCKET,
        Key: key,
        Body: body,
        ContentLength: Buffer.byteLength(body),
        ContentType: options.contentType,
      }));
      return s3EventRecord({
        bucket: BUCKET,
        key: encodeEventKey(key),
        size: Buffer.byteLength(body),
        eTag: put.ETag!.replace(/"/g, ''),
        sequencer: options.sequencer ?? nextSequencer(),
      });
    }

    const item = async (objectKey: string) => (
      await documentClient.send(new GetCommand({ TableName: TABLE, Key: { objectKey } }))
    ).Item;
    const itemCount = async () => (
      await documentClient.send(new ScanCommand({ TableName: TABLE, Select: 'COUNT' }))
    ).Count;

    test('records an upload: size and ETag from the event, Content-Type from S3, '
      + 'the sequencer padded, the time', async () => {
      const before = new Date().toISOString();
      const record = await upload('uploads/HappyFace.jpg', 'x'.repeat(1024), {
        contentType: 'image/jpeg',
        sequencer: '0055AED6DCD90281E5',
      });
      await handler(s3Event(record), context());
      expect(await item('uploads/HappyFace.jpg')).toEqual({
        objectKey: 'uploads/HappyFace.jpg',
        bucket: BUCKET,
        size: 1024,
        contentType: 'image/jpeg',
        etag: record.s3.object.eTag,
        sequencer: '000000000000000055AED6DCD90281E5',
        processedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
      const { processedAt } = (await item('uploads/HappyFace.jpg'))!;
      expect(processedAt >= before && processedAt <= new Date().toISOString()).toBe(true);
      expect(logs).toEqual([expect.objectContaining({
        level: 'INFO', message: 'Recorded an upload', objectKey: 'uploads/HappyFace.jpg', bucket: BUCKET, size: 1024,
        function_request_id: 'test-upload-event',
      })]);
    });

    test('records keys with a space, non-ASCII characters and a plus sign under their real keys', async () => {
      const keys = ['uploads/résumé 2026 日本.txt', 'uploads/1+1=2.txt', 'uploads/100% done.txt'];
      const records = await Promise.all(keys.map((key) => upload(key, key)));
      expect(records.map((record) => record.s3.object.key)).toEqual([
        'uploads/r%C3%A9sum%C3%A9+2026+%E6%97%A5%E6%9C%AC.txt',
        'uploads/1%2B1%3D2.txt',
        'uploads/100%25+done.txt',
      ]);
      await handler(s3Event(...records), context());
      for (const key of keys) expect(await item(key)).toEqual(
        expect.objectContaining({ objectKey: key, size: Buffer.byteLength(key) }),
      );
      // Not under the encoded key, nor under a key whose "+" was taken for a space.
      expect(await item('uploads/r%C3%A9sum%C3%A9+2026+%E6%97%A5%E6%9C%AC.txt')).toBeUndefined();
      expect(await item('uploads/1 1=2.txt')).toBeUndefined();
    });

    test('records a zero-byte object with size 0', async () => {
      const record = await upload('uploads/empty.txt', '', { contentType: 'text/plain' });
      expect(record.s3.object).toEqual(expect.objectContaining({ size: 0, eTag: 'd41d8cd98f00b204e9800998ecf8427e' }));
      await handler(s3Event(record), context());
      expect(await item('uploads/empty.txt')).toEqual(expect.objectContaining({
        size: 0, contentType: 'text/plain', etag: 'd41d8cd98f00b204e9800998ecf8427e',
      }));
    });

    test('records an event delivered twice once: the second delivery is skipped as already recorded', async () => {
      const event = s3Event(await upload('uploads/twice.txt', 'twice'));
      await handler(event, context());
      const first = await item('uploads/twice.txt');
      await handler(event, context());
      expect(await item('uploads/twice.txt')).toEqual(first);
      expect(messages()).toEqual([
        'INFO Recorded an upload',
        'INFO Skipped an upload: already recorded (this event or a later one)',
      ]);
    });

    test('keeps the newer record when an older event of the key arrives after it, '
      + 'also when its sequencer is shorter', async () => {
      // The same bytes twice, so both events' ETags match the object and only the sequencer decides. The older
      // sequencer is the greater string ("F..." > "1..."), so only padded sequencers order them right.
      const older = await upload('uploads/order.txt', 'same bytes', {
        contentType: 'text/plain',
        sequencer: 'FFFFFFFFFFFFFFFF',
      });
      const newer = await upload('uploads/order.txt', 'same bytes', {
        contentType: 'text/markdown',
        sequencer: '10000000000000000',
      });
      await handler(s3Event(newer), context());
      const recorded = await item('uploads/order.txt');
      expect(recorded).toEqual(expect.objectContaining({
        sequencer: '00000000000000010000000000000000', contentType: 'text/markdown',
      }));
      await handler(s3Event(older), context());
      expect(await item('uploads/order.txt')).toEqual(recorded);
      expect(messages()[1]).toBe('INFO Skipped an upload: already recorded (this event or a later one)');
    });

    test('replaces the record when a newer event of the key arrives after an older one', async () => {
      const older = await upload('uploads/v.txt', 'version 1', {
        contentType: 'text/plain',
        sequencer: 'FFFFFFFFFFFFFFFF',
      });
      await handler(s3Event(older), context());
      const newer = await upload('uploads/v.txt', 'version 2, longer', {
        contentType: 'text/csv',
        sequencer: '10000000000000000',
      });
      await handler(s3Event(newer), context());
      expect(await item('uploads/v.txt')).toEqual(expect.objectContaining({
        size: 17, contentType: 'text/csv', etag: newer.s3.object.eTag, sequencer: '00000000000000010000000000000000',
      }));
      expect(newer.s3.object.eTag).not.toBe(older.s3.object.eTag);
      expect(messages()).toEqual(['INFO Recorded an upload', 'INFO Recorded an upload']);
    });

    test('skips an object deleted before processing (HeadObject 404) and records nothing', async () => {
      const record = await upload('uploads/deleted.txt', 'soon gone');
      await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'uploads/deleted.txt' }));
      await handler(s3Event(record), context());
      expect(await item('uploads/deleted.txt')).toBeUndefined();
      expect(logs).toEqual([expect.objectContaining({
        level: 'INFO', message: 'Skipped an upload: the object is gone', objectKey: 'uploads/deleted.txt',
      })]);
    });

    test('skips an object replaced since the event (HeadObject 412, mocked S3), '
      + 'asking with If-Match and never GetObject', async () => {
      // s3rver ignores If-Match (see the last test of this file), so S3's answer is mocked, as the SDK gives it.
      const record = await upload('uploads/replaced ü.txt', 'first');
      const s3Mock = mockClient(HandlerS3Client);
      try {
        s3Mock.onAnyCommand().rejects(headError(412));
        await handler(s3Event(record), context());
        expect(s3Mock.calls().map((call) => [call.args[0].constructor.name, call.args[0].input])).toEqual([
          ['HeadObjectCommand', {
            Bucket: BUCKET, Key: 'uploads/replaced ü.txt', IfMatch: `"${record.s3.object.eTag}"`,
          }],
        ]);
      } finally {
        s3Mock.restore();
      }
      expect(await item('uploads/replaced ü.txt')).toBeUndefined();
      expect(logs).toEqual([expect.objectContaining({
        level: 'INFO',
        message: 'Skipped an upload: the object was replaced since the event',
        objectKey: 'uploads/replaced ü.txt',
      })]);
    });

    test('fails a record whose HeadObject is denied (403, mocked S3): '
      + 'S3 answers 403 for a missing object without s3:ListBucket', async () => {
      const record = await upload('uploads/denied.txt', 'denied');
      const s3Mock = mockClient(HandlerS3Client);
      try {
        s3Mock.onAnyCommand().rejects(headError(403));
        await expect(handler(s3Event(record), context())).rejects.toThrow(
          '1 of 1 records failed: record 1 of 1 (key "uploads/denied.txt"): HeadObject was denied (403): '
            + 'the object is gone and the function may not s3:ListBucket',
        );
      } finally {
        s3Mock.restore();
      }
      expect(await item('uploads/denied.txt')).toBeUndefined();
    });

    test('fails a record on an S3 error other than 404, 412 and 403 (500, mocked S3), naming its status', async () => {
      const record = await upload('uploads/s3-fault.txt', 'fault');
      const s3Mock = mockClient(HandlerS3Client);
      try {
        s3Mock.onAnyCommand().rejects(headError(500));
        await expect(handler(s3Event(record), context()))
          .rejects.toThrow('record 1 of 1 (key "uploads/s3-fault.txt"): Unknown (HTTP 500): UnknownError');
      } finally {
        s3Mock.restore();
      }
    });

    test('skips the s3:TestEvent S3 sends when notifications are configured: '
      + 'no write, no error, one log line', async () => {
      const count = await itemCount();
      await expect(handler(s3TestEvent(BUCKET), context())).resolves.toBeUndefined();
      expect(await itemCount()).toBe(count);
      expect(logs).toEqual([expect.objectContaining({
        level: 'INFO', message: 'Skipped an event without Records', event: 's3:TestEvent',
      })]);
    });

    test('skips records that are not S3 ObjectCreated records, and keys outside the prefix, '
      + 'with a log line each', async () => {
      const outside = await upload('other/outside.txt', 'outside');
      const inside = await upload('uploads/removed.txt', 'removed');
      const count = await itemCount();
      await handler(s3Event(
        { ...inside, eventName: 'ObjectRemoved:Delete' },
        { ...inside, eventSource: 'aws:sqs' },
        outside,
      ), context());
      expect(await itemCount()).toBe(count);
      expect(logs).toEqual([
        expect.objectContaining({
          level: 'WARN',
          message: 'Skipped a record: not ObjectCreated',
          eventSource: 'aws:s3',
          eventName: 'ObjectRemoved:Delete',
        }),
        expect.objectContaining({
          level: 'WARN',
          message: 'Skipped a record: not ObjectCreated',
          eventSource: 'aws:sqs',
          eventName: 'ObjectCreated:Put',
        }),
        expect.objectContaining({
          level: 'WARN',
          message: 'Skipped a record: outside the prefix',
          objectKey: 'other/outside.txt',
        }),
      ]);
    });

    test('records the good records of a batch with an invalid record, then throws naming it; '
      + 'a retry records nothing twice', async () => {
      const good = [await upload('uploads/batch-1.txt', 'one'), await upload('uploads/batch-3.txt', 'three')];
      const bad = { ...good[0], s3: { ...good[0].s3, object: { ...good[0].s3.object, key: 'uploads/%E0%A4%A' } } };
      const event = s3Event(good[0], bad, good[1]);
      const failure = '1 of 3 records failed: record 2 of 3 (key "uploads/%E0%A4%A"): '
        + 's3.object.key is not a valid URL-encoded key: "uploads/%E0%A4%A"';
      await expect(handler(event, context())).rejects.toThrow(failure);
      const recorded = [await item('uploads/batch-1.txt'), await item('uploads/batch-3.txt')];
      expect(recorded).toEqual([expect.objectContaining({ size: 3 }), expect.objectContaining({ size: 5 })]);
      expect(messages()).toEqual(['INFO Recorded an upload', 'ERROR Record failed', 'INFO Recorded an upload']);
      expect(logs[1]).toEqual(expect.objectContaining({
        record: 2, key: 'uploads/%E0%A4%A', error: expect.objectContaining({ name: 'InvalidRecordError' }),
      }));

      // Lambda retries the event: the good records are already there, the bad one fails again.
      logs.length = 0;
      await expect(handler(event, context())).rejects.toThrow(failure);
      expect([await item('uploads/batch-1.txt'), await item('uploads/batch-3.txt')]).toEqual(recorded);
      expect(messages()).toEqual([
        'INFO Skipped an upload: already recorded (this event or a later one)',
        'ERROR Record failed',
        'INFO Skipped an upload: already recorded (this event or a later one)',
      ]);
    });

    test('records the good record of a batch where DynamoDB rejects the other, '
      + 'then throws naming it with the AWS error', async () => {
      // A key over DynamoDB's 2048-byte limit for a partition key: S3 keys stop at 1024 bytes, s3rver's do not.
      const longKey = `uploads/${Array.from({ length: 11 }, () => 'k'.repeat(200)).join('/')}`;
      const event = s3Event(await upload(longKey, 'long'), await upload('uploads/batch-good.txt', 'good'));
      await expect(handler(event, context())).rejects.toThrow(new RegExp(
        `^1 of 2 records failed: record 1 of 2 \\(key "${longKey}"\\): ValidationException \\(HTTP 400\\): `,
      ));
      expect(await item('uploads/batch-good.txt')).toEqual(expect.objectContaining({ size: 4 }));
      expect(messages()).toEqual(['ERROR Record failed', 'INFO Recorded an upload']);
    });

    test('fails an event whose Records is not an array, before any record', async () => {
      await expect(handler({ Records: { 0: {} } }, context()))
        .rejects.toThrow(/^Records must be an array of S3 event records$/);
    });
  });
}

describe('s3rver', () => {
  test('ignores If-Match on HeadObject (so the 412 path is tested with a mocked S3 client)', async () => {
    const localS3 = await startS3rver([BUCKET]);
    const s3 = new S3Client(localS3ClientConfig(localS3.endpoint));
    try {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/a.txt', Body: 'a' }));
      const head = await s3.send(new HeadObjectCommand({
        Bucket: BUCKET,
        Key: 'uploads/a.txt',
        IfMatch: '"00000000000000000000000000000000"',
      }));
      // S3 answers 412 Precondition Failed. If this starts failing, s3rver honours If-Match: test the 412 path on it.
      expect(head.$metadata.httpStatusCode).toBe(200);
    } finally {
      s3.destroy();
      await localS3.stop();
    }
  });
});
