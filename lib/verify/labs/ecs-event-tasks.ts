import { randomUUID } from 'crypto';
import { DeleteItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DescribeTasksCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { LabVerifier, VerifyContext } from '../lab-verifier';

const BODY = 'Uploaded by npm run verify: héllo\n';
/** The container whose environment the sweep's start overrides, as the stack's SweepCommand does. */
const CONTAINER = 'processor';

/** A record of the table, as the task writes it. */
export interface ObjectRecord {
  readonly objectKey: string;
  readonly versionId: string;
  readonly bucket: string;
  readonly size: number;
  readonly etag: string;
  readonly taskArn: string;
  readonly processedAt: string;
  readonly trigger: string;
}

/**
 * The lab's three paths where a check can see them: an upload (a key with a space and a non-ASCII character) starts
 * a task that records it; that task stops with exit code 0; a sweep started by hand, as the schedule starts it, stops
 * with exit code 0 and adds no second record. The object (every version) and its records are deleted at the end.
 */
export const ecsEventTasksVerifier: LabVerifier = {
  outputs: ['BucketName', 'TableName', 'KeyPrefix', 'ClusterName', 'TaskDefinitionArn', 'TaskSubnets',
    'TaskSecurityGroup'],
  checks: (context) => {
    const { outputs, aws } = context;
    const key = `${outputs.KeyPrefix}verify ${randomUUID()} é.txt`;
    let upload: { versionId: string; etag: string; after: string } | undefined;
    let uploadTask: string | undefined;
    let sweepTask: string | undefined;
    let uploaded = false;

    const records = () => recordsOf(context, key);
    return {
      checks: [
        {
          name: 'uploads a test file with a space and a non-ASCII character in its name',
          run: async () => {
            const after = new Date().toISOString();
            uploaded = true;
            const result = await aws.s3.send(new PutObjectCommand({
              Bucket: outputs.BucketName, Key: key, Body: BODY,
            }));
            upload = { versionId: result.VersionId ?? 'null', etag: unquote(result.ETag ?? ''), after };
            return `s3://${outputs.BucketName}/${key}, version ${upload.versionId}`;
          },
        },
        {
          name: 'a task started by the upload records it (a task takes a minute or so to start)',
          run: async () => {
            if (!upload) throw new Error('nothing was uploaded (see above)');
            const record = (await records()).find((item) => item.versionId === upload!.versionId);
            if (!record) throw new Error(`no record of version ${upload.versionId} yet`);
            const expected = { bucket: outputs.BucketName, size: Buffer.byteLength(BODY), etag: upload.etag,
              trigger: 'upload' };
            const seen = { bucket: record.bucket, size: record.size, etag: record.etag, trigger: record.trigger };
            if (JSON.stringify(seen) !== JSON.stringify(expected)) throw new Error(
              `the record is ${JSON.stringify(seen)}, expected ${JSON.stringify(expected)}`);
            if (!(record.processedAt >= upload.after.slice(0, 19))) throw new Error(
              `processedAt ${record.processedAt} is before the upload (${upload.after})`);
            if (!record.taskArn.startsWith('arn:')) throw new Error(`the record's taskArn is ${record.taskArn}`);
            uploadTask = record.taskArn;
            return `${record.size} bytes by ${record.taskArn}`;
          },
        },
        {
          name: 'that task stopped with exit code 0',
          run: async () => stoppedCleanly(context, uploadTask),
        },
        {
          name: 'starts the sweep by hand, as the schedule does',
          run: async () => {
            sweepTask = await startSweep(context);
            return sweepTask;
          },
        },
        {
          name: 'the sweep stopped with exit code 0',
          run: async () => stoppedCleanly(context, sweepTask),
        },
        {
          name: 'the object still has exactly one record, from the upload',
          run: async () => {
            if (!sweepTask) throw new Error('no sweep ran (see above)');
            const found = await records();
            const seen = found.map((item) => `${item.versionId} by ${item.trigger}`).join(', ') || 'none';
            if (found.length !== 1 || found[0].trigger !== 'upload') throw new Error(`records: ${seen}`);
            return `records: ${seen}`;
          },
        },
      ],
      cleanUp: async () => {
        if (!uploaded) return undefined;
        // The bucket keeps versions: deleting a version removes it; deleting the key would only hide it.
        if (upload) {
          await aws.s3.send(new DeleteObjectCommand({
            Bucket: outputs.BucketName, Key: key, VersionId: upload.versionId === 'null' ? undefined : upload.versionId,
          }));
        }
        const found = await records();
        for (const record of found) {
          await aws.dynamodb.send(new DeleteItemCommand({
            TableName: outputs.TableName,
            Key: { objectKey: { S: key }, versionId: { S: record.versionId } },
          }));
        }
        return `deleted the test object and its ${found.length} record(s) (${key})`;
      },
    };
  },
};

async function recordsOf({ aws, outputs }: VerifyContext, key: string): Promise<ObjectRecord[]> {
  const { Items = [] } = await aws.dynamodb.send(new QueryCommand({
    TableName: outputs.TableName,
    KeyConditionExpression: 'objectKey = :key',
    ExpressionAttributeValues: { ':key': { S: key } },
    ConsistentRead: true,
  }));
  return Items.map(recordOf);
}

/** Passes once the task has stopped with its container's exit code 0; fails with what it is doing until then. */
async function stoppedCleanly({ aws, outputs }: VerifyContext, taskArn: string | undefined): Promise<string> {
  if (!taskArn) throw new Error('no task to look at (see above)');
  const { tasks = [], failures = [] } = await aws.ecs.send(new DescribeTasksCommand({
    cluster: outputs.ClusterName,
    tasks: [taskArn],
  }));
  const task = tasks[0];
  // ECS forgets a stopped task after about an hour.
  if (!task) throw new Error(`ECS does not know task ${taskArn} (${failures[0]?.reason ?? 'no answer'})`);
  const container = task.containers?.[0];
  const seen = `${task.lastStatus}, stop code ${task.stopCode ?? 'none'}, exit code ${container?.exitCode ?? 'none'}`;
  if (task.lastStatus !== 'STOPPED') throw new Error(`still ${seen}`);
  if (container?.exitCode !== 0) throw new Error(`${seen}${task.stoppedReason ? `: ${task.stoppedReason}` : ''}`);
  return seen;
}

async function startSweep({ aws, outputs }: VerifyContext): Promise<string> {
  const { tasks = [], failures = [] } = await aws.ecs.send(new RunTaskCommand({
    cluster: outputs.ClusterName,
    taskDefinition: outputs.TaskDefinitionArn,
    launchType: 'FARGATE',
    networkConfiguration: {
      awsvpcConfiguration: {
        subnets: outputs.TaskSubnets.split(','),
        securityGroups: [outputs.TaskSecurityGroup],
        assignPublicIp: 'ENABLED',
      },
    },
    overrides: { containerOverrides: [{ name: CONTAINER, environment: [{ name: 'TRIGGER', value: 'manual' }] }] },
  }));
  const taskArn = tasks[0]?.taskArn;
  if (!taskArn) throw new Error(`RunTask started nothing: ${failures.map((f) => f.reason).join(', ') || 'no answer'}`);
  return taskArn;
}

function recordOf(item: Record<string, AttributeValue>): ObjectRecord {
  return {
    objectKey: item.objectKey?.S ?? '',
    versionId: item.versionId?.S ?? '',
    bucket: item.bucket?.S ?? '',
    size: Number(item.size?.N),
    etag: item.etag?.S ?? '',
    taskArn: item.taskArn?.S ?? '',
    processedAt: item.processedAt?.S ?? '',
    trigger: item.trigger?.S ?? '',
  };
}

/** PutObject answers the ETag in quotes; the task records it without. */
function unquote(etag: string): string {
  return etag.replace(/^"(.*)"$/, '$1');
}
