import { randomUUID } from 'crypto';
import { DeleteItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { UploadRecord } from '../../../lambda/uploads/uploads';
import { LabVerifier } from '../lab-verifier';

/** The test file: text, so its size in bytes differs from its length in characters. */
const BODY = 'Uploaded by npm run verify: héllo\n';
const CONTENT_TYPE = 'text/plain; charset=utf-8';

/**
 * The lab's "upload a file, see it processed" with a file of its own: a name with a space and a non-ASCII character
 * (S3 sends it URL-encoded), the record with every field, then the same file again, whose newer event must replace
 * the record. Whatever happens, the object and the record are deleted at the end.
 */
export const s3UploadsVerifier: LabVerifier = {
  outputs: ['BucketName', 'TableName', 'KeyPrefix'],
  checks: ({ outputs, aws }) => {
    const key = `${outputs.KeyPrefix}verify ${randomUUID()} é.txt`;
    let firstUpload: { etag: string; after: string } | undefined;
    let secondUpload: { etag: string; after: string } | undefined;
    let firstRecord: UploadRecord | undefined;
    let uploaded = false;

    const upload = async () => {
      const after = new Date().toISOString();
      uploaded = true;
      const result = await aws.s3.send(new PutObjectCommand({
        Bucket: outputs.BucketName,
        Key: key,
        Body: BODY,
        ContentType: CONTENT_TYPE,
      }));
      return { etag: unquote(result.ETag ?? ''), after };
    };
    const readRecord = async (): Promise<UploadRecord> => {
      const { Item } = await aws.dynamodb.send(new GetItemCommand({
        TableName: outputs.TableName,
        Key: { objectKey: { S: key } },
        ConsistentRead: true,
      }));
      if (!Item) throw new Error(`no record for "${key}" yet`);
      return recordOf(Item);
    };
    const expectRecord = (record: UploadRecord, upload: { etag: string; after: string }) => {
      const expected = {
        objectKey: key,
        bucket: outputs.BucketName,
        size: Buffer.byteLength(BODY),
        contentType: CONTENT_TYPE,
        etag: upload.etag,
      };
      const seen = {
        objectKey: record.objectKey,
        bucket: record.bucket,
        size: record.size,
        contentType: record.contentType,
        etag: record.etag,
      };
      if (JSON.stringify(seen) !== JSON.stringify(expected)) throw new Error(
        `the record is ${JSON.stringify(seen)}, expected ${JSON.stringify(expected)}`);
      if (!(record.processedAt >= upload.after)) throw new Error(
        `processedAt ${record.processedAt} is before the upload (${upload.after})`);
    };

    return {
      checks: [
        {
          name: 'uploads a test file with a space and a non-ASCII character in its name',
          run: async () => {
            firstUpload = await upload();
            return `s3://${outputs.BucketName}/${key}, ${Buffer.byteLength(BODY)} bytes, ETag ${firstUpload.etag}`;
          },
        },
        {
          name: 'the function records it with the real key, bucket, size, content type and ETag',
          run: async () => {
            const record = await readRecord();
            expectRecord(record, firstUpload!);
            firstRecord = record;
            return `${record.size} bytes, ${record.contentType}, processed at ${record.processedAt}`;
          },
        },
        {
          name: 'uploads the same file again',
          run: async () => {
            secondUpload = await upload();
            return `ETag ${secondUpload.etag}`;
          },
        },
        {
          // One record per key by design (the table's key); what can go wrong is a stale record or a duplicate write.
          name: 'the key\'s one record now comes from the newer event',
          run: async () => {
            if (!firstRecord) throw new Error('no right record of the first upload to compare with (see above)');
            const record = await readRecord();
            if (!(record.sequencer > firstRecord.sequencer)) throw new Error(
              `the record still has the first upload's sequencer (${record.sequencer})`);
            expectRecord(record, secondUpload!);
            return `sequencer ${firstRecord.sequencer} -> ${record.sequencer}, processed at ${record.processedAt}`;
          },
        },
      ],
      cleanUp: async () => {
        if (!uploaded) return undefined;
        await aws.s3.send(new DeleteObjectCommand({ Bucket: outputs.BucketName, Key: key }));
        await aws.dynamodb.send(new DeleteItemCommand({
          TableName: outputs.TableName,
          Key: { objectKey: { S: key } },
        }));
        return `deleted the test object and its record (${key})`;
      },
    };
  },
};

function recordOf(item: Record<string, AttributeValue>): UploadRecord {
  return {
    objectKey: item.objectKey?.S ?? '',
    bucket: item.bucket?.S ?? '',
    size: Number(item.size?.N),
    contentType: item.contentType?.S ?? '',
    etag: item.etag?.S ?? '',
    sequencer: item.sequencer?.S ?? '',
    processedAt: item.processedAt?.S ?? '',
  };
}

/** PutObject answers the ETag in quotes; S3 events carry it without. */
function unquote(etag: string): string {
  return etag.replace(/^"(.*)"$/, '$1');
}
