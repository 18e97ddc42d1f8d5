import { AttributeValue, DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ChildProcess, execFile, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { setTimeout as delay } from 'timers/promises';
import { promisify } from 'util';
import { startDynalite } from '../../lib/local/dynalite';
import { createTable, DynamoDbEngine, localClientConfig } from '../../lib/local/dynamodb-engine';
import { serveStandIn, StandIn } from '../helpers/http-stand-in';
import { AwsCliStandIn, serveAwsCli } from '../helpers/aws-cli-stand-in';
import { answerSqsWorkerCall, Message, State } from './aws-cli-stand-in';

// SqsWorkersLab's worker as each task of the service runs it: the script's text as the argument of `sh -c` (the
// stack's entryPoint), under dash, stricter than the image's bash as sh; the tests of SIGTERM run under both. The AWS
// CLI is a stand-in: its SQS is a queue kept in a state file, with visibility timeouts, receipt handles, long polling
// and a redrive policy; its DynamoDB calls go to a real engine (dynalite). The task metadata endpoint is served on
// 127.0.0.1. The environment holds only what Fargate and the task definition set (and the stand-in's variables): no
// locale, as in the CLI's image.
jest.setTimeout(30_000);

const SCRIPT = path.join(__dirname, '..', '..', 'labs', 'sqs-workers', 'task', 'worker.sh');
const which = (name: string) => spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf-8' }).stdout.trim();
/** The shells that run the script as sh: Debian's, and Amazon Linux 2023's (bash in POSIX mode when named sh). */
const DASH = { name: 'dash', file: which('dash') || 'sh' };
const SHELLS = [DASH, { name: 'bash as sh', file: which('bash'), argv0: 'sh' }];
type Shell = (typeof SHELLS)[number];

const REGION = 'eu-west-1';
const QUEUE_URL = `https://sqs.${REGION}.amazonaws.com/123456789012/SqsWorkersLab-JobsQueue1A2B3C4D-5E6F7G8H9I0J`;
const TASK_ARN = (taskId: string) => `arn:aws:ecs:${REGION}:123456789012:task/SqsWorkersLab-Cluster/${taskId}`;
const TASK_ID = '6a1f0c2b9d8e4f7a8b3c5d2e1f0a9b8c';
const OTHER_TASK_ID = '0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b';
const START = (max = '120', taskArn = TASK_ARN(TASK_ID)) => `worker ${taskArn} polling ${QUEUE_URL} `
  + `for jobs of at most ${max} s`;
/** Long enough for a dash or bash to run its trap and one AWS CLI (stand-in) call. */
const PROMPTLY_MS = 2000;

type Item = Record<string, AttributeValue>;

/** One test's queue and table. */
interface Fixture {
  readonly table: string;
  readonly statePath: string;
}

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The arguments of each AWS CLI call, in order. */
  readonly calls: string[][];
}

interface Worker {
  /** Its AWS CLI calls so far. */
  readonly calls: () => string[][];
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exited: Promise<Exit>;
  /** Waits until the check holds, or fails with the worker's output. */
  until(check: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** Sends SIGTERM, as ECS does, and waits for the exit; stopMs: from the signal to the exit. */
  stop(): Promise<Exit & { stopMs: number }>;
}

let dir: string;
let engine: DynamoDbEngine;
let metadata: StandIn;
let awsCli: AwsCliStandIn;
let dynamodb: DynamoDBClient;
let fixtures = 0;
let workersStarted = 0;
const workers = new Set<ChildProcess>();

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labs-sqs-worker-'));
  awsCli = await serveAwsCli(dir, answerSqsWorkerCall);
  engine = await startDynalite();
  dynamodb = new DynamoDBClient(localClientConfig(engine.endpoint));
  // Task metadata v4 as Fargate answers it, for any task id in the path.
  metadata = await serveStandIn((request, response) => {
    const taskId = /^\/v4\/(\w+)\/task$/.exec(request.url ?? '')?.[1];
    if (!taskId) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
      Cluster: `arn:aws:ecs:${REGION}:123456789012:cluster/SqsWorkersLab-Cluster`,
      TaskARN: TASK_ARN(taskId),
      Family: 'SqsWorkersLabWorker',
      Revision: '1',
      DesiredStatus: 'RUNNING',
      KnownStatus: 'RUNNING',
      Containers: [{ Name: 'Worker', Labels: { 'com.amazonaws.ecs.task-arn': TASK_ARN(taskId) } }],
      LaunchType: 'FARGATE',
      AvailabilityZone: `${REGION}a`,
    }));
  });
});

afterEach(async () => {
  // A test that failed may leave a worker running: SIGTERM, then its whole process group (its sleep, its CLI call).
  for (const child of workers) {
    child.kill('SIGTERM');
    await delay(PROMPTLY_MS);
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
  }
  workers.clear();
});

afterAll(async () => {
  dynamodb?.destroy();
  await metadata?.close();
  await awsCli?.close();
  await engine?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** A new queue (the lab's settings: visibility timeout above MAX_JOB_SECONDS, maxReceiveCount 3) and table. */
async function fixture(queue: Partial<Pick<State['queue'], 'visibilityTimeout'>> = {}): Promise<Fixture> {
  fixtures += 1;
  const table = `SqsWorkersLab-JobsTable-${fixtures}`;
  await createTable(engine.endpoint, table, [{ AttributeName: 'jobId', KeyType: 'HASH' }],
    [{ AttributeName: 'jobId', AttributeType: 'S' }]);
  const statePath = path.join(dir, `state-${fixtures}.json`);
  const state: State = {
    queue: {
      url: QUEUE_URL, visibilityTimeout: 180, maxReceiveCount: 3, messages: [], deadLetters: [], deleted: [], ...queue,
    },
    failures: [],
  };
  fs.writeFileSync(statePath, JSON.stringify(state));
  return { table, statePath };
}

function readState(f: Fixture): State {
  return JSON.parse(fs.readFileSync(f.statePath, 'utf-8'));
}

/** Changes the state before a worker starts; while one runs, only the stand-in (aws) may. */
function changeState(f: Fixture, change: (state: State) => void): void {
  const state = readState(f);
  change(state);
  fs.writeFileSync(f.statePath, JSON.stringify(state));
}

let messages = 0;

/** Puts a message in the queue; receiveCount: how often it was received before (by workers that did not delete it). */
function send(f: Fixture, body: string, receiveCount = 0): Message {
  messages += 1;
  const message = {
    id: `00000000-0000-4000-8000-${String(messages).padStart(12, '0')}`, body, receiveCount, visibleAt: 0,
    receiptHandle: null, handles: [],
  };
  changeState(f, (state) => state.queue.messages.push(message));
  return message;
}

const job = (jobId: string, seconds: number) => JSON.stringify({ jobId, seconds });

/** The AWS CLI calls in the log, each call's arguments. */
function readCalls(callsPath: string): string[][] {
  return fs.readFileSync(callsPath, 'utf-8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

/** Runs the AWS CLI stand-in as the test (its calls are not the worker's): a send, or a receive that does not wait. */
async function aws(f: Fixture, ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(path.join(awsCli.bin, 'aws'), args, {
    env: {
      PATH: process.env.PATH, AWS_REGION: REGION, LC_ALL: 'C.UTF-8', AWS_CLI_STAND_IN_WAIT_SECONDS: '0',
      ...awsCli.env,
      AWS_CLI_STAND_IN_STATE: f.statePath, AWS_CLI_STAND_IN_CALLS: path.join(dir, 'test-calls.jsonl'),
    },
  });
  return stdout;
}

/** The worker's script run by sh, with the task definition's variables and these. */
function startWorker(f: Fixture, env: Record<string, string | undefined> = {}, shell: Shell = DASH): Worker {
  const variables = {
    QUEUE_URL, TABLE: f.table, MAX_JOB_SECONDS: '120', AWS_REGION: REGION,
    ECS_CONTAINER_METADATA_URI_V4: `${metadata.origin}/v4/${TASK_ID}`,
    ...env,
  };
  workersStarted += 1;
  const callsPath = path.join(dir, `calls-${workersStarted}.jsonl`);
  fs.writeFileSync(callsPath, '');
  const child = spawn(shell.file, ['-c', fs.readFileSync(SCRIPT, 'utf-8')], {
    argv0: 'argv0' in shell ? shell.argv0 : undefined,
    cwd: dir,
    env: {
      ...Object.fromEntries(Object.entries(variables).filter(([, value]) => value !== undefined)),
      PATH: [awsCli.bin, process.env.PATH].join(path.delimiter),
      ...awsCli.env,
      AWS_CLI_STAND_IN_STATE: f.statePath,
      AWS_CLI_STAND_IN_CALLS: callsPath,
      AWS_CLI_STAND_IN_DYNAMODB: engine.endpoint,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A process group of its own, for afterEach's clean-up; SIGTERM goes to the shell alone, as ECS sends it.
    detached: true,
  });
  workers.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => { stdout += chunk; });
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const exited = new Promise<Exit>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      workers.delete(child);
      resolve({ code, signal, stdout, stderr, calls: readCalls(callsPath) });
    });
  });
  let running = true;
  void exited.then(() => { running = false; });
  return {
    calls: () => readCalls(callsPath),
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    async until(check, what, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!check()) {
        if (!running || Date.now() > deadline) {
          throw new Error(`${running ? 'timed out' : 'the worker exited'} before ${what}\nstdout:\n${stdout}\n`
            + `stderr:\n${stderr}\ncalls:\n${readCalls(callsPath).map((call) => call.join(' ')).join('\n')}`);
        }
        await delay(20);
      }
    },
    async stop() {
      const sent = Date.now();
      child.kill('SIGTERM');
      const exit = await exited;
      return { ...exit, stopMs: Date.now() - sent };
    },
  };
}

const receiveCall = ['sqs', 'receive-message', '--queue-url', QUEUE_URL, '--max-number-of-messages', '1',
  '--wait-time-seconds', '20', '--attribute-names', 'ApproximateReceiveCount',
  '--query', 'Messages[0].[MessageId,ReceiptHandle,Attributes.ApproximateReceiveCount,Body]', '--output', 'text'];
const getItemCall = (f: Fixture, jobId: string) => ['dynamodb', 'get-item', '--table-name', f.table,
  '--key', `{"jobId":{"S":"${jobId}"}}`, '--consistent-read', '--query', 'Item != `null`', '--output', 'text'];
const putItemCall = (f: Fixture) => ['dynamodb', 'put-item', '--table-name', f.table, '--item', expect.any(String),
  '--condition-expression', 'attribute_not_exists(jobId)'];
const deleteCall = (handle: string) => ['sqs', 'delete-message', '--queue-url', QUEUE_URL, '--receipt-handle', handle];
const visibleCall = (handle: string) => ['sqs', 'change-message-visibility', '--queue-url', QUEUE_URL,
  '--receipt-handle', handle, '--visibility-timeout', '0'];
const isReceive = (call: string[]) => call[1] === 'receive-message';

/** The table's items, by jobId. */
async function items(f: Fixture): Promise<Item[]> {
  const { Items = [] } = await dynamodb.send(new ScanCommand({ TableName: f.table, ConsistentRead: true }));
  return Items.sort((a, b) => a.jobId.S!.localeCompare(b.jobId.S!));
}

async function putRecord(f: Fixture, item: Item): Promise<void> {
  await dynamodb.send(new PutItemCommand({ TableName: f.table, Item: item }));
}

/** The record the worker writes, finished between `after` and now (finishedAt has whole seconds). */
function recordOf(jobId: string, seconds: number, receiveCount: number, after: Date, worker = TASK_ARN(TASK_ID)) {
  const finishedAt = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const checkTime = {
    asymmetricMatch: (value: string) => finishedAt.asymmetricMatch(value)
      && Date.parse(value) >= Math.floor(after.getTime() / 1000) * 1000 && Date.parse(value) <= Date.now(),
    toString: () => `a time in UTC from ${after.toISOString()} to now`,
  };
  return {
    jobId: { S: jobId }, seconds: { N: String(seconds) }, worker: { S: worker }, finishedAt: { S: checkTime },
    receiveCount: { N: String(receiveCount) },
  };
}

describe('jobs', () => {
  test('works three jobs, records each once and deletes its message, then stops at SIGTERM during the 20-second '
    + 'long poll, promptly, with exit 0 (AWS CLI stand-in)', async () => {
    const f = await fixture();
    const jobs: [string, number][] = [['first', 1], ['second', 0], ['third', 1]];
    const sent = jobs.map(([jobId, seconds]) => send(f, job(jobId, seconds)));
    const started = new Date();
    // No AWS_CLI_STAND_IN_WAIT_SECONDS: a receive on an empty queue waits the whole 20 s.
    const worker = startWorker(f);
    await worker.until(() => worker.calls().filter(isReceive).length === 4, 'the fourth receive');
    const worked = Date.now() - started.getTime();
    await delay(300);
    const exit = await worker.stop();
    expect(exit.code).toBe(0);
    expect(exit.stopMs).toBeLessThan(PROMPTLY_MS);
    // The work is a sleep of each job's seconds.
    expect(worked).toBeGreaterThanOrEqual(2000);
    expect(await items(f)).toEqual(jobs.map(([jobId, seconds]) => recordOf(jobId, seconds, 1, started)));
    const { queue } = readState(f);
    expect(queue.messages).toEqual([]);
    expect(queue.deadLetters).toEqual([]);
    expect(queue.deleted.map(({ id, receiveCount }) => ({ id, receiveCount })))
      .toEqual(sent.map(({ id }) => ({ id, receiveCount: 1 })));
    expect(exit.calls).toEqual([
      ...queue.deleted.flatMap((message, index) => [
        receiveCall, getItemCall(f, jobs[index][0]), putItemCall(f), deleteCall(message.handles[0]),
      ]),
      receiveCall,
    ]);
    expect(exit.stdout).toBe([
      START(),
      'working: first (1 s, receive 1)', 'done: first',
      'working: second (0 s, receive 1)', 'done: second',
      'working: third (1 s, receive 1)', 'done: third',
      'stopped: no job in progress', '',
    ].join('\n'));
    expect(exit.stderr).toBe('');
  });

  test('takes a job sent during its 20-second long poll at once (AWS CLI stand-in)', async () => {
    const f = await fixture();
    const worker = startWorker(f);
    await worker.until(() => worker.calls().length === 1, 'the first receive');
    await delay(500);
    const sent = Date.now();
    await aws(f, 'sqs', 'send-message', '--queue-url', QUEUE_URL, '--message-body', job('late', 0),
      '--query', 'MessageId', '--output', 'text');
    await worker.until(() => worker.stdout().includes('done: late\n'), 'the job is done');
    expect(Date.now() - sent).toBeLessThan(PROMPTLY_MS);
    const exit = await worker.stop();
    expect(exit.code).toBe(0);
    expect(exit.calls.slice(0, 4)).toEqual([receiveCall, getItemCall(f, 'late'), putItemCall(f), expect.any(Array)]);
  });

  test('a job already recorded (its message delivered again) is deleted without being worked (AWS CLI stand-in)',
    async () => {
      const f = await fixture();
      const recorded = {
        jobId: { S: 'again' }, seconds: { N: '30' }, worker: { S: TASK_ARN(OTHER_TASK_ID) },
        finishedAt: { S: '2026-11-28T01:02:03Z' }, receiveCount: { N: '1' },
      };
      await putRecord(f, recorded);
      // Received once by a worker that recorded the job and stopped before deleting the message.
      const message = send(f, job('again', 30), 1);
      const started = Date.now();
      const worker = startWorker(f, { AWS_CLI_STAND_IN_WAIT_SECONDS: '0.2' });
      await worker.until(() => readState(f).queue.deleted.length === 1, 'the message is deleted');
      // Not 30 s of work.
      expect(Date.now() - started).toBeLessThan(10_000);
      const exit = await worker.stop();
      expect(exit.code).toBe(0);
      expect(exit.stdout).toBe(`${START()}\nalready done: again\nstopped: no job in progress\n`);
      expect(await items(f)).toEqual([recorded]);
      const [deleted] = readState(f).queue.deleted;
      expect(deleted).toMatchObject({ id: message.id, receiveCount: 2 });
      expect(exit.calls.slice(0, 3)).toEqual([receiveCall, getItemCall(f, 'again'), deleteCall(deleted.handles[0])]);
      expect(exit.calls.slice(3).every(isReceive)).toBe(true);
    });

  test('a jobId "None" is not taken for the CLI\'s None: worked and recorded (AWS CLI stand-in)', async () => {
    const f = await fixture();
    send(f, job('None', 0));
    const started = new Date();
    const worker = startWorker(f, { AWS_CLI_STAND_IN_WAIT_SECONDS: '0.2' });
    await worker.until(() => worker.stdout().includes('done: None\n'), 'the job is done');
    const exit = await worker.stop();
    expect(exit.code).toBe(0);
    expect(await items(f)).toEqual([recordOf('None', 0, 1, started)]);
  });

  test.each(SHELLS)('SIGTERM in the middle of a 30-second job ($name): exit 0 promptly, no record, and the message '
    + 'visible again at once with its receive count (AWS CLI stand-in)', async (shell) => {
    const f = await fixture();
    const message = send(f, job('long', 30));
    const worker = startWorker(f, {}, shell);
    await worker.until(() => worker.stdout().includes('working: long'), 'the work starts');
    await delay(500);
    const exit = await worker.stop();
    expect(exit.code).toBe(0);
    expect(exit.stopMs).toBeLessThan(PROMPTLY_MS);
    expect(exit.stdout).toBe(`${START()}\nworking: long (30 s, receive 1)\nstopped: long returned to the queue\n`);
    expect(exit.stderr).toBe('');
    expect(await items(f)).toEqual([]);
    const { queue } = readState(f);
    expect(queue.messages).toEqual([expect.objectContaining({ id: message.id, receiveCount: 1 })]);
    expect(queue.messages[0].visibleAt).toBeLessThanOrEqual(Date.now());
    expect(exit.calls).toEqual([receiveCall, getItemCall(f, 'long'), visibleCall(queue.messages[0].handles[0])]);
    // The next receive, this worker's successor's, takes it at once, as its second receive.
    const next = await aws(f, ...receiveCall);
    expect(next.split('\t').slice(0, 3)).toEqual([message.id, expect.stringMatching(/^AQEB/), '2']);
  });

  test.each(SHELLS)('SIGTERM during the 20-second long poll of an empty queue ($name): exit 0 promptly '
    + '(AWS CLI stand-in)', async (shell) => {
    const f = await fixture();
    const worker = startWorker(f, {}, shell);
    await worker.until(() => worker.calls().length === 1, 'the first receive');
    await delay(500);
    const exit = await worker.stop();
    expect(exit.code).toBe(0);
    expect(exit.stopMs).toBeLessThan(PROMPTLY_MS);
    expect(exit.calls).toEqual([receiveCall]);
    expect(exit.stdout).toBe(`${START()}\nstopped: no job in progress\n`);
  });

  test('with an empty queue, only receives, one after the other, until SIGTERM (AWS CLI stand-in)', async () => {
    const f = await fixture();
    const worker = startWorker(f, { AWS_CLI_STAND_IN_WAIT_SECONDS: '0.2' });
    await worker.until(() => worker.calls().length >= 4, 'four receives');
    const exit = await worker.stop();
    expect(exit.code).toBe(0);
    expect(exit.calls.length).toBeGreaterThanOrEqual(4);
    expect(exit.calls).toEqual(exit.calls.map(() => receiveCall));
    expect(exit.stdout).toBe(`${START()}\nstopped: no job in progress\n`);
    expect(exit.stderr).toBe('');
    expect(await items(f)).toEqual([]);
  });

  test('a record that fails (PutItem throttled) leaves the message to SQS, neither deleted nor made visible, and '
    + 'the worker goes on with the next job; exit 0 at SIGTERM (AWS CLI stand-in)', async () => {
    const f = await fixture();
    const message = 'The level of configured provisioned throughput for the table was exceeded. Consider increasing '
      + 'your provisioning level with the UpdateTable API.';
    changeState(f, (state) => state.failures.push({
      operation: 'PutItem', jobId: 'throttled', code: 'ProvisionedThroughputExceededException', message,
    }));
    const throttled = send(f, job('throttled', 0));
    send(f, job('fine', 0));
    const started = new Date();
    const worker = startWorker(f, { AWS_CLI_STAND_IN_WAIT_SECONDS: '0.2' });
    await worker.until(() => worker.stdout().includes('done: fine\n'), 'the second job is done');
    const exit = await worker.stop();
    expect(exit.code).toBe(0);
    expect(exit.stderr).toBe('failed: recording throttled: An error occurred (ProvisionedThroughputExceededException) '
      + `when calling the PutItem operation: ${message}\n`);
    expect(exit.stdout).toBe([START(), 'working: throttled (0 s, receive 1)', 'working: fine (0 s, receive 1)',
      'done: fine', 'stopped: no job in progress', ''].join('\n'));
    expect(await items(f)).toEqual([recordOf('fine', 0, 1, started)]);
    const { queue } = readState(f);
    // In flight until the visibility timeout: then received again, and dead-lettered after the third receive.
    expect(queue.messages).toEqual([expect.objectContaining({ id: throttled.id, receiveCount: 1 })]);
    expect(queue.messages[0].visibleAt).toBeGreaterThan(Date.now() + 170_000);
    expect(exit.calls.slice(0, 7)).toEqual([
      receiveCall, getItemCall(f, 'throttled'), putItemCall(f),
      receiveCall, getItemCall(f, 'fine'), putItemCall(f), deleteCall(queue.deleted[0].handles[0]),
    ]);
  });

  test('a job another worker records while this one works it is "done by another worker": its record kept, the '
    + 'message deleted (AWS CLI stand-in)', async () => {
    const f = await fixture();
    send(f, job('race', 2));
    const worker = startWorker(f, { AWS_CLI_STAND_IN_WAIT_SECONDS: '0.2' });
    await worker.until(() => worker.stdout().includes('working: race'), 'the work starts');
    const theirs = {
      jobId: { S: 'race' }, seconds: { N: '2' }, worker: { S: TASK_ARN(OTHER_TASK_ID) },
      finishedAt: { S: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }, receiveCount: { N: '2' },
    };
    await putRecord(f, theirs);
    await worker.until(() => readState(f).queue.deleted.length === 1, 'the message is deleted');
    const exit = await worker.stop();
    expect(exit.code).toBe(0);
    expect(exit.stdout).toBe(`${START()}\nworking: race (2 s, receive 1)\ndone by another worker: race\n`
      + 'stopped: no job in progress\n');
    expect(exit.stderr).toBe('');
    expect(await items(f)).toEqual([theirs]);
  });

  test('a job that outlasts the queue\'s visibility timeout is received again and worked a second time by another '
    + 'worker: the visibility timeout must exceed MAX_JOB_SECONDS (AWS CLI stand-in)', async () => {
    const f = await fixture({ visibilityTimeout: 1 });
    const message = send(f, job('slow', 3));
    const started = new Date();
    const first = startWorker(f, { AWS_CLI_STAND_IN_WAIT_SECONDS: '0.2' });
    await first.until(() => first.stdout().includes('working: slow'), 'the first worker starts the job');
    const second = startWorker(f, {
      AWS_CLI_STAND_IN_WAIT_SECONDS: '0.2', ECS_CONTAINER_METADATA_URI_V4: `${metadata.origin}/v4/${OTHER_TASK_ID}`,
    });
    await second.until(() => second.stdout().includes('done by another worker: slow\n'), 'the second finishes');
    // The first's third receive comes once the second's receive is visible again: on a busy machine, after the above.
    await first.until(() => first.stdout().includes('already done: slow\n'), 'the first finds the job done');
    const [firstExit, secondExit] = await Promise.all([first.stop(), second.stop()]);
    // 1 s after the first receive, the second worker receives the job, and works it too. The first records it, and
    // its delete, with a handle that is no longer the latest, deletes nothing: it receives the job a third time, finds
    // it done and deletes it.
    expect(firstExit.stdout).toContain('working: slow (3 s, receive 1)\ndone: slow\nalready done: slow\n');
    expect(secondExit.stdout).toContain('working: slow (3 s, receive 2)\ndone by another worker: slow\n');
    expect(await items(f)).toEqual([recordOf('slow', 3, 1, started)]);
    const { queue } = readState(f);
    expect(queue.messages).toEqual([]);
    expect(queue.deleted).toEqual([expect.objectContaining({ id: message.id, receiveCount: 3 })]);
    const { handles, deletedWith } = queue.deleted[0] as Message & { deletedWith: string };
    expect(deletedWith).toBe(handles[2]);
    const deletes = (exit: Exit) => exit.calls.filter((call) => call[1] === 'delete-message');
    expect(deletes(firstExit)).toEqual([deleteCall(handles[0]), deleteCall(handles[2])]);
    expect(deletes(secondExit)).toEqual([deleteCall(handles[1])]);
  });

  test('records the task ARN "unknown" when ECS_CONTAINER_METADATA_URI_V4 is not set (AWS CLI stand-in)',
    async () => {
      const f = await fixture();
      send(f, job('local', 0));
      const started = new Date();
      const worker = startWorker(f, { AWS_CLI_STAND_IN_WAIT_SECONDS: '0.2', ECS_CONTAINER_METADATA_URI_V4: undefined });
      await worker.until(() => worker.stdout().includes('done: local\n'), 'the job is done');
      const exit = await worker.stop();
      expect(exit.stdout.split('\n').slice(0, 2)).toEqual([
        'taskArn unknown: ECS_CONTAINER_METADATA_URI_V4 is not set', START('120', 'unknown'),
      ]);
      expect(await items(f)).toEqual([recordOf('local', 0, 1, started, 'unknown')]);
    });

  test('a receive that fails is logged with the CLI\'s message and tried again after a pause, which SIGTERM cuts '
    + 'short: exit 0 (AWS CLI stand-in)', async () => {
    const f = await fixture();
    const missing = QUEUE_URL.replace(/JobsQueue[\w-]+$/, 'DeletedQueue');
    const worker = startWorker(f, { QUEUE_URL: missing });
    await worker.until(() => worker.stderr().includes('failed: receiving'), 'the failed receive');
    const exit = await worker.stop();
    expect(exit.code).toBe(0);
    expect(exit.stopMs).toBeLessThan(PROMPTLY_MS);
    expect(exit.stderr).toBe(`failed: receiving from ${missing}: An error occurred `
      + '(AWS.SimpleQueueService.NonExistentQueue) when calling the ReceiveMessage operation: '
      + 'The specified queue does not exist.\n');
    expect(exit.calls).toEqual([receiveCall.map((arg) => (arg === QUEUE_URL ? missing : arg))]);
  });
});

/** The jobs' seconds may go up to 1 in the runs below: the edges of the rule without long waits. */
const MAX_ONE = { MAX_JOB_SECONDS: '1', AWS_CLI_STAND_IN_WAIT_SECONDS: '0.2' };
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('malformed jobs (MAX_JOB_SECONDS 1), all in one queue for one worker', () => {
  const MALFORMED: [string, string, string][] = [
    ['text that is not JSON', 'not json', 'not JSON'],
    ['lines and tabs that are not JSON', 'x\ty\nz\t', 'not JSON'],
    ['seconds above MAX_JOB_SECONDS', job('above-max', 2), 'seconds is not a whole number from 0 to 1'],
    ['negative seconds', job('negative', -1), 'seconds is not a whole number from 0 to 1'],
    ['seconds with a fraction', '{"jobId":"fraction","seconds":1.0}', 'seconds is not a whole number from 0 to 1'],
    ['seconds with an exponent', '{"jobId":"exponent","seconds":1e0}', 'seconds is not a whole number from 0 to 1'],
    ['seconds as a string', '{"jobId":"string","seconds":"1"}', 'seconds is not a whole number from 0 to 1'],
    ['seconds with a leading zero (not JSON)', '{"jobId":"zero","seconds":01}', 'not JSON'],
    ['no seconds', '{"jobId":"no-seconds"}', 'no seconds'],
    ['no jobId', '{"seconds":1}', 'no jobId'],
    ['a jobId with a space', job('with space', 1), 'jobId is not a string of 1 to 64 of A-Z a-z 0-9 _ -'],
    ['an empty jobId', job('', 1), 'jobId is not a string of 1 to 64 of A-Z a-z 0-9 _ -'],
    ['a jobId of 65 characters', job('x'.repeat(65), 1), 'jobId is not a string of 1 to 64 of A-Z a-z 0-9 _ -'],
    ['a jobId with a non-ASCII letter', job('café', 1), 'jobId is not a string of 1 to 64 of A-Z a-z 0-9 _ -'],
    ['a number as jobId', '{"jobId":42,"seconds":1}', 'jobId is not a string of 1 to 64 of A-Z a-z 0-9 _ -'],
    ['a jobId with a raw newline (not JSON)', '{"jobId":"two\nlines","seconds":1}', 'not JSON'],
    ['jobId twice', '{"jobId":"one","seconds":1,"jobId":"two"}', 'jobId appears twice'],
    ['an array', '["array",1]', 'not a JSON object'],
    ['text after the object', `${job('trailing', 1)} and more`, 'not JSON'],
    ['a trailing comma', '{"jobId":"comma","seconds":1,}', 'not JSON'],
    ['an object cut short', '{"jobId":"cut","seconds":1', 'not JSON'],
    ['a member nested deeper than 32', `{"jobId":"deep","seconds":1,"x":${nested(32)}}`, 'nested deeper than 32'],
  ];
  let f: Fixture;
  let sent: Message[];
  let exit: Exit;
  let state: State;

  beforeAll(async () => {
    f = await fixture();
    sent = MALFORMED.map(([, body]) => send(f, body));
    const worker = startWorker(f, MAX_ONE);
    // Until every message is dead-lettered, or gone otherwise (a wrong worker's), so that each body's test says.
    await worker.until(() => readState(f).queue.messages.length === 0, 'no message is left', 25_000);
    exit = await worker.stop();
    state = readState(f);
  }, 30_000);

  test.each(MALFORMED.map(([what, , reason], index) => [what, reason, index] as const))(
    'rejects %s: made visible again at once after each of its 3 receives, then moved to the dead-letter list by '
    + 'SQS, never recorded nor deleted (AWS CLI stand-in)', (_what, reason, index) => {
      const { id, body } = sent[index];
      const deadLetter = state.queue.deadLetters.find((message) => message.id === id)!;
      expect(deadLetter).toMatchObject({ body, receiveCount: 3 });
      expect(deadLetter.handles).toHaveLength(3);
      expect(exit.calls.filter((call) => deadLetter.handles.includes(call[5])))
        .toEqual(deadLetter.handles.map(visibleCall));
      expect(exit.stdout.split('\n').filter((line) => line.includes(id))).toEqual([1, 2, 3].map((receive) => (
        `malformed: ${id} (receive ${receive}): ${reason}`)));
    },
  );

  test('the worker makes no call but receives and visibility changes, records nothing and exits 0 at SIGTERM '
    + '(AWS CLI stand-in)', async () => {
    expect(exit.code).toBe(0);
    expect(exit.stderr).toBe('');
    expect(exit.calls.filter((call) => !isReceive(call)).map((call) => call[1]))
      .toEqual(MALFORMED.flatMap(() => Array(3).fill('change-message-visibility')));
    expect(state.queue.messages).toEqual([]);
    expect(state.queue.deleted).toEqual([]);
    expect(await items(f)).toEqual([]);
  });
});

describe('accepted jobs (MAX_JOB_SECONDS 1), all in one queue for one worker', () => {
  const ACCEPTED: [string, string, string, number][] = [
    ['seconds 0', job('zero', 0), 'zero', 0],
    ['seconds equal to MAX_JOB_SECONDS', job('at-max', 1), 'at-max', 1],
    ['members in the other order', '{"seconds":0,"jobId":"reversed"}', 'reversed', 0],
    ['spaces, tabs, CRs and newlines between tokens', '\n{\r\n\t"jobId" :\t"spaced" ,\n  "seconds": 0\n}\n', 'spaced',
      0],
    ['a jobId of 64 characters of every kind allowed', job(`AZaz09_-${'x'.repeat(56)}`, 0), `AZaz09_-${'x'.repeat(56)}`,
      0],
    ['extra members of every kind, non-ASCII text and escapes included', JSON.stringify({
      priority: 3,
      owner: { name: 'Zoë "the tester" O\'Brien', tags: ['a\\b', 'ünïcödé ✓', null, true, false, -1.5e3] },
      jobId: 'extras', note: 'line one\nline two\ttabbed', seconds: 0,
    }), 'extras', 0],
    ['escapes in a member\'s name and in the jobId', '{"job\\u0049d":"\\u0041bc","seconds":0}', 'Abc', 0],
    ['a member nested 31 deep inside the job', `{"jobId":"deep","seconds":0,"x":${nested(31)}}`, 'deep', 0],
  ];
  let f: Fixture;
  let started: Date;
  let exit: Exit;
  let records: Item[];

  beforeAll(async () => {
    f = await fixture();
    ACCEPTED.forEach(([, body]) => send(f, body));
    started = new Date();
    const worker = startWorker(f, MAX_ONE);
    // Until every message is deleted, or gone otherwise (a wrong worker's), so that each body's test says.
    await worker.until(() => readState(f).queue.messages.length === 0, 'no message is left', 25_000);
    exit = await worker.stop();
    records = await items(f);
  }, 30_000);

  test.each(ACCEPTED.map(([what, , jobId, seconds]) => [what, jobId, seconds] as const))(
    'accepts %s: worked, recorded and deleted (AWS CLI stand-in)', (_what, jobId, seconds) => {
      expect(records).toContainEqual(recordOf(jobId, seconds, 1, started));
      expect(exit.stdout).toContain(`working: ${jobId} (${seconds} s, receive 1)\ndone: ${jobId}\n`);
    },
  );

  test('nothing is malformed, nothing fails, and the worker exits 0 at SIGTERM (AWS CLI stand-in)', () => {
    expect(exit.code).toBe(0);
    expect(exit.stderr).toBe('');
    expect(exit.stdout).not.toContain('malformed');
    expect(records).toHaveLength(ACCEPTED.length);
  });
});

describe('bad environment', () => {
  /** The worker's exit code, stderr and AWS calls when it stops by itself (else it is stopped after 5 s). */
  async function run(env: Record<string, string | undefined>): Promise<Exit> {
    const f = await fixture();
    send(f, job('untouched', 0));
    const worker = startWorker(f, env);
    return Promise.race([worker.exited, delay(5000).then(() => worker.stop())]);
  }

  test.each([
    ['QUEUE_URL', 'QUEUE_URL is not set: the URL of the queue of jobs'],
    ['TABLE', 'TABLE is not set: the name of the table of finished jobs'],
    ['MAX_JOB_SECONDS', 'MAX_JOB_SECONDS is not set: the most seconds of work a job may ask for'],
  ])('fails with exit 2 and names %s when it is not set or empty, before any AWS call (AWS CLI stand-in)',
    async (name, message) => {
      for (const value of [undefined, '']) {
        const exit = await run({ [name]: value });
        expect(exit.code).toBe(2);
        expect(exit.stderr).toBe(`${message}\n`);
        expect(exit.stdout).toBe('');
        expect(exit.calls).toEqual([]);
      }
    });

  test.each(['0', '43201', '100000', '120s', 'abc', '-5', '012', '1.5', ' 12', '99999999999999999999'])(
    'fails with exit 2 on MAX_JOB_SECONDS %j, before any AWS call (AWS CLI stand-in)', async (value) => {
      const exit = await run({ MAX_JOB_SECONDS: value });
      expect(exit.code).toBe(2);
      expect(exit.stderr).toBe(`MAX_JOB_SECONDS must be a whole number from 1 to 43200, got: ${value}\n`);
      expect(exit.calls).toEqual([]);
    },
  );

  test.each(['1', '43200'])('accepts MAX_JOB_SECONDS %s: polls, and exits 0 at SIGTERM (AWS CLI stand-in)',
    async (value) => {
      const f = await fixture();
      const worker = startWorker(f, { MAX_JOB_SECONDS: value });
      await worker.until(() => worker.calls().length === 1, 'the first receive');
      const exit = await worker.stop();
      expect(exit.code).toBe(0);
      expect(exit.stdout).toBe(`${START(value)}\nstopped: no job in progress\n`);
    });

  test.each(['SqsWorkersLab-JobsQueue', 'sqs.eu-west-1.amazonaws.com/123456789012/jobs', 'https://'])(
    'fails with exit 2 on a QUEUE_URL that is not a URL, %j, before any AWS call (AWS CLI stand-in)', async (value) => {
      const exit = await run({ QUEUE_URL: value });
      expect(exit.code).toBe(2);
      expect(exit.stderr).toBe('QUEUE_URL must be a queue\'s URL, https://sqs.<region>.amazonaws.com/<account>/<queue>, '
        + `got: ${value}\n`);
      expect(exit.calls).toEqual([]);
    },
  );
});
