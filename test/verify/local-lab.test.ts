import { createServer } from 'net';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, DeleteBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { awsClients } from '../../lib/aws/clients';
import { CannotRunError } from '../../lib/cli';
import { startDynalite } from '../../lib/local/dynalite';
import type { DynamoDbEngine } from '../../lib/local/dynamodb-engine';
import { asS3Sends } from '../../lib/local/s3-events';
import type { S3rverEvent } from '../../lib/local/s3rver';
import { verifyLab } from '../../lib/verify/verify-lab';
import type { StandIn } from '../helpers/http-stand-in';
import { localS3ClientConfig, LocalS3, startS3rver } from '../helpers/s3rver';
import { loadUploadsHandler, uploadsTableClientConfig, UploadsHandler } from '../helpers/uploads-handler';
import { serveUsersApi, UsersApiOptions } from './users-api-stand-in';

// npm run verify -- <Lab> --local, in this process, against what npm run local serves: for LambdaUsersLab a stand-in
// of its port (the users API, and the Lambda API that lists and invokes the function); for S3UploadsLab a local S3
// (s3rver) on one port and a local DynamoDB (dynalite) on the next, whose upload events run the real uploads function.
// No AWS answer is mocked: --local asks AWS nothing.
jest.setTimeout(30_000);

/** Clients for AWS itself, in a region the tests never reach: --local must replace every one it uses. */
const awsItself = () => awsClients({
  region: 'eu-west-3', credentials: { accessKeyId: 'aws', secretAccessKey: 'aws' },
});

async function verifyLocal(
  stackName: string, localOrigin: string, timeLimitMs = 5_000, retryDelayMs = 20,
): Promise<{ passed: boolean; lines: string[] }> {
  const lines: string[] = [];
  const passed = await verifyLab({
    stackName, localOrigin, aws: awsItself(), timeLimitMs, retryDelayMs, print: (line) => lines.push(line),
  });
  return { passed, lines };
}

/** A port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('net').AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('LambdaUsersLab --local', () => {
  const standIns: StandIn[] = [];
  afterEach(async () => {
    await Promise.all(standIns.splice(0).map((server) => server.close()));
  });
  const usersApi = async (options: UsersApiOptions) => {
    const served = await serveUsersApi(options);
    standIns.push(served.api);
    return served;
  };

  test('checks the users API at the origin and the function its Lambda API lists, and leaves no user', async () => {
    const { api, users, requests, lambdaRequests } = await usersApi({ functions: ['UsersFunction1A2B3C4D'] });
    const { passed, lines } = await verifyLocal('LambdaUsersLab', api.origin);
    expect(lines[0]).toBe(`Checking LambdaUsersLab served by npm run local at ${api.origin}`);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(
      '^PASS {2}the function answers a direct invocation \\(UsersFunction1A2B3C4D\\): StatusCode 200, ')));
    expect(lines.at(-1)).toBe('6 of 6 checks passed.');
    expect(passed).toBe(true);
    expect(requests[0]).toBe('GET /prod/users');
    expect(lambdaRequests).toEqual([
      'GET /2015-03-31/functions',
      'POST /2015-03-31/functions/UsersFunction1A2B3C4D/invocations',
    ]);
    expect(users.size).toBe(0);
  });

  test('waits for a run that is still starting: asks its Lambda API again until it answers', async () => {
    const { api, lambdaRequests } = await usersApi({ functions: ['UsersFunction'], unavailableFor: 2 });
    expect((await verifyLocal('LambdaUsersLab', api.origin)).passed).toBe(true);
    expect(lambdaRequests.filter((request) => request.startsWith('GET'))).toHaveLength(3);
  });

  test('fails at the time limit with how to start the users API, and what the last try saw', async () => {
    const { api, lambdaRequests } = await usersApi({ functions: ['UsersFunction'], unavailableFor: Infinity });
    const failure = verifyLocal('LambdaUsersLab', api.origin, 300);
    await expect(failure).rejects.toThrow(CannotRunError);
    await expect(failure).rejects.toThrow(new RegExp(`^Nothing answers the Lambda API at ${api.origin} \\(.+\\)\\. `
      + 'Start the users API with `npm run local` in another terminal \\(same --port or PORT\\), '
      + 'then run this again\\.$'));
    expect(lambdaRequests.length).toBeGreaterThan(1);
  });

  test('fails on an origin where nothing listens, saying so', async () => {
    const origin = `http://127.0.0.1:${await closedPort()}`;
    await expect(verifyLocal('LambdaUsersLab', origin, 0))
      .rejects.toThrow(`Nothing answers the Lambda API at ${origin} (`);
  });

  test.each([
    [[], 0],
    [['UsersFunction', 'OtherFunction'], 2],
  ])('refuses at once an origin whose Lambda API lists %j: it is not npm run local', async (functions, count) => {
    const { api, lambdaRequests } = await usersApi({ functions });
    const failure = verifyLocal('LambdaUsersLab', api.origin);
    await expect(failure).rejects.toThrow(CannotRunError);
    await expect(failure).rejects.toThrow(
      `${api.origin} serves ${count} functions; expected the users function alone. Is it npm run local?`);
    expect(lambdaRequests).toHaveLength(1);
  });

  describe('the retry on the clock the test sets: asked again only while now + retryDelayMs is before the deadline',
    () => {
      let clock = 0;
      beforeEach(() => {
        clock = 0;
        jest.spyOn(Date, 'now').mockImplementation(() => clock);
      });
      afterEach(() => jest.restoreAllMocks());

      /**
       * A run whose Lambda API answers 503 at the given times (each request sets the clock), then answers; by then
       * the clock is past the deadline, so that each check is tried once.
       */
      const startingUntil = async (times: number[]) => {
        const served = await usersApi({ functions: ['UsersFunction'], unavailableFor: times.length });
        const log = served.lambdaRequests.push.bind(served.lambdaRequests);
        served.lambdaRequests.push = (...requests) => {
          clock = times[served.lambdaRequests.length] ?? 1_000;
          return log(...requests);
        };
        return served;
      };

      test('asks again when the pause ends 1 ms before the deadline', async () => {
        // Deadline 100: unavailable at 89, and 89 + 10 = 99: asked again, then it answers.
        const { api, lambdaRequests } = await startingUntil([89]);
        const { lines } = await verifyLocal('LambdaUsersLab', api.origin, 100, 10);
        expect(lines[0]).toBe(`Checking LambdaUsersLab served by npm run local at ${api.origin}`);
        expect(lambdaRequests.filter((request) => request.startsWith('GET'))).toHaveLength(2);
      });

      test('gives up when the pause would end at the deadline', async () => {
        // Deadline 100: unavailable at 89 (asked again), then at 90: 90 + 10 = 100.
        const { api, lambdaRequests } = await startingUntil([89, 90]);
        await expect(verifyLocal('LambdaUsersLab', api.origin, 100, 10)).rejects.toThrow(/^Nothing answers/);
        expect(lambdaRequests).toHaveLength(2);
      });
    });
});

describe('S3UploadsLab --local', () => {
  const BUCKET = 'local-uploads';
  const TABLE = 'UploadsTable';
  let s3: LocalS3;
  let engine: DynamoDbEngine;
  let handler: UploadsHandler | undefined;
  const running: Promise<void>[] = [];
  let origin: string;
  let dynamoDbOrigin: string;

  /** s3rver on a free port and dynalite on the next, as npm run local -- S3UploadsLab serves them. */
  beforeAll(async () => {
    for (let attempt = 1; ; attempt++) {
      s3 = await startS3rver([BUCKET], (event: S3rverEvent) => {
        if (handler && event.Records.every((record) => record.eventName.startsWith('ObjectCreated'))) {
          running.push(handler(asS3Sends(event)));
        }
      });
      const port = Number(new URL(s3.endpoint).port);
      try {
        engine = await startDynalite(undefined, port + 1);
        break;
      } catch (error) {
        await s3.stop();
        if (attempt === 5) throw error;
      }
    }
    origin = s3.endpoint;
    dynamoDbOrigin = engine.endpoint;
    ({ handler } = await loadUploadsHandler(engine, s3, TABLE, 'uploads/'));
  });
  afterAll(async () => {
    await Promise.allSettled(running);
    await s3?.stop();
    await engine?.stop();
  });
  const s3Client = () => new S3Client(localS3ClientConfig(s3.endpoint));
  const dynamodb = () => new DynamoDBClient(uploadsTableClientConfig(engine.endpoint));

  test('checks the one bucket at the origin and the one table on the next port, with the lab\'s prefix, '
    + 'and leaves nothing behind', async () => {
    const { passed, lines } = await verifyLocal('S3UploadsLab', origin);
    await Promise.allSettled(running);
    expect(dynamoDbOrigin).toBe(`http://127.0.0.1:${Number(new URL(origin).port) + 1}`);
    expect(lines[0]).toBe(`Checking S3UploadsLab served by npm run local at ${origin}`);
    expect(lines[1]).toMatch(
      new RegExp(`^PASS {2}uploads a test file .*: s3://${BUCKET}/uploads/verify [0-9a-f-]{36} é`));
    expect(lines.at(-1)).toBe('4 of 4 checks passed.');
    expect(passed).toBe(true);
    expect((await s3Client().send(new ListObjectsV2Command({ Bucket: BUCKET }))).KeyCount).toBe(0);
    expect((await dynamodb().send(new ScanCommand({ TableName: TABLE }))).Count).toBe(0);
  });

  test('refuses at once an S3 that serves two buckets, naming both counts and both addresses', async () => {
    await s3Client().send(new CreateBucketCommand({ Bucket: 'another-bucket' }));
    try {
      const failure = verifyLocal('S3UploadsLab', origin);
      await expect(failure).rejects.toThrow(CannotRunError);
      await expect(failure).rejects.toThrow(`${origin} serves 2 buckets and ${dynamoDbOrigin} 1 tables; `
        + 'expected one of each. Is it npm run local -- S3UploadsLab?');
    } finally {
      await s3Client().send(new DeleteBucketCommand({ Bucket: 'another-bucket' }));
    }
  });

  test('refuses at once a DynamoDB that serves two tables', async () => {
    await dynamodb().send(new CreateTableCommand({
      TableName: 'AnotherTable', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    }));
    try {
      await expect(verifyLocal('S3UploadsLab', origin))
        .rejects.toThrow(`serves 1 buckets and ${dynamoDbOrigin} 2 tables`);
    } finally {
      await dynamodb().send(new DeleteTableCommand({ TableName: 'AnotherTable' }));
    }
  });

  test('fails with how to start the lab when nothing answers, naming where it looked for S3 and DynamoDB',
    async () => {
      const port = await closedPort();
      const failure = verifyLocal('S3UploadsLab', `http://127.0.0.1:${port}`, 0);
      await expect(failure).rejects.toThrow(CannotRunError);
      await expect(failure).rejects.toThrow(new RegExp(
        `^Nothing answers S3 at http://127\\.0\\.0\\.1:${port} or DynamoDB at http://127\\.0\\.0\\.1:${port + 1} `
        + '\\(.+\\)\\. Start the lab with `npm run local -- S3UploadsLab` in another terminal '
        + '\\(same --port or PORT\\), then run this again\\.$'));
    });

  test('looks for DynamoDB on port 81 when the origin names no port (S3 on 80)', async () => {
    await expect(verifyLocal('S3UploadsLab', 'http://127.0.0.1', 0))
      .rejects.toThrow('Nothing answers S3 at http://127.0.0.1 or DynamoDB at http://127.0.0.1:81 (');
  });

  test('refuses S3 on port 65535, which leaves DynamoDB no next port', async () => {
    const failure = verifyLocal('S3UploadsLab', 'http://127.0.0.1:65535', 0);
    await expect(failure).rejects.toThrow(CannotRunError);
    await expect(failure).rejects.toThrow('--port (or PORT) must be at most 65534 for S3UploadsLab, whose DynamoDB '
      + 'listens on the next port, got 65535');
  });
});
