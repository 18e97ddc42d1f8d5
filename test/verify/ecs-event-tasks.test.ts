import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  ConditionalCheckFailedException, DynamoDBClient, PutItemCommand, QueryCommand, ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { DescribeTasksCommand, ECSClient, RunTaskCommand } from '@aws-sdk/client-ecs';
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsClients, awsClients, withClients } from '../../lib/aws/clients';
import { startDynalite } from '../../lib/local/dynalite';
import { createTable, DynamoDbEngine, localClientConfig } from '../../lib/local/dynamodb-engine';
import type { S3rverEvent } from '../../lib/local/s3rver';
import { ecsEventTasksVerifier } from '../../lib/verify/labs/ecs-event-tasks';
import { localS3ClientConfig, LocalS3, startS3rver } from '../helpers/s3rver';
import { StandIns, verifySettling } from './end-wait-when-settled';

// npm run verify -- EcsEventTasksLab against a local S3 (s3rver) and a local DynamoDB engine (dynalite). ECS and
// EventBridge cannot run here: ECS's answers are mocked, and a stand-in of the task writes the records the real
// task would (its script is tested on its own in test/ecs-event-tasks/). CloudFormation, for the outputs, is mocked.
jest.setTimeout(60_000);

const STACK = 'EcsEventTasksLab';
const BUCKET = 'verify-event-tasks';
const TABLE = 'ObjectRecords';
const PREFIX = 'incoming/';
const CLUSTER = 'lab-cluster';
const TASK_DEFINITION = 'arn:aws:ecs:us-east-1:123456789012:task-definition/upload-task:1';
const cloudFormation = mockClient(CloudFormationClient);
const ecs = mockClient(ECSClient);

/** How the stand-in task behaves in a test: as the lab's task does, unless told otherwise. */
interface TaskBehaviour {
  /** Whether an upload starts a task at all. */
  onUpload: boolean;
  /** What the upload's record says differently from the real task's. */
  recordChanges: Record<string, { S: string } | { N: string }>;
  uploadExitCode: number;
  sweepExitCode: number;
  /** A faulty sweep that records an object again under another version. */
  sweepDuplicates: boolean;
  /** RunTask answers with a failure instead of a task. */
  runTaskFails: boolean;
  /** The upload's task writes the key and version only. */
  bareRecord?: boolean;
}
const LAB_TASK: TaskBehaviour = {
  onUpload: true, recordChanges: {}, uploadExitCode: 0, sweepExitCode: 0, sweepDuplicates: false, runTaskFails: false,
};
let behaviour: TaskBehaviour = LAB_TASK;
/** Every task the stand-in ran: its exit code, by ARN. */
const stoppedTasks = new Map<string, number>();
const running: Promise<void>[] = [];
let tasksStarted = 0;
let tasksUnderWay = 0;
/** A task that a test's ECS mock says still runs: none unless the test says so. */
let stillRunning = () => false;
const standIns: StandIns = { started: () => tasksStarted, busy: () => tasksUnderWay > 0 || stillRunning() };

/** Runs a task of the stand-in, counted as under way until it has written its records. */
function underWay(task: () => Promise<void>): Promise<void> {
  tasksStarted++;
  tasksUnderWay++;
  return task().finally(() => { tasksUnderWay--; });
}

let engine: DynamoDbEngine;
let s3: LocalS3;
const dynamodb = () => new DynamoDBClient(localClientConfig(engine.endpoint));
const localS3 = () => new S3Client(localS3ClientConfig(s3.endpoint));

/** Writes a record as the task's script does: once per object version (attribute_not_exists). */
async function record(key: string, versionId: string, size: number, etag: string, taskArn: string, trigger: string) {
  try {
    await dynamodb().send(new PutItemCommand({
      TableName: TABLE,
      Item: trigger === 'upload' && behaviour.bareRecord ? { objectKey: { S: key }, versionId: { S: versionId } } : {
        objectKey: { S: key }, versionId: { S: versionId }, bucket: { S: BUCKET }, size: { N: String(size) },
        etag: { S: etag }, taskArn: { S: taskArn }, processedAt: { S: new Date().toISOString().slice(0, 19) + 'Z' },
        trigger: { S: trigger }, ...(trigger === 'upload' ? behaviour.recordChanges : {}),
      },
      ConditionExpression: 'attribute_not_exists(objectKey)',
    }));
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

function newTaskArn(): string {
  return `arn:aws:ecs:us-east-1:123456789012:task/${CLUSTER}/${stoppedTasks.size.toString(16).padStart(32, '0')}`;
}

/** The rule's task for one upload (s3rver has no versions: S3 then reports the version "null"). */
async function uploadTask(event: S3rverEvent): Promise<void> {
  const { key, size, eTag } = event.Records[0].s3.object as { key: string; size: number; eTag: string };
  if (!behaviour.onUpload || !key.startsWith(PREFIX)) return;
  const taskArn = newTaskArn();
  await record(key, 'null', size, eTag, taskArn, 'upload');
  stoppedTasks.set(taskArn, behaviour.uploadExitCode);
}

/** The sweep: every current object under the prefix gets a record if it has none. */
async function sweepTask(taskArn: string): Promise<void> {
  const { Contents = [] } = await localS3().send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: PREFIX }));
  for (const object of Contents) {
    const versionId = behaviour.sweepDuplicates ? 'sweep-copy' : 'null';
    await record(object.Key!, versionId, object.Size!, object.ETag!.replace(/"/g, ''), taskArn, 'manual');
  }
  stoppedTasks.set(taskArn, behaviour.sweepExitCode);
}

beforeAll(async () => {
  engine = await startDynalite();
  await createTable(engine.endpoint, TABLE,
    [{ AttributeName: 'objectKey', KeyType: 'HASH' }, { AttributeName: 'versionId', KeyType: 'RANGE' }],
    [{ AttributeName: 'objectKey', AttributeType: 'S' }, { AttributeName: 'versionId', AttributeType: 'S' }]);
  s3 = await startS3rver([BUCKET], (event) => {
    if (event.Records.every((r) => r.eventName.startsWith('ObjectCreated'))) {
      running.push(underWay(() => uploadTask(event)));
    }
  });

});

/** The stack's outputs as CloudFormation answers them: the lab's, with some changed or left out. */
function deployedWith(changes: Record<string, string | undefined> = {}): void {
  const outputs: Record<string, string | undefined> = {
    BucketName: BUCKET, TableName: TABLE, KeyPrefix: PREFIX, ClusterName: CLUSTER,
    TaskDefinitionArn: TASK_DEFINITION, TaskSubnets: 'subnet-1,subnet-2', TaskSecurityGroup: 'sg-1', ...changes,
  };
  cloudFormation.reset();
  cloudFormation.on(DescribeStacksCommand, { StackName: STACK }).resolves({
    Stacks: [{
      StackName: STACK, StackStatus: 'CREATE_COMPLETE', CreationTime: new Date(),
      Outputs: Object.entries(outputs).filter(([, value]) => value !== undefined)
        .map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
    }],
  });
}

beforeEach(() => {
  deployedWith();
  behaviour = LAB_TASK;
  stillRunning = () => false;
  ecs.reset();
  ecs.on(DescribeTasksCommand).callsFake(async ({ cluster, tasks }: { cluster: string; tasks: string[] }) => {
    const exitCode = cluster === CLUSTER ? stoppedTasks.get(tasks[0]) : undefined;
    return exitCode === undefined
      ? { tasks: [], failures: [{ arn: tasks[0], reason: 'MISSING' }] }
      : {
        tasks: [{
          taskArn: tasks[0], lastStatus: 'STOPPED', stopCode: 'EssentialContainerExited',
          stoppedReason: 'Essential container in task exited', containers: [{ name: 'processor', exitCode }],
        }],
      };
  });
  ecs.on(RunTaskCommand).callsFake(async (input) => {
    if (behaviour.runTaskFails) return { tasks: [], failures: [{ reason: 'Capacity is unavailable at this time' }] };
    const taskArn = newTaskArn();
    // The stand-in sweeps before RunTask answers: by the first DescribeTasks, the task has stopped.
    await underWay(() => sweepTask(taskArn));
    runTaskInputs.push(input);
    return { tasks: [{ taskArn, lastStatus: 'PROVISIONING' }] };
  });
});
const runTaskInputs: unknown[] = [];

afterAll(async () => {
  await Promise.allSettled(running);
  await s3?.stop();
  await engine?.stop();
});

function localClients(): AwsClients {
  return withClients(
    awsClients({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
    { s3: localS3(), dynamodb: dynamodb() },
  );
}

/**
 * Runs the checks with a time limit long enough for the stand-in's tasks on a loaded machine; a failing check's wait
 * ends once the stand-in has nothing under way and the check fails alike twice (endWaitWhenSettled).
 */
async function verify(): Promise<{ passed: boolean; lines: string[] }> {
  const { passed, lines } = await verifySettling(ecsEventTasksVerifier, standIns, {
    stackName: STACK, aws: localClients(), timeLimitMs: 10_000, retryDelayMs: 50,
  });
  await Promise.allSettled(running);
  return { passed, lines: withoutTries(lines) };
}

/** The checklist's lines without the number of tries. */
const withoutTries = (lines: string[]) => lines.map((line) => line.replace(/ \(try \d+\)$/, ''));
/** The checklist's lines, each cut after the check's name. */
const verdicts = (lines: string[]) => lines
  .filter((line) => /^(PASS|FAIL) /.test(line))
  .map((line) => line.replace(/^(\w+ {2}[^:]+): .*$/, '$1'));

async function leftBehind(): Promise<{ objects: number; records: number }> {
  const objects = (await localS3().send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? [];
  const records = await dynamodb().send(new ScanCommand({ TableName: TABLE }));
  return { objects: objects.length, records: records.Count ?? 0 };
}

const ALL_CHECKS = [
  'uploads a test file with a space and a non-ASCII character in its name',
  'a task started by the upload records it (a task takes a minute or so to start)',
  'that task stopped with exit code 0',
  'starts the sweep by hand, as the schedule does',
  'the sweep stopped with exit code 0',
  'the object still has exactly one record, from the upload',
];

test('passes when the upload\'s task records the object once and the sweep adds nothing, and leaves nothing '
  + '(ECS mocked, task stand-in)', async () => {
  runTaskInputs.length = 0;
  const { passed, lines } = await verify();
  expect(verdicts(lines)).toEqual(ALL_CHECKS.map((name) => `PASS  ${name}`));
  expect(lines).toEqual(expect.arrayContaining([
    expect.stringMatching(/^PASS {2}uploads .*: s3:\/\/verify-event-tasks\/incoming\/verify [0-9a-f-]{36} é\.txt, /),
    expect.stringMatching(/^PASS {2}a task started .*: 35 bytes by arn:aws:ecs:us-east-1:123456789012:task\/lab-/),
    expect.stringMatching(/^PASS {2}that task stopped .*: STOPPED, stop code EssentialContainerExited, exit code 0$/),
    `PASS  ${ALL_CHECKS[5]}: records: null by upload`,
    expect.stringMatching(/^Clean-up: deleted the test object and its 1 record\(s\) \(incoming\/verify .* é\.txt\)$/),
  ]));
  expect(passed).toBe(true);
  expect(runTaskInputs).toEqual([{
    cluster: CLUSTER,
    taskDefinition: TASK_DEFINITION,
    launchType: 'FARGATE',
    networkConfiguration: {
      awsvpcConfiguration: { subnets: ['subnet-1', 'subnet-2'], securityGroups: ['sg-1'], assignPublicIp: 'ENABLED' },
    },
    overrides: { containerOverrides: [{ name: 'processor', environment: [{ name: 'TRIGGER', value: 'manual' }] }] },
  }]);
  expect(await leftBehind()).toEqual({ objects: 0, records: 0 });
});

test('fails when no task records the upload, and still deletes the test object (ECS mocked)', async () => {
  behaviour = { ...LAB_TASK, onUpload: false };
  const { passed, lines } = await verify();
  expect(passed).toBe(false);
  expect(lines).toContainEqual(expect.stringMatching(/^FAIL {2}a task started by the upload .*: no record of version/));
  expect(lines).toContainEqual('FAIL  that task stopped with exit code 0: no task to look at (see above)');
  // The sweep itself records the object then, which is what it is for; the check says so.
  expect(lines).toContainEqual(expect.stringMatching(/^FAIL {2}the object still has .*: records: null by manual$/));
  expect(await leftBehind()).toEqual({ objects: 0, records: 0 });
});

test.each([
  ['a wrong size', { size: { N: '34' } }, /"size":34.*expected.*"size":35/],
  ['a wrong bucket', { bucket: { S: 'another-bucket' } }, /"bucket":"another-bucket".*expected/],
  ['a wrong ETag', { etag: { S: '0123456789abcdef0123456789abcdef' } }, /"etag":"0123456789abcdef0123456789abcdef"/],
  ['another trigger', { trigger: { S: 'schedule' } }, /"trigger":"schedule".*expected.*"trigger":"upload"/],
  ['a processing time before the upload', { processedAt: { S: '2000-01-01T00:00:00Z' } },
    /processedAt 2000-01-01T00:00:00Z is before the upload/],
  ['no task ARN', { taskArn: { S: 'unknown' } }, /the record's taskArn is unknown/],
])('fails on a record with %s (ECS mocked, task stand-in)', async (_name, recordChanges, problem) => {
  behaviour = { ...LAB_TASK, recordChanges };
  const { passed, lines } = await verify();
  expect(passed).toBe(false);
  expect(verdicts(lines)[1]).toBe(`FAIL  ${ALL_CHECKS[1]}`);
  expect(lines.join('\n')).toMatch(problem);
  expect(await leftBehind()).toEqual({ objects: 0, records: 0 });
});

test('fails when the upload\'s task exits with 1, naming the exit code (ECS mocked)', async () => {
  behaviour = { ...LAB_TASK, uploadExitCode: 1 };
  const { passed, lines } = await verify();
  expect(passed).toBe(false);
  expect(lines).toContainEqual(
    'FAIL  that task stopped with exit code 0: STOPPED, stop code EssentialContainerExited, exit code 1: '
      + 'Essential container in task exited',
  );
  expect(verdicts(lines).filter((line) => line.startsWith('FAIL'))).toEqual([`FAIL  ${ALL_CHECKS[2]}`]);
});

test('fails when the sweep exits with 1 (ECS mocked)', async () => {
  behaviour = { ...LAB_TASK, sweepExitCode: 1 };
  const { passed, lines } = await verify();
  expect(passed).toBe(false);
  expect(verdicts(lines).filter((line) => line.startsWith('FAIL'))).toEqual([`FAIL  ${ALL_CHECKS[4]}`]);
});

test('fails when the sweep records the object a second time, and deletes both records (task stand-in)', async () => {
  behaviour = { ...LAB_TASK, sweepDuplicates: true };
  const { passed, lines } = await verify();
  expect(passed).toBe(false);
  expect(lines).toContainEqual(`FAIL  ${ALL_CHECKS[5]}: records: null by upload, sweep-copy by manual`);
  expect(lines).toContainEqual(expect.stringMatching(/^Clean-up: deleted the test object and its 2 record\(s\)/));
  expect(await leftBehind()).toEqual({ objects: 0, records: 0 });
});

test('fails when RunTask starts nothing, with ECS\'s reason (ECS mocked)', async () => {
  behaviour = { ...LAB_TASK, runTaskFails: true };
  const { passed, lines } = await verify();
  expect(passed).toBe(false);
  expect(lines).toContainEqual(
    `FAIL  ${ALL_CHECKS[3]}: RunTask started nothing: Capacity is unavailable at this time`);
  expect(lines).toContainEqual(`FAIL  ${ALL_CHECKS[4]}: no task to look at (see above)`);
  expect(lines).toContainEqual(`FAIL  ${ALL_CHECKS[5]}: no sweep ran (see above)`);
  expect(await leftBehind()).toEqual({ objects: 0, records: 0 });
});


describe('each side of each check', () => {
  test('waits while the upload\'s task still runs, then passes once it stopped with 0 (ECS mocked)', async () => {
    let looks = 0;
    stillRunning = () => looks < 3;
    ecs.on(DescribeTasksCommand).callsFake(async ({ tasks }: { tasks: string[] }) => ({
      tasks: [{
        taskArn: tasks[0], lastStatus: ++looks < 3 ? 'RUNNING' : 'STOPPED', stopCode: 'EssentialContainerExited',
        containers: [{ name: 'processor', exitCode: looks < 3 ? undefined : 0 }],
      }],
    }));
    const { passed, lines } = await verify();
    expect(lines).toContainEqual(`PASS  ${ALL_CHECKS[2]}: STOPPED, stop code EssentialContainerExited, exit code 0`);
    expect(looks).toBeGreaterThanOrEqual(3);
    expect(passed).toBe(true);
  });

  test('fails on a task that still runs at the time limit, saying so (ECS mocked)', async () => {
    ecs.on(DescribeTasksCommand).resolves({ tasks: [{ lastStatus: 'RUNNING', containers: [{ name: 'processor' }] }] });
    const { lines } = await verify();
    expect(lines).toContainEqual(`FAIL  ${ALL_CHECKS[2]}: still RUNNING, stop code none, exit code none`);
  });

  test('fails on a task that ECS no longer knows, with or without its reason (ECS mocked)', async () => {
    ecs.on(DescribeTasksCommand).resolves({ tasks: [], failures: [{ reason: 'MISSING' }] });
    expect((await verify()).lines).toContainEqual(
      expect.stringMatching(/^FAIL {2}that task stopped .*: ECS does not know task arn:aws:ecs:.* \(MISSING\)$/));
    ecs.on(DescribeTasksCommand).resolves({});
    expect((await verify()).lines).toContainEqual(
      expect.stringMatching(/^FAIL {2}that task stopped .*: ECS does not know task arn:aws:ecs:.* \(no answer\)$/));
  });

  test('fails on a task that stopped with exit code 1 without a reason, adding none (ECS mocked)', async () => {
    ecs.on(DescribeTasksCommand).resolves({
      tasks: [{ lastStatus: 'STOPPED', stopCode: 'EssentialContainerExited', containers: [{ exitCode: 1 }] }],
    });
    expect((await verify()).lines)
      .toContainEqual(`FAIL  ${ALL_CHECKS[2]}: STOPPED, stop code EssentialContainerExited, exit code 1`);
  });

  test('fails when neither the upload\'s task nor the sweep records the object, saying none (ECS mocked)',
    async () => {
      behaviour = { ...LAB_TASK, onUpload: false };
      // A sweep that starts but records nothing: ECS no longer knows it by the time it is looked at.
      ecs.on(RunTaskCommand).resolves({ tasks: [{ taskArn: newTaskArn() }] });
      const { lines } = await verify();
      expect(lines).toContainEqual(`FAIL  ${ALL_CHECKS[5]}: records: none`);
      expect(await leftBehind()).toEqual({ objects: 0, records: 0 });
    });

  test('fails on a stopped task without containers, which never ran (ECS mocked)', async () => {
    ecs.on(DescribeTasksCommand).resolves({
      tasks: [{ lastStatus: 'STOPPED', stopCode: 'TaskFailedToStart', stoppedReason: 'CannotPullContainerError' }],
    });
    expect((await verify()).lines).toContainEqual(
      `FAIL  ${ALL_CHECKS[2]}: STOPPED, stop code TaskFailedToStart, exit code none: CannotPullContainerError`);
  });

  test('fails when RunTask answers nothing, or several failures, naming each (ECS mocked)', async () => {
    ecs.on(RunTaskCommand).resolves({});
    expect((await verify()).lines).toContainEqual(`FAIL  ${ALL_CHECKS[3]}: RunTask started nothing: no answer`);
    ecs.on(RunTaskCommand).resolves({ failures: [{ reason: 'RESOURCE:ENI' }, { reason: 'AGENT' }] });
    expect((await verify()).lines)
      .toContainEqual(`FAIL  ${ALL_CHECKS[3]}: RunTask started nothing: RESOURCE:ENI, AGENT`);
  });

  test('fails on a record of another version of the key (task stand-in)', async () => {
    behaviour = { ...LAB_TASK, recordChanges: { versionId: { S: 'an-older-version' } } };
    const { lines } = await verify();
    expect(lines).toContainEqual(expect.stringMatching(/^FAIL {2}a task started .*: no record of version null yet$/));
    expect(await leftBehind()).toEqual({ objects: 0, records: 0 });
  });

  test('fails on a record with none of its fields but the key, without crashing (task stand-in)', async () => {
    behaviour = { ...LAB_TASK, bareRecord: true };
    const { lines } = await verify();
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(
      `^FAIL {2}a task started .*: the record is \\{"bucket":"","size":null,"etag":"","trigger":""\\}, expected `)));
  });

  test('says nothing was uploaded when the upload failed, and deletes nothing (S3 refuses the bucket)', async () => {
    deployedWith({ BucketName: 'no-such-bucket' });
    const { lines } = await verify();
    expect(lines).toContainEqual(expect.stringMatching(/^FAIL {2}uploads a test file .*: .*bucket/i));
    expect(lines).toContainEqual(`FAIL  ${ALL_CHECKS[1]}: nothing was uploaded (see above)`);
    expect(lines).toContainEqual(expect.stringMatching(/^Clean-up: deleted the test object and its 0 record\(s\)/));
  });
});

test('cleans up nothing when no upload was tried', async () => {
  const { cleanUp } = ecsEventTasksVerifier.checks({ stackName: STACK, outputs: {}, aws: localClients() });
  expect(await cleanUp!()).toBeUndefined();
});

test('deletes the uploaded version itself in a versioned bucket, and reads its records consistently '
  + '(S3 and DynamoDB mocked: s3rver keeps no versions)', async () => {
  const s3Mock = mockClient(S3Client);
  const dynamoMock = mockClient(DynamoDBClient);
  try {
    s3Mock.on(PutObjectCommand).resolves({ ETag: '"abc"', VersionId: 'v-2' });
    s3Mock.on(DeleteObjectCommand).resolves({});
    dynamoMock.on(QueryCommand).resolves({ Items: [] });
    const { checks, cleanUp } = ecsEventTasksVerifier.checks({
      stackName: STACK,
      outputs: { BucketName: BUCKET, TableName: TABLE, KeyPrefix: PREFIX },
      aws: awsClients({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
    });
    await checks[0].run();
    await cleanUp!();
    expect(s3Mock.commandCalls(DeleteObjectCommand)[0].args[0].input).toEqual(expect.objectContaining({
      Bucket: BUCKET, VersionId: 'v-2',
    }));
    expect(dynamoMock.commandCalls(QueryCommand)[0].args[0].input.ConsistentRead).toBe(true);
  } finally {
    s3Mock.restore();
    dynamoMock.restore();
  }
});

test('cannot check a stack without the outputs it reads, and says which (mocked)', async () => {
  deployedWith({ TaskSubnets: undefined });
  await expect(verify()).rejects.toThrow(/TaskSubnets/);
});
