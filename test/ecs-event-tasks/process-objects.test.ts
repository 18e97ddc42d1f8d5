import { spawn, spawnSync } from 'child_process';
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { listenAndClose } from '../helpers/free-port';
import { AwsCliStandIn, serveAwsCli } from '../helpers/aws-cli-stand-in';
import { serveStandIn, StandIn } from '../helpers/http-stand-in';
import { answerProcessObjectsCall, Item, ObjectVersion, State } from './aws-cli-stand-in';

// EcsEventTasksLab's task script as the task runs it: its text as the argument of `sh -c` (the stack's entryPoint),
// here under dash, stricter than the image's bash as sh. The AWS CLI is a stand-in that answers from a state file
// (bucket versions, table items), and the task metadata endpoint is served on 127.0.0.1. The environment holds only
// what Fargate and the task definition set: no locale, as in the CLI's image.
const SCRIPT = path.join(__dirname, '..', '..', 'labs', 'ecs-event-tasks', 'task', 'process-objects.sh');
const SHELL = spawnSync('sh', ['-c', 'command -v dash'], { encoding: 'utf-8' }).stdout.trim() || 'sh';
const BUCKET = 'ecseventtaskslab-bucket83908e77-1a2b3c4d5e6f';
const TABLE = 'EcsEventTasksLab-Table7B3C8D7C-1A2B3C4D5E6F';
const PREFIX = 'incoming/';
const TASK_ARN = (taskId: string) => `arn:aws:ecs:eu-west-1:123456789012:task/EcsEventTasksLab-Cluster/${taskId}`;
const TASK_ID = '0f4b7a3cdeb84f3c9f1f27d6e3c0a9b1';


interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The arguments of each AWS CLI call, in order. */
  readonly calls: string[][];
  /** The table's items after the run. */
  readonly items: Item[];
  readonly started: Date;
  readonly ended: Date;
}

let dir: string;
let metadata: StandIn;
let awsCli: AwsCliStandIn;
let state: State;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labs-process-objects-'));
  awsCli = await serveAwsCli(dir, answerProcessObjectsCall);
  // Task metadata v4 as Fargate answers it, for any task id in the path.
  metadata = await serveStandIn((request, response) => {
    const taskId = /^\/v4\/(\w+)\/task$/.exec(request.url ?? '')?.[1];
    if (!taskId) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
      Cluster: 'arn:aws:ecs:eu-west-1:123456789012:cluster/EcsEventTasksLab-Cluster',
      TaskARN: TASK_ARN(taskId),
      Family: 'EcsEventTasksLabTask',
      Revision: '1',
      DesiredStatus: 'RUNNING',
      KnownStatus: 'RUNNING',
      Containers: [{ Name: 'Processor', Labels: { 'com.amazonaws.ecs.task-arn': TASK_ARN(taskId) } }],
      LaunchType: 'FARGATE',
      AvailabilityZone: 'eu-west-1a',
    }));
  });
});

afterAll(async () => {
  await metadata?.close();
  await awsCli?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  state = { buckets: { [BUCKET]: [] }, tables: { [TABLE]: [] }, failures: [] };
});

/** Puts a new version of the key in the bucket, as S3 would: its size, MD5 ETag in quotes and a new version id. */
function upload(key: string, body: string): ObjectVersion {
  const version = {
    key,
    versionId: randomBytes(24).toString('base64url'),
    size: Buffer.byteLength(body),
    etag: `"${createHash('md5').update(body).digest('hex')}"`,
  };
  state.buckets[BUCKET].push(version);
  return version;
}

function deleteObject(key: string): void {
  state.buckets[BUCKET].push({ key, versionId: randomBytes(24).toString('base64url'), deleteMarker: true });
}

/** Runs the script's text as the task does, with the task definition's variables and these. */
function runScript(env: Record<string, string | undefined>): Promise<Run> {
  const statePath = path.join(dir, 'state.json');
  const callsPath = path.join(dir, 'calls.jsonl');
  fs.writeFileSync(statePath, JSON.stringify(state));
  fs.writeFileSync(callsPath, '');
  const variables = {
    BUCKET, TABLE, KEY_PREFIX: PREFIX, TRIGGER: 'schedule',
    ECS_CONTAINER_METADATA_URI_V4: `${metadata.origin}/v4/${TASK_ID}`,
    ...env,
  };
  const started = new Date();
  return new Promise((resolve, reject) => {
    const child = spawn(SHELL, ['-c', fs.readFileSync(SCRIPT, 'utf-8')], {
      cwd: dir,
      env: {
        ...Object.fromEntries(Object.entries(variables).filter(([, value]) => value !== undefined)),
        PATH: [awsCli.bin, process.env.PATH].join(path.delimiter),
        ...awsCli.env,
        AWS_CLI_STAND_IN_STATE: statePath,
        AWS_CLI_STAND_IN_CALLS: callsPath,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.once('error', reject);
    child.once('close', (code) => {
      state = JSON.parse(fs.readFileSync(statePath, 'utf-8'));
      resolve({
        code,
        stdout,
        stderr,
        calls: fs.readFileSync(callsPath, 'utf-8').split('\n').filter(Boolean).map((line) => JSON.parse(line)),
        items: state.tables[TABLE],
        started,
        ended: new Date(),
      });
    });
  });
}

/** The item the script writes for this version, its time checked against the run's. */
function itemOf(version: ObjectVersion, run: Run, trigger: string, taskArn = TASK_ARN(TASK_ID)): Item {
  const item = run.items.find((stored) => 'S' in stored.objectKey && stored.objectKey.S === version.key
    && 'S' in stored.versionId && stored.versionId.S === version.versionId);
  const processedAt = item && 'S' in item.processedAt ? item.processedAt.S : '';
  expect(processedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const time = Date.parse(processedAt);
  expect(time).toBeGreaterThanOrEqual(Math.floor(run.started.getTime() / 1000) * 1000);
  expect(time).toBeLessThanOrEqual(run.ended.getTime());
  return {
    objectKey: { S: version.key },
    versionId: { S: version.versionId ?? 'null' },
    bucket: { S: BUCKET },
    size: { N: String(version.size) },
    etag: { S: version.etag!.replace(/^"|"$/g, '') },
    taskArn: { S: taskArn },
    processedAt: { S: processedAt },
    trigger: { S: trigger },
  };
}

const headObjectCall = (key: string, versionId?: string) => ['s3api', 'head-object', '--bucket', BUCKET, '--key', key,
  ...(versionId ? ['--version-id', versionId] : []), '--query', '[ContentLength,ETag,VersionId]', '--output', 'text'];
const putItemCall = ['dynamodb', 'put-item', '--table-name', TABLE, '--item', expect.any(String),
  '--condition-expression', 'attribute_not_exists(objectKey)'];
const listCall = ['s3api', 'list-object-versions', '--bucket', BUCKET, '--prefix', PREFIX,
  '--query', 'Versions[?IsLatest].[Key,VersionId,Size,ETag]', '--output', 'text'];

describe('one object (KEY set by the upload rule)', () => {
  test('records a key with spaces and non-ASCII characters as it is: size, etag without quotes, version, bucket, '
    + 'trigger, task ARN and time (AWS CLI stand-in)', async () => {
    const version = upload('incoming/hello wörld é.txt', 'héllo wörld\n');
    const run = await runScript({ KEY: version.key, VERSION_ID: version.versionId, TRIGGER: 'upload' });
    expect(run.code).toBe(0);
    expect(run.items).toEqual([itemOf(version, run, 'upload')]);
    expect(run.calls).toEqual([headObjectCall(version.key, version.versionId), putItemCall]);
    expect(run.stdout).toBe(`recorded: incoming/hello wörld é.txt (version ${version.versionId})\n`);
    expect(run.stderr).toBe('');
  });

  test('records a key with a double quote and backslashes, escaped in the item\'s JSON (AWS CLI stand-in)',
    async () => {
      const version = upload('incoming/say "hi" to C:\\temp\\ \\u00e9.txt', 'quoted');
      const run = await runScript({ KEY: version.key, VERSION_ID: version.versionId, TRIGGER: 'upload' });
      expect(run.code).toBe(0);
      expect(run.items).toEqual([itemOf(version, run, 'upload')]);
      expect(run.calls).toEqual([headObjectCall(version.key, version.versionId), putItemCall]);
      expect(run.stdout).toBe(`recorded: incoming/say "hi" to C:\\temp\\ \\u00e9.txt (version ${version.versionId})\n`);
    });

  test('records a key with a tab, a newline and other control characters (AWS CLI stand-in)', async () => {
    const version = upload('incoming/a\tb\nc\r\u0001 end\n', 'control');
    const run = await runScript({ KEY: version.key, VERSION_ID: version.versionId, TRIGGER: 'upload' });
    expect(run.code).toBe(0);
    expect(run.items).toEqual([itemOf(version, run, 'upload')]);
  });

  test('records the latest version when the event carries none (AWS CLI stand-in)', async () => {
    upload('incoming/report.csv', 'a,b\n');
    const latest = upload('incoming/report.csv', 'a,b\n1,2\n');
    const run = await runScript({ KEY: latest.key, TRIGGER: 'manual' });
    expect(run.code).toBe(0);
    expect(run.items).toEqual([itemOf(latest, run, 'manual')]);
    expect(run.calls).toEqual([headObjectCall(latest.key), putItemCall]);
  });

  test('records the version id "null" for an object that S3 keeps without one (AWS CLI stand-in)', async () => {
    // Objects put before versioning was enabled have the version id "null"; an unversioned bucket gives none at all.
    const before = {
      key: 'incoming/before.txt', versionId: 'null', size: 6, etag: '"e4d909c290d0fb1ca068ffaddf22cbd0"',
    };
    state.buckets[BUCKET].push(before);
    const unversioned = { ...before, key: 'incoming/unversioned.txt', versionId: undefined };
    state.buckets[BUCKET].push(unversioned);
    const first = await runScript({ KEY: before.key, VERSION_ID: 'null', TRIGGER: 'upload' });
    const second = await runScript({ KEY: unversioned.key, TRIGGER: 'manual' });
    expect(second.code).toBe(0);
    expect(second.items).toEqual([
      itemOf(before, first, 'upload'), itemOf({ ...unversioned, versionId: 'null' }, second, 'manual'),
    ]);
  });

  test('an object version deleted since its event (404) is gone: exit 0, nothing written (AWS CLI stand-in)',
    async () => {
      const versionId = 'Vd5nJ3Tq.8H2gQ1rX0yZ';
      const run = await runScript({ KEY: 'incoming/deleted.txt', VERSION_ID: versionId, TRIGGER: 'upload' });
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(`gone: incoming/deleted.txt (version ${versionId})\n`);
      expect(run.items).toEqual([]);
      expect(run.calls).toEqual([headObjectCall('incoming/deleted.txt', versionId)]);
    });

  test('an object whose latest version is a delete marker is gone too (AWS CLI stand-in)', async () => {
    upload('incoming/short-lived.txt', 'bye');
    deleteObject('incoming/short-lived.txt');
    const run = await runScript({ KEY: 'incoming/short-lived.txt', TRIGGER: 'manual' });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('gone: incoming/short-lived.txt\n');
    expect(run.items).toEqual([]);
  });

  test('fails with exit 1 and the CLI\'s message when HeadObject is denied (403), writing nothing '
    + '(AWS CLI stand-in)', async () => {
    const version = upload('incoming/secret.txt', 'secret');
    state.failures.push({ operation: 'HeadObject', code: '403', message: 'Forbidden' });
    const run = await runScript({ KEY: version.key, VERSION_ID: version.versionId, TRIGGER: 'upload' });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`failed: incoming/secret.txt (version ${version.versionId}): `
      + 'An error occurred (403) when calling the HeadObject operation: Forbidden\n');
    expect(run.items).toEqual([]);
    expect(run.calls).toEqual([headObjectCall(version.key, version.versionId)]);
  });

  test('a duplicate event is already recorded: exit 0, the first task\'s item unchanged (AWS CLI stand-in)',
    async () => {
      const version = upload('incoming/twice.txt', 'twice');
      const first = await runScript({ KEY: version.key, VERSION_ID: version.versionId, TRIGGER: 'upload' });
      expect(first.items).toEqual([itemOf(version, first, 'upload')]);
      // EventBridge delivers at least once: the same event again starts a task of its own.
      const second = await runScript({
        KEY: version.key, VERSION_ID: version.versionId, TRIGGER: 'upload',
        ECS_CONTAINER_METADATA_URI_V4: `${metadata.origin}/v4/5e1d2c3b4a5948f7a6b5c4d3e2f1a0b9`,
      });
      expect(second.code).toBe(0);
      expect(second.stdout).toBe(`already recorded: incoming/twice.txt (version ${version.versionId})\n`);
      expect(second.items).toEqual(first.items);
      expect(second.calls).toEqual([headObjectCall(version.key, version.versionId), putItemCall]);
    });

  test('a new version of a recorded key gets an item of its own (AWS CLI stand-in)', async () => {
    const first = upload('incoming/notes.txt', 'v1');
    const firstRun = await runScript({ KEY: first.key, VERSION_ID: first.versionId, TRIGGER: 'upload' });
    const second = upload('incoming/notes.txt', 'version two');
    const run = await runScript({ KEY: second.key, VERSION_ID: second.versionId, TRIGGER: 'upload' });
    expect(run.code).toBe(0);
    expect(run.items).toEqual([itemOf(first, firstRun, 'upload'), itemOf(second, run, 'upload')]);
  });

  test.each(['elsewhere/file.txt', 'incoming', 'Incoming/file.txt', 'archive/incoming/file.txt'])(
    'refuses the key %j outside the prefix incoming/ with exit 2, before any AWS call (AWS CLI stand-in)',
    async (key) => {
      const run = await runScript({ KEY: key, TRIGGER: 'upload' });
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`refused: ${key} is outside KEY_PREFIX incoming/\n`);
      expect(run.calls).toEqual([]);
    },
  );

  test('records the key that is the prefix itself (a folder object) (AWS CLI stand-in)', async () => {
    const version = upload('incoming/', '');
    const run = await runScript({ KEY: version.key, VERSION_ID: version.versionId, TRIGGER: 'upload' });
    expect(run.code).toBe(0);
    expect(run.items).toEqual([itemOf(version, run, 'upload')]);
  });
});

describe('the task ARN', () => {
  test('is "unknown", with a line that says why, when ECS_CONTAINER_METADATA_URI_V4 is not set '
    + '(AWS CLI stand-in)', async () => {
    const version = upload('incoming/local.txt', 'run by hand');
    const run = await runScript({
      KEY: version.key, VERSION_ID: version.versionId, TRIGGER: 'manual', ECS_CONTAINER_METADATA_URI_V4: undefined,
    });
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('taskArn unknown: ECS_CONTAINER_METADATA_URI_V4 is not set');
    expect(run.items).toEqual([itemOf(version, run, 'manual', 'unknown')]);
  });

  test('is "unknown" when the metadata endpoint does not answer (AWS CLI stand-in)', async () => {
    const version = upload('incoming/offline.txt', 'no endpoint');
    const run = await runScript({
      KEY: version.key, VERSION_ID: version.versionId, TRIGGER: 'upload',
      ECS_CONTAINER_METADATA_URI_V4: `http://127.0.0.1:${await listenAndClose()}/v4/${TASK_ID}`,
    });
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(/^taskArn unknown: no task metadata: curl: \(7\) /);
    expect(run.items).toEqual([itemOf(version, run, 'upload', 'unknown')]);
  });
});

describe('a sweep (no KEY: the schedule, or a manual run)', () => {
  test('records each latest version under the prefix that has no item, and counts the one that has '
    + '(AWS CLI stand-in)', async () => {
    const old = upload('incoming/a.txt', 'old');
    const latest = upload('incoming/a.txt', 'new and longer');
    const recorded = upload('incoming/b.txt', 'recorded by its upload task');
    const spaced = upload('incoming/with space.txt', 'spaced');
    upload('archive/c.txt', 'outside the prefix');
    upload('incoming/deleted.txt', 'deleted');
    deleteObject('incoming/deleted.txt');
    const earlier = await runScript({ KEY: recorded.key, VERSION_ID: recorded.versionId, TRIGGER: 'upload' });
    const before = itemOf(recorded, earlier, 'upload');
    // Pages of one: the delete marker's page prints None, and the old version's page nothing.
    state.pageSize = 1;
    const run = await runScript({});
    expect(run.code).toBe(0);
    expect(run.items).toEqual([before, itemOf(latest, run, 'schedule'), itemOf(spaced, run, 'schedule')]);
    expect(run.items.map((item) => item.versionId)).not.toContainEqual({ S: old.versionId });
    expect(run.calls).toEqual([listCall, putItemCall, putItemCall, putItemCall]);
    expect(run.stdout).toBe([
      `recorded: incoming/a.txt (version ${latest.versionId})`,
      `already recorded: incoming/b.txt (version ${recorded.versionId})`,
      `recorded: incoming/with space.txt (version ${spaced.versionId})`,
      `sweep of s3://${BUCKET}/incoming/: 2 recorded, 1 already recorded, 0 failed`,
      '',
    ].join('\n'));
  });

  test('records non-ASCII keys (AWS CLI stand-in)', async () => {
    const version = upload('incoming/résumé – 2026.pdf', '%PDF');
    const run = await runScript({});
    expect(run.code).toBe(0);
    expect(run.items).toEqual([itemOf(version, run, 'schedule')]);
  });

  test('of an empty prefix writes nothing and exits 0 (AWS CLI stand-in)', async () => {
    upload('archive/c.txt', 'outside the prefix');
    const run = await runScript({ TRIGGER: 'manual' });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`sweep of s3://${BUCKET}/incoming/: 0 recorded, 0 already recorded, 0 failed\n`);
    expect(run.calls).toEqual([listCall]);
    expect(run.items).toEqual([]);
  });

  test('records the others when one write fails, then exits 1 (AWS CLI stand-in)', async () => {
    const first = upload('incoming/1.txt', 'one');
    upload('incoming/2.txt', 'two');
    const third = upload('incoming/3.txt', 'three');
    const message = 'The level of configured provisioned throughput for the table was exceeded. Consider increasing '
      + 'your provisioning level with the UpdateTable API.';
    state.failures.push({ operation: 'PutItem', key: 'incoming/2.txt', code: 'ProvisionedThroughputExceededException',
      message });
    const run = await runScript({});
    expect(run.code).toBe(1);
    expect(run.items).toEqual([itemOf(first, run, 'schedule'), itemOf(third, run, 'schedule')]);
    expect(run.stderr).toMatch(new RegExp(`^failed: incoming/2\\.txt \\(version [\\w-]+\\): An error occurred `
      + '\\(ProvisionedThroughputExceededException\\) when calling the PutItem operation: The level'));
    expect(run.stdout).toMatch(/: 2 recorded, 0 already recorded, 1 failed\n$/);
    expect(run.calls).toEqual([listCall, putItemCall, putItemCall, putItemCall]);
  });

  test('counts a key with a tab as failed, not as a wrong record, and exits 1 (AWS CLI stand-in)', async () => {
    upload('incoming/tab\there.txt', 'tab');
    const run = await runScript({});
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('failed: unreadable line in the listing (a key with a tab or a newline?): '
      + 'incoming/tab\n');
    expect(run.items).toEqual([]);
    expect(run.calls).toEqual([listCall]);
  });

  test('counts a key with a newline as failed, and records no key made of its second line (AWS CLI stand-in)',
    async () => {
      upload('incoming/first line\nsecond line.txt', 'newline');
      const run = await runScript({});
      expect(run.code).toBe(1);
      expect(run.stderr).toBe([
        'failed: unreadable line in the listing (a key with a tab or a newline?): incoming/first line',
        'failed: unreadable line in the listing (a key with a tab or a newline?): second line.txt',
        '',
      ].join('\n'));
      expect(run.items).toEqual([]);
      expect(run.calls).toEqual([listCall]);
    });

  test('fails with exit 1 when the listing is denied (AWS CLI stand-in)', async () => {
    upload('incoming/1.txt', 'one');
    state.failures.push({ operation: 'ListObjectVersions', code: 'AccessDenied', message: 'Access Denied' });
    const run = await runScript({});
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`failed: listing s3://${BUCKET}/incoming/: `
      + 'An error occurred (AccessDenied) when calling the ListObjectVersions operation: Access Denied\n');
    expect(run.calls).toEqual([listCall]);
  });
});

describe('bad input', () => {
  test.each([
    ['BUCKET', /^BUCKET is not set: the name of the bucket\n$/],
    ['TABLE', /^TABLE is not set: the name of the table\n$/],
    ['KEY_PREFIX', /^KEY_PREFIX is not set: /],
  ])('fails with exit 2 and names %s when it is not set, before any AWS call (AWS CLI stand-in)',
    async (name, message) => {
      upload('incoming/1.txt', 'one');
      const unset = await runScript({ [name]: undefined });
      expect(unset.code).toBe(2);
      expect(unset.stderr).toMatch(message);
      expect(unset.calls).toEqual([]);
      const empty = await runScript({ [name]: '' });
      expect(empty.code).toBe(2);
      expect(empty.stderr).toMatch(message);
      expect(empty.calls).toEqual([]);
    });

  test('fails with exit 2 on a TRIGGER other than upload, schedule or manual (AWS CLI stand-in)', async () => {
    const run = await runScript({ TRIGGER: 'cron' });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('TRIGGER must be upload, schedule or manual, got: cron\n');
    expect(run.calls).toEqual([]);
  });

  test('records "manual" as the trigger when TRIGGER is not set (AWS CLI stand-in)', async () => {
    const version = upload('incoming/by-hand.txt', 'by hand');
    const run = await runScript({ KEY: version.key, TRIGGER: undefined });
    expect(run.code).toBe(0);
    expect(run.items).toEqual([itemOf(version, run, 'manual')]);
  });

  test('fails with exit 2 on a VERSION_ID without KEY, rather than sweeping (AWS CLI stand-in)', async () => {
    const run = await runScript({ VERSION_ID: 'Vd5nJ3Tq.8H2gQ1rX0yZ' });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('VERSION_ID is set (Vd5nJ3Tq.8H2gQ1rX0yZ) but KEY is not\n');
    expect(run.calls).toEqual([]);
  });
});
