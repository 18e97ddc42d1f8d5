import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, S3Event } from 'aws-lambda';
import { decideRecord, eventRecords, eventType, rawKeyOf, uploadRecord } from './uploads';
import { UploadsRepository } from './uploads-repository';

const logger = new Logger({ serviceName: 'upload-processor' });
const uploads = new UploadsRepository(process.env.TABLE_NAME ?? '');
const keyPrefix = process.env.KEY_PREFIX ?? '';

/**
 * S3 event notification adapter (asynchronous invocation): records each object created under the prefix, once.
 * Every record of the event is tried; if any failed, the handler then throws an error that names them, so Lambda
 * retries the event (recording again is harmless) and at last sends it to the failure destination.
 */
export const handler = async (event: S3Event | unknown, context?: Context): Promise<void> => {
  if (context) logger.addContext(context);
  const records = eventRecords(event);
  if (!records) {
    logger.info('Skipped an event without Records', { event: eventType(event) });
    return;
  }
  const failures: string[] = [];
  for (const [index, record] of records.entries()) {
    try {
      await processRecord(record);
    } catch (error) {
      const name = `record ${index + 1} of ${records.length} (key ${JSON.stringify(rawKeyOf(record) ?? null)})`;
      logger.error('Record failed', { record: index + 1, key: rawKeyOf(record), error: error as Error });
      failures.push(`${name}: ${describeError(error)}`);
    }
  }
  if (failures.length > 0) {
    throw new Error(`${failures.length} of ${records.length} records failed: ${failures.join('; ')}`);
  }
};

async function processRecord(record: unknown): Promise<void> {
  const decision = decideRecord(record, keyPrefix);
  if (decision.action === 'skip') {
    const { action: _action, reason, ...details } = decision;
    logger.warn(`Skipped a record: ${reason}`, details);
    return;
  }
  const { object } = decision;
  const where = { objectKey: object.key, bucket: object.bucket, sequencer: object.sequencer };
  const head = await uploads.headObject(object.bucket, object.key, object.etag);
  if (head.state === 'gone') {
    logger.info('Skipped an upload: the object is gone', where);
    return;
  }
  if (head.state === 'replaced') {
    logger.info('Skipped an upload: the object was replaced since the event', where);
    return;
  }
  if (await uploads.recordUpload(uploadRecord(object, head.contentType, new Date()))) {
    logger.info('Recorded an upload', { ...where, size: object.size });
  } else {
    logger.info('Skipped an upload: already recorded (this event or a later one)', where);
  }
}

/** An error in one line: an AWS error's name and status code (an S3 HEAD error has no message), else its message. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === undefined ? error.message : `${error.name} (HTTP ${status}): ${error.message}`;
}
