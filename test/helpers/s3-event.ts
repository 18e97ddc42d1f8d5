import type { S3Event, S3EventRecord } from 'aws-lambda';

/** A key as S3 writes it in an event (lib/local/s3-events.ts). */
export { encodeS3EventKey as encodeEventKey } from '../../lib/local/s3-events';

/**
 * S3 event notifications shaped like AWS's documented sample (version 2.1 of the structure):
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
 */

export interface S3RecordOptions {
  readonly bucket: string;
  /** The key as S3 writes it in the event, URL-encoded: see encodeEventKey. */
  readonly key: string;
  readonly size: number;
  /** Without quotes, as in events. */
  readonly eTag: string;
  readonly sequencer: string;
  /** @default 'ObjectCreated:Put' */
  readonly eventName?: string;
}

/** One record, with the sample's values for the fields the function does not read. */
export function s3EventRecord(options: S3RecordOptions): S3EventRecord {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventTime: '1970-01-01T00:00:00.000Z',
    eventName: (options.eventName ?? 'ObjectCreated:Put') as S3EventRecord['eventName'],
    userIdentity: { principalId: 'AIDAJDPLRKLG7UEXAMPLE' },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: {
      'x-amz-request-id': 'C3D13FE58DE4C810',
      'x-amz-id-2': 'FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD',
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'testConfigRule',
      bucket: {
        name: options.bucket,
        ownerIdentity: { principalId: 'A3NL1KOZZKExample' },
        arn: `arn:aws:s3:::${options.bucket}`,
      },
      object: { key: options.key, size: options.size, eTag: options.eTag, sequencer: options.sequencer },
    },
  };
}

export function s3Event(...records: unknown[]): S3Event {
  return { Records: records as S3EventRecord[] };
}

/** The event S3 sends to a destination when notifications are configured: it has no Records. */
export function s3TestEvent(bucket: string) {
  return {
    Service: 'Amazon S3',
    Event: 's3:TestEvent',
    Time: '2014-10-13T15:57:02.089Z',
    Bucket: bucket,
    RequestId: '5582815E1AEA5ADF',
    HostId: '8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE',
  };
}

