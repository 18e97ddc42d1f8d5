import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  ConditionalCheckFailedException, DynamoDBClient, PutItemCommand, ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { awsClients, withClients } from '../../lib/aws/clients';
import { startDynalite } from '../../lib/local/dynalite';
import { createTable, DynamoDbEngine, localClientConfig } from '../../lib/local/dynamodb-engine';
import { sqsWorkersVerifier } from '../../lib/verify/labs/sqs-workers';
import { StandIns, verifySettling } from './end-wait-when-settled';

// npm run verify -- SqsWorkersLab with the results table in a local DynamoDB engine (dynalite). SQS, ECS and the
// scaler cannot run here: their answers are mocked, and a stand-in of the workers takes the jobs the test sends and
// records them as the real worker does (its script is tested on its own in test/sqs-workers/).
jest.setTimeout(60_000);

const STACK = 'SqsWorkersLab';
const TABLE = 'JobResults';
const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs';
const DEAD_LETTERS = 'https://sqs.us-east-1.amazonaws.com/123456789012/dead-letters';
const WORKER = 'arn:aws:ecs:us-east-1:123456789012:task/workers/0123456789abcdef0123456789abcdef';
const cloudFormation = mockClient(CloudFormationClient);
const sqs = mockClient(SQSClient);
const ecs = mockClient(ECSClient);

/** How the stand-in fleet behaves: as the lab's, unless a test says otherwise. */
interface Fleet {
  /** Whether the scaler starts workers for waiting jobs. */
  startsWorkers: boolean;
  /** Whether it stops them once the queue is empty. */
  scalesIn: boolean;
  /** Jobs the workers cannot do: after 3 receives SQS moves them to the dead-letter queue. */
  poisoned: number;
  /** The worker the records name; none, a record without the attribute. */
  worker?: string;
  /** Entries SQS refuses in each batch. */
  refused: number;
  /** The workers the scaler starts. */
  starts: number;
  /** Jobs that stay in progress (not visible, not done). */
  stuck: number;
  /** Counts the service shows once the queue is empty, instead of 0 and 0 after a scale-in. */
  afterwards?: { running: number; desired: number };
}
const LAB_FLEET: Fleet = {
  startsWorkers: true, scalesIn: true, poisoned: 0, worker: WORKER, refused: 0, starts: 2, stuck: 0,
};
let fleet: Fleet = LAB_FLEET;
let waiting: { jobId: string; seconds: number }[] = [];
let deadLetters = 0;
let workers = 0;
let desired = 0;
let inFlight = 0;
let sentBatches: unknown[] = [];
let engine: DynamoDbEngine;
const dynamodb = () => new DynamoDBClient(localClientConfig(engine.endpoint));

/** How many steps of the fleet changed something, and whether one is doing jobs now. */
let moves = 0;
let doingJobs = false;
/** The fleet is busy while its next step would change something. */
const standIns: StandIns = {
  started: () => moves,
  busy: () => {
    if (doingJobs) return true;
    if (workers === 0) return waiting.length > 0 && fleet.startsWorkers;
    if (waiting.length > 0) return true;
    const after = fleet.afterwards ?? (fleet.scalesIn ? { running: 0, desired: 0 } : { running: workers, desired });
    return after.running !== workers || after.desired !== desired;
  },
};

/**
 * One step of the fleet, as time passes: the scaler starts workers for waiting jobs, they do every waiting job (or
 * SQS dead-letters it), then the scaler stops them.
 */
async function step(): Promise<void> {
  if (!standIns.busy()) return;
  moves++;
  if (workers === 0) {
    workers = desired = fleet.starts;
    return;
  }
  if (waiting.length === 0) {
    if (fleet.afterwards) ({ running: workers, desired } = fleet.afterwards);
    else workers = desired = 0;
    return;
  }
  doingJobs = true;
  try {
    await doJobs();
  } finally {
    doingJobs = false;
  }
}

/** The workers do every waiting job, side by side, or SQS dead-letters it. */
async function doJobs(): Promise<void> {
  const client = dynamodb();
  const records: Promise<unknown>[] = [];
  for (const [index, job] of waiting.splice(0).entries()) {
    if (index < fleet.poisoned) { deadLetters++; continue; }
    if (index < fleet.poisoned + fleet.stuck) { inFlight++; continue; }
    // A job sent twice is done once, as the real worker does it.
    records.push(client.send(new PutItemCommand({
      TableName: TABLE,
      Item: {
        jobId: { S: job.jobId }, seconds: { N: String(job.seconds) },
        ...(fleet.worker === undefined ? {} : { worker: { S: fleet.worker } }),
      },
      ConditionExpression: 'attribute_not_exists(jobId)',
    })).catch((error) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }));
  }
  await Promise.all(records);
}

beforeAll(async () => {
  engine = await startDynalite();
  await createTable(engine.endpoint, TABLE, [{ AttributeName: 'jobId', KeyType: 'HASH' }],
    [{ AttributeName: 'jobId', AttributeType: 'S' }]);
});

beforeEach(() => {
  cloudFormation.reset();
  cloudFormation.on(DescribeStacksCommand, { StackName: STACK }).resolves({
    Stacks: [{
      StackName: STACK, StackStatus: 'CREATE_COMPLETE', CreationTime: new Date(),
      Outputs: Object.entries({
        QueueUrl: QUEUE, DeadLetterQueueUrl: DEAD_LETTERS, TableName: TABLE, ClusterName: 'workers',
        ServiceName: 'worker-service',
      }).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
    }],
  });
  fleet = LAB_FLEET;
  waiting = [];
  deadLetters = 0;
  workers = 0;
  desired = 0;
  inFlight = 0;
  sentBatches = [];
  moves = 0;
  sqs.reset();
  ecs.reset();
  sqs.on(SendMessageBatchCommand).callsFake(async (input) => {
    sentBatches.push(input);
    const taken = input.Entries.slice(fleet.refused);
    waiting.push(...taken.map((entry: { MessageBody: string }) => JSON.parse(entry.MessageBody)));
    return {
      Successful: taken.map((entry: { Id: string }) => ({ Id: entry.Id })),
      Failed: input.Entries.slice(0, fleet.refused)
        .map((entry: { Id: string }) => ({ Id: entry.Id, Code: 'InvalidParameterValue', Message: 'too long' })),
    };
  });
  sqs.on(GetQueueAttributesCommand).callsFake(async ({ QueueUrl, AttributeNames }) => {
    const counts: Record<string, number> = QueueUrl === QUEUE
      ? { ApproximateNumberOfMessages: waiting.length, ApproximateNumberOfMessagesNotVisible: inFlight }
      : { ApproximateNumberOfMessages: deadLetters, ApproximateNumberOfMessagesNotVisible: 0 };
    // As SQS does: only the attributes asked for.
    return { Attributes: Object.fromEntries(AttributeNames.map((name: string) => [name, String(counts[name])])) };
  });
  ecs.on(DescribeServicesCommand, { cluster: 'workers', services: ['worker-service'] }).callsFake(
    async () => ({ services: [{ serviceName: 'worker-service', runningCount: workers, desiredCount: desired }] }));
});

afterAll(async () => {
  await engine?.stop();
});

/**
 * Runs the checks with a time limit long enough for the stand-in fleet to finish on a loaded machine; a failing
 * check's wait ends once the fleet's next step would change nothing and the check fails alike twice
 * (endWaitWhenSettled).
 */
async function verify(waitScaleIn = false, timeLimitMs = 10_000): Promise<{ passed: boolean; lines: string[] }> {
  let stepping = Promise.resolve();
  const clock = setInterval(() => { stepping = stepping.then(step); }, 30);
  const { passed, lines } = await verifySettling(sqsWorkersVerifier, standIns, {
    stackName: STACK,
    aws: withClients(
      awsClients({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
      { dynamodb: dynamodb() },
    ),
    timeLimitMs,
    retryDelayMs: 50,
    waitScaleIn,
  }).finally(() => clearInterval(clock));
  await stepping;
  return { passed, lines: lines.map((line) => line.replace(/ \(try \d+\)$/, '')) };
}

const recordsLeft = async () => (await dynamodb().send(new ScanCommand({ TableName: TABLE }))).Count;
const verdicts = (lines: string[]) => lines.filter((line) => /^(PASS|FAIL) /.test(line))
  .map((line) => line.replace(/^(\w+ {2}[^:]+): .*$/, '$1'));
const CHECKS = [
  'sends 20 test jobs of 2 seconds',
  'the scaler starts at least one worker (within minutes, the alarm then the task start)',
  'every test job is recorded, by a worker',
  'the queue drains, with no job waiting or in progress and none new in the dead-letter queue',
];
const SCALE_IN = 'the scaler stops every worker again (5 minutes after the queue is empty, plus a minute or so)';

test('passes when workers start, record every job and drain the queue, and deletes the records '
  + '(SQS and ECS mocked, worker stand-in)', async () => {
  const { passed, lines } = await verify();
  expect(verdicts(lines)).toEqual(CHECKS.map((name) => `PASS  ${name}`));
  expect(lines).toEqual(expect.arrayContaining([
    expect.stringMatching(/^PASS {2}sends 20 .*: verify-[0-9a-f-]{36}-01 to verify-[0-9a-f-]{36}-20$/),
    `PASS  ${CHECKS[1]}: 2 running, 2 desired`,
    `PASS  ${CHECKS[2]}: 20 of 20, by 1 worker(s)`,
    `PASS  ${CHECKS[3]}: 0 waiting, 0 in progress; 0 dead letters (0 before)`,
    expect.stringMatching(/^Clean-up: deleted the records of 20 test job\(s\) \(verify-[0-9a-f-]{36}-\*\)$/),
  ]));
  expect(passed).toBe(true);
  expect(sentBatches).toHaveLength(2);
  expect((sentBatches[0] as any).QueueUrl).toBe(QUEUE);
  expect((sentBatches[0] as any).Entries[0]).toEqual({
    Id: '0', MessageBody: expect.stringMatching(/^\{"jobId":"verify-[0-9a-f-]{36}-01","seconds":2\}$/),
  });
  expect(await recordsLeft()).toBe(0);
});

test('with --wait-scale-in, also passes once the scaler has stopped every worker (mocked)', async () => {
  const { passed, lines } = await verify(true);
  expect(verdicts(lines)).toEqual([...CHECKS, SCALE_IN].map((name) => `PASS  ${name}`));
  expect(lines).toContainEqual(`PASS  ${SCALE_IN}: 0 running, 0 desired`);
  expect(passed).toBe(true);
});

test('with --wait-scale-in, fails while workers keep running on an empty queue (mocked)', async () => {
  fleet = { ...LAB_FLEET, scalesIn: false };
  const { passed, lines } = await verify(true);
  expect(lines).toContainEqual(`FAIL  ${SCALE_IN}: 2 running, 2 desired`);
  expect(verdicts(lines).filter((line) => line.startsWith('FAIL'))).toEqual([`FAIL  ${SCALE_IN}`]);
  expect(passed).toBe(false);
});

test('fails when no worker starts, naming what is missing, and deletes nothing it did not make (mocked)', async () => {
  fleet = { ...LAB_FLEET, startsWorkers: false };
  const { passed, lines } = await verify();
  expect(lines).toContainEqual(`FAIL  ${CHECKS[1]}: 0 running, 0 desired`);
  expect(lines).toContainEqual(
    expect.stringMatching(/^FAIL {2}every test job .*: 0 of 20 recorded; missing verify-.*-01 and 19 more$/));
  expect(lines).toContainEqual(`FAIL  ${CHECKS[3]}: 20 waiting, 0 in progress; 0 dead letters (0 before)`);
  expect(lines).toContainEqual(expect.stringMatching(/^Clean-up: deleted the records of 0 test job\(s\)/));
  expect(passed).toBe(false);
});

test('fails when a job ends in the dead-letter queue (mocked, worker stand-in)', async () => {
  fleet = { ...LAB_FLEET, poisoned: 1 };
  const { passed, lines } = await verify();
  expect(lines).toContainEqual(
    expect.stringMatching(/^FAIL {2}every test job .*: 19 of 20 recorded; missing verify-.*-01 and 0 more$/));
  expect(lines).toContainEqual(`FAIL  ${CHECKS[3]}: 0 waiting, 0 in progress; 1 dead letters (0 before): `
    + 'look at them with aws sqs receive-message');
  expect(await recordsLeft()).toBe(0);
  expect(passed).toBe(false);
});

test('fails when the records do not name a worker task (mocked, worker stand-in)', async () => {
  fleet = { ...LAB_FLEET, worker: 'unknown' };
  const { lines } = await verify();
  expect(lines).toContainEqual(`FAIL  ${CHECKS[2]}: records name the worker unknown, not a task ARN`);
});

test('fails when SQS refuses jobs, with its message, and still cleans up the jobs it took (mocked)', async () => {
  // The fleet is kept from working, so no record can land after the clean-up.
  fleet = { ...LAB_FLEET, refused: 1, startsWorkers: false };
  const { passed, lines } = await verify();
  expect(lines).toContainEqual(`FAIL  ${CHECKS[0]}: SQS refused 1 job(s): too long`);
  expect(lines).toContainEqual(expect.stringMatching(/^Clean-up: deleted the records of 0 test job\(s\)/));
  expect(passed).toBe(false);
});

test('cleans up the records of jobs SQS took from a batch it partly refused (mocked)', async () => {
  fleet = { ...LAB_FLEET, refused: 1 };
  const { checks, cleanUp } = sqsWorkersVerifier.checks({
    stackName: STACK,
    outputs: { QueueUrl: QUEUE, DeadLetterQueueUrl: DEAD_LETTERS, TableName: TABLE, ClusterName: 'workers',
      ServiceName: 'worker-service' },
    aws: withClients(awsClients({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
      { dynamodb: dynamodb() }),
  });
  await expect(checks[0].run()).rejects.toThrow('SQS refused 1 job(s): too long');
  workers = 2;
  await step();
  expect(await recordsLeft()).toBe(9);
  expect(await cleanUp!()).toMatch(/^deleted the records of 9 test job\(s\)/);
  expect(await recordsLeft()).toBe(0);
});

test('cleans up nothing when no job was sent', async () => {
  const { cleanUp } = sqsWorkersVerifier.checks({
    stackName: STACK, outputs: {}, aws: awsClients({ region: 'us-east-1' }),
  });
  expect(await cleanUp!()).toBeUndefined();
});

describe('each side of each check (SQS and ECS mocked, worker stand-in)', () => {
  test('one worker is enough to pass the start check', async () => {
    fleet = { ...LAB_FLEET, starts: 1 };
    const { lines } = await verify();
    expect(lines).toContainEqual(`PASS  ${CHECKS[1]}: 1 running, 1 desired`);
  });

  test('counts only new dead letters: three that were there before the run pass', async () => {
    deadLetters = 3;
    const { passed, lines } = await verify();
    expect(lines).toContainEqual(`PASS  ${CHECKS[3]}: 0 waiting, 0 in progress; 3 dead letters (3 before)`);
    expect(passed).toBe(true);
  });

  test('fails while jobs are in progress, though none is waiting', async () => {
    fleet = { ...LAB_FLEET, stuck: 2 };
    const { lines } = await verify();
    expect(lines).toContainEqual(`FAIL  ${CHECKS[3]}: 0 waiting, 2 in progress; 0 dead letters (0 before)`);
  });

  test.each([
    [{ running: 0, desired: 1 }, '0 running, 1 desired'],
    [{ running: 1, desired: 0 }, '1 running, 0 desired'],
  ])('with --wait-scale-in, fails on %j', async (afterwards, seen) => {
    fleet = { ...LAB_FLEET, afterwards };
    const { lines } = await verify(true);
    expect(lines).toContainEqual(`FAIL  ${SCALE_IN}: ${seen}`);
  });

  test('fails when the service does not exist, naming it and its cluster', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [] });
    const { lines } = await verify();
    expect(lines).toContainEqual(`FAIL  ${CHECKS[1]}: no service worker-service in cluster workers`);
  });

  test('sends again only the batch SQS refused, on the next try', async () => {
    let calls = 0;
    sqs.on(SendMessageBatchCommand).callsFake(async (input) => {
      sentBatches.push(input);
      calls++;
      const refuse = calls === 2;
      const jobs = input.Entries.map((entry: { MessageBody: string }) => JSON.parse(entry.MessageBody));
      if (!refuse) waiting.push(...jobs);
      return refuse
        ? { Successful: [], Failed: [{ Id: '0', Code: 'ServiceUnavailable', Message: 'try again' }] }
        : { Successful: input.Entries.map((entry: { Id: string }) => ({ Id: entry.Id })), Failed: [] };
    });
    const { passed } = await verify();
    const firstJobs = sentBatches.map((batch: any) => JSON.parse(batch.Entries[0].MessageBody).jobId.slice(-2));
    expect(firstJobs).toEqual(['01', '11', '11']);
    expect(passed).toBe(true);
  });

  test('fails on a record that names no worker, or has no worker at all', async () => {
    fleet = { ...LAB_FLEET, worker: '' };
    expect((await verify()).lines).toContainEqual(`FAIL  ${CHECKS[2]}: records name the worker , not a task ARN`);
    fleet = { ...LAB_FLEET, worker: undefined };
    expect((await verify()).lines).toContainEqual(`FAIL  ${CHECKS[2]}: records name the worker (none), not a task ARN`);
  });

  test('does not pass the dead-letter check without the count from before the run, which it could not read',
    async () => {
      // One try of each check (time limit 0): the first read of the dead-letter queue fails, a later one answers.
      let deadLetterReads = 0;
      sqs.on(GetQueueAttributesCommand, { QueueUrl: DEAD_LETTERS }).callsFake(async () => {
        if (++deadLetterReads === 1) throw new Error('AccessDenied: not allowed');
        return { Attributes: { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' } };
      });
      const { passed, lines } = await verify(false, 0);
      expect(lines).toContainEqual(`FAIL  ${CHECKS[0]}: AccessDenied: not allowed`);
      expect(lines).toContainEqual(`FAIL  ${CHECKS[3]}: 0 waiting, 0 in progress; 0 dead letters (? before): `
        + 'look at them with aws sqs receive-message');
      expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
      expect(passed).toBe(false);
    });
});

test('cannot check a stack without the outputs it reads, and says which (mocked)', async () => {
  cloudFormation.on(DescribeStacksCommand, { StackName: STACK }).resolves({
    Stacks: [{
      StackName: STACK, StackStatus: 'CREATE_COMPLETE', CreationTime: new Date(),
      Outputs: [{ OutputKey: 'QueueUrl', OutputValue: QUEUE }],
    }],
  });
  await expect(verify()).rejects.toThrow(/DeadLetterQueueUrl/);
});
