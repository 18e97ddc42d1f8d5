// zod/mini, as in lambda/users/users.ts: the same validation with a tree-shakable API, a smaller bundle.
import * as z from 'zod/mini';

/**
 * The uploads function's rules, with no AWS in them: which records of an S3 event notification it processes, the
 * real object key behind the URL-encoded one, the order of two events of one key, and the record it stores.
 * Event shape: https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
 */

/** The Content-Type S3 gives an object stored without one. */
export const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

/** Sequencers are left-padded to this length, so that string comparison orders them (see padSequencer). */
export const SEQUENCER_LENGTH = 32;

const SEQUENCER_PATTERN = /^[0-9A-Fa-f]{1,32}$/;
const SEQUENCER_RULE = `sequencer must be 1-${SEQUENCER_LENGTH} hexadecimal digits`;

/** An object an ObjectCreated record announces, its key decoded and its sequencer padded. */
export interface CreatedObject {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  /** As S3 writes it in the event: without the quotes of the ETag header. */
  readonly etag: string;
  readonly sequencer: string;
}

/** One item of the uploads table, keyed by objectKey: the latest event recorded for that key. */
export interface UploadRecord {
  readonly objectKey: string;
  readonly bucket: string;
  readonly size: number;
  readonly contentType: string;
  readonly etag: string;
  readonly sequencer: string;
  /** ISO 8601. */
  readonly processedAt: string;
}

/** What to do with one record of an event. */
export type RecordDecision =
  | { readonly action: 'process'; readonly object: CreatedObject }
  | {
    readonly action: 'skip';
    readonly reason: 'not ObjectCreated';
    readonly eventSource?: string;
    readonly eventName?: string;
  }
  | { readonly action: 'skip'; readonly reason: 'outside the prefix'; readonly objectKey: string };

/** A record that claims to be an ObjectCreated record of S3 and is not a valid one: retrying will not fix it. */
export class InvalidRecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRecordError';
  }
}

// Only what identifies an S3 ObjectCreated record: anything else is skipped, not failed.
const objectCreatedSchema = z.looseObject({
  eventSource: z.literal('aws:s3'),
  eventName: z.string().check(z.startsWith('ObjectCreated:')),
});

/** The fields of an ObjectCreated record that the function uses; other fields may come and go between versions. */
export const objectCreatedRecordSchema = z.looseObject({
  s3: z.looseObject({
    bucket: z.looseObject({
      name: z.string({ error: 's3.bucket.name must be a bucket name' }).check(
        z.regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
          error: 's3.bucket.name must be a bucket name: 3-63 lowercase letters, digits, "." or "-"',
        }),
      ),
    }, { error: 's3.bucket must be an object with a name' }),
    object: z.looseObject({
      key: z.string({ error: 's3.object.key must be a string' }).check(
        z.minLength(1, { error: 's3.object.key must not be empty' }),
      ),
      size: z.int({ error: 's3.object.size must be a whole number of bytes' }).check(
        z.nonnegative({ error: 's3.object.size must be 0 or more' }),
      ),
      eTag: z.string({ error: 's3.object.eTag must be a string' }).check(
        z.regex(/^[0-9A-Fa-f]{32}(-[0-9]{1,5})?$/, {
          error: 's3.object.eTag must be 32 hexadecimal digits, optionally followed by -<part count>',
        }),
      ),
      sequencer: z.string({ error: `s3.object.${SEQUENCER_RULE}` }).check(
        z.regex(SEQUENCER_PATTERN, { error: `s3.object.${SEQUENCER_RULE}` }),
      ),
    }, { error: 's3.object must be an object with key, size, eTag and sequencer' }),
  }, { error: 's3 must be an object with bucket and object' }),
});

/**
 * The records of an event, or undefined for an event without `Records` (such as the `s3:TestEvent` S3 sends when
 * notifications are configured). `Records` that is not an array is an error: retrying will not fix it either.
 */
export function eventRecords(event: unknown): unknown[] | undefined {
  if (event === null || typeof event !== 'object' || !('Records' in event) || event.Records === undefined) {
    return undefined;
  }
  if (!Array.isArray(event.Records)) throw new InvalidRecordError('Records must be an array of S3 event records');
  return event.Records;
}

/** The `Event` field of an event without Records (`s3:TestEvent`), for the log line that skips it. */
export function eventType(event: unknown): string | undefined {
  return event !== null && typeof event === 'object' && 'Event' in event && typeof event.Event === 'string'
    ? event.Event
    : undefined;
}

/** The key of a record as it arrived (URL-encoded), to name a record that failed; undefined if there is none. */
export function rawKeyOf(record: unknown): string | undefined {
  const key = (record as { s3?: { object?: { key?: unknown } } } | null)?.s3?.object?.key;
  return typeof key === 'string' ? key : undefined;
}

/**
 * Decides what to do with one record: process an ObjectCreated record of S3 whose decoded key is under `keyPrefix`,
 * skip other records and other keys, and throw InvalidRecordError for an ObjectCreated record that is not valid.
 */
export function decideRecord(record: unknown, keyPrefix: string): RecordDecision {
  if (!objectCreatedSchema.safeParse(record).success) {
    const { eventSource, eventName } = (record ?? {}) as { eventSource?: unknown; eventName?: unknown };
    return {
      action: 'skip',
      reason: 'not ObjectCreated',
      ...(typeof eventSource === 'string' && { eventSource }),
      ...(typeof eventName === 'string' && { eventName }),
    };
  }
  const result = objectCreatedRecordSchema.safeParse(record);
  if (!result.success) throw new InvalidRecordError(result.error.issues.map((issue) => issue.message).join('; '));
  const { bucket, object } = result.data.s3;
  const key = decodeKey(object.key);
  if (!key.startsWith(keyPrefix)) return { action: 'skip', reason: 'outside the prefix', objectKey: key };
  return {
    action: 'process',
    object: {
      bucket: bucket.name,
      key,
      size: object.size,
      etag: object.eTag,
      sequencer: padSequencer(object.sequencer),
    },
  };
}

/**
 * The real key behind the key of an event: S3 encodes it as an HTML form does, `+` for a space and `%XX` for the
 * other bytes, so `+` is decoded first (a real `+` arrives as `%2B`).
 */
export function decodeKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch {
    throw new InvalidRecordError(`s3.object.key is not a valid URL-encoded key: ${JSON.stringify(encoded)}`);
  }
}

/**
 * A sequencer that orders by string comparison: uppercase, left-padded with zeros to 32 digits. S3's sequencers of
 * one key grow with each event but may differ in length; AWS says to pad the shorter one before comparing.
 */
export function padSequencer(sequencer: string): string {
  if (!SEQUENCER_PATTERN.test(sequencer)) {
    throw new InvalidRecordError(`${SEQUENCER_RULE}, got ${JSON.stringify(sequencer)}`);
  }
  return sequencer.toUpperCase().padStart(SEQUENCER_LENGTH, '0');
}

/** The item stored for an object: size and ETag from the event, the Content-Type from S3 (HeadObject). */
export function uploadRecord(object: CreatedObject, contentType: string | undefined, now: Date): UploadRecord {
  return {
    objectKey: object.key,
    bucket: object.bucket,
    size: object.size,
    contentType: contentType ?? DEFAULT_CONTENT_TYPE,
    etag: object.etag,
    sequencer: object.sequencer,
    processedAt: now.toISOString(),
  };
}
