import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { UploadRecord } from './uploads';

// Created once per execution environment and reused across invocations. Default configuration, so the standard
// variables (AWS_REGION, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL_DYNAMODB, ...) point them at local engines in tests.
// Local S3 servers answer path-style requests only (http://host/bucket/key); AWS takes the default, virtual-hosted.
const s3 = new S3Client(process.env.AWS_ENDPOINT_URL_S3 ? { forcePathStyle: true } : {});
const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));

/** What S3 says about the object of an event, now. */
export type ObjectState =
  | { readonly state: 'current'; readonly contentType?: string }
  /** 404: deleted since the event. */
  | { readonly state: 'gone' }
  /** 412: the key holds another object (another ETag) since the event; that upload has its own event. */
  | { readonly state: 'replaced' };

/** The object's metadata in S3 and the uploads table, keyed by objectKey. */
export class UploadsRepository {
  constructor(private readonly tableName: string) {}

  /**
   * The object's metadata, if the key still holds the object of the event: HeadObject, so nothing is downloaded,
   * with If-Match on the event's ETag, so the Content-Type of a newer object is never recorded with this event.
   */
  async headObject(bucket: string, key: string, etag: string): Promise<ObjectState> {
    try {
      // An entity tag is quoted in HTTP headers; the event gives it without the quotes.
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, IfMatch: `"${etag}"` }));
      return { state: 'current', contentType: head.ContentType };
    } catch (error) {
      // A HEAD answer has no body: the SDK knows the status code only (it names a 412 "Unknown").
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404) return { state: 'gone' };
      if (status === 412) return { state: 'replaced' };
      if (status === 403) {
        // Not taken for "gone": it is also what a missing permission looks like.
        throw new Error('HeadObject was denied (403): '
          + 'the object is gone and the function may not s3:ListBucket (then S3 answers 403, not 404), '
          + 'or the function may not read it', { cause: error });
      }
      throw error;
    }
  }

  /**
   * Stores the record unless the table holds one of the same or a later event of the key: S3 delivers events at
   * least once and in no fixed order. False when the record was not stored for that reason.
   */
  async recordUpload(item: UploadRecord): Promise<boolean> {
    try {
      await documentClient.send(new PutCommand({
        TableName: this.tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(objectKey) OR sequencer < :sequencer',
        ExpressionAttributeValues: { ':sequencer': item.sequencer },
      }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
