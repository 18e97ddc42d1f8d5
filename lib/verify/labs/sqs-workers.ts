import { randomUUID } from 'crypto';
import { BatchGetItemCommand, BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeValue, BatchGetItemCommandOutput } from '@aws-sdk/client-dynamodb';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { GetQueueAttributesCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { Check } from '../checklist';
import { LabVerifier, VerifyContext } from '../lab-verifier';

/** Test jobs: two batches of SQS's 10, a couple of seconds of work each. */
const JOBS = 20;
const JOB_SECONDS = 2;

/**
 * The lab's "send jobs, watch the workers come and go": test jobs sent to the queue start at least one worker, every
 * job is recorded, the queue drains with nothing new in the dead-letter queue, and (with --wait-scale-in) the scaler
 * stops every worker again. The test jobs' records are deleted at the end.
 */
export const sqsWorkersVerifier: LabVerifier = {
  outputs: ['QueueUrl', 'DeadLetterQueueUrl', 'TableName', 'ClusterName', 'ServiceName'],
  checks: (context) => {
    const { outputs, aws } = context;
    const run = randomUUID();
    const jobIds = Array.from({ length: JOBS }, (_, i) => `verify-${run}-${String(i + 1).padStart(2, '0')}`);
    /** How many of the jobs SQS has taken: a retry sends only the rest. */
    let sent = 0;
    /** Whether any job was sent: SQS may take some entries of a batch it partly refuses. */
    let tried = false;
    let deadLettersBefore: number | undefined;

    const checks: Check[] = [
      {
        name: `sends ${JOBS} test jobs of ${JOB_SECONDS} seconds`,
        run: async () => {
          deadLettersBefore ??= (await queueCounts(context, outputs.DeadLetterQueueUrl)).waiting;
          for (let start = sent; start < JOBS; start += 10) {
            tried = true;
            const { Failed = [] } = await aws.sqs.send(new SendMessageBatchCommand({
              QueueUrl: outputs.QueueUrl,
              Entries: jobIds.slice(start, start + 10).map((jobId, i) => ({
                Id: String(i),
                MessageBody: JSON.stringify({ jobId, seconds: JOB_SECONDS }),
              })),
            }));
            if (Failed.length > 0) throw new Error(`SQS refused ${Failed.length} job(s): ${Failed[0].Message}`);
            sent = start + 10;
          }
          return `${jobIds[0]} to ${jobIds[JOBS - 1]}`;
        },
      },
      {
        name: 'the scaler starts at least one worker (within minutes, the alarm then the task start)',
        run: async () => {
          const { running, desired } = await serviceCounts(context);
          if (running < 1) throw new Error(`${running} running, ${desired} desired`);
          return `${running} running, ${desired} desired`;
        },
      },
      {
        name: 'every test job is recorded, by a worker',
        run: async () => {
          const records = await recordsOf(context, jobIds);
          const missing = jobIds.filter((jobId) => !records.has(jobId));
          if (missing.length > 0) throw new Error(`${records.size} of ${JOBS} recorded; missing ${missing[0]} and `
            + `${missing.length - 1} more`);
          const workers = new Set(records.values());
          const unknown = [...workers].filter((worker) => !worker.startsWith('arn:'));
          if (unknown.length > 0) throw new Error(`records name the worker ${unknown[0]}, not a task ARN`);
          return `${JOBS} of ${JOBS}, by ${workers.size} worker(s)`;
        },
      },
      {
        name: 'the queue drains, with no job waiting or in progress and none new in the dead-letter queue',
        run: async () => {
          const jobs = await queueCounts(context, outputs.QueueUrl);
          const deadLetters = await queueCounts(context, outputs.DeadLetterQueueUrl);
          const seen = `${jobs.waiting} waiting, ${jobs.inFlight} in progress; `
            + `${deadLetters.waiting} dead letters (${deadLettersBefore ?? '?'} before)`;
          if (jobs.waiting + jobs.inFlight > 0) throw new Error(seen);
          if (deadLettersBefore === undefined || deadLetters.waiting > deadLettersBefore) {
            throw new Error(`${seen}: look at them with aws sqs receive-message`);
          }
          return seen;
        },
      },
    ];
    if (context.waitScaleIn) {
      checks.push({
        name: 'the scaler stops every worker again (5 minutes after the queue is empty, plus a minute or so)',
        run: async () => {
          const { running, desired } = await serviceCounts(context);
          if (running > 0 || desired > 0) throw new Error(`${running} running, ${desired} desired`);
          return '0 running, 0 desired';
        },
      });
    }

    return {
      checks,
      cleanUp: async () => {
        if (!tried) return undefined;
        const records = await recordsOf(context, jobIds);
        const done = jobIds.filter((jobId) => records.has(jobId));
        // At most 25 keys, BatchWriteItem's limit (JOBS is 20): one call.
        if (done.length > 0) {
          const deletes = done.map((jobId) => ({ DeleteRequest: { Key: { jobId: { S: jobId } } } }));
          await aws.dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [outputs.TableName]: deletes } }));
        }
        return `deleted the records of ${done.length} test job(s) (verify-${run}-*)`;
      },
    };
  },
};

async function serviceCounts({ aws, outputs }: VerifyContext): Promise<{ running: number; desired: number }> {
  const { services = [] } = await aws.ecs.send(new DescribeServicesCommand({
    cluster: outputs.ClusterName,
    services: [outputs.ServiceName],
  }));
  const service = services[0];
  if (!service) throw new Error(`no service ${outputs.ServiceName} in cluster ${outputs.ClusterName}`);
  return { running: service.runningCount ?? 0, desired: service.desiredCount ?? 0 };
}

async function queueCounts({ aws }: VerifyContext, queueUrl: string): Promise<{ waiting: number; inFlight: number }> {
  const { Attributes = {} } = await aws.sqs.send(new GetQueueAttributesCommand({
    QueueUrl: queueUrl,
    AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
  }));
  return {
    waiting: Number(Attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}

/** The worker that recorded each of these jobs, by job id (consistent reads; at most 100 keys, one call's limit). */
async function recordsOf({ aws, outputs }: VerifyContext, jobIds: string[]): Promise<Map<string, string>> {
  const records = new Map<string, string>();
  let keys: Record<string, AttributeValue>[] | undefined = jobIds.map((jobId) => ({ jobId: { S: jobId } }));
  while (keys) {
    const answer: BatchGetItemCommandOutput = await aws.dynamodb.send(new BatchGetItemCommand({
      RequestItems: { [outputs.TableName]: { Keys: keys, ConsistentRead: true } },
    }));
    // DynamoDB answers both maps, empty when there is nothing in them.
    for (const item of answer.Responses![outputs.TableName]) {
      records.set(item.jobId.S!, item.worker?.S ?? '(none)');
    }
    keys = answer.UnprocessedKeys![outputs.TableName]?.Keys;
  }
  return records;
}
