import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { UploadProcessor, UploadProcessorProps } from '../../lib/constructs/upload-processor';

export interface S3UploadsLabProps extends StackProps, UploadProcessorProps {}

/**
 * The notes' "Lambda Function Example": an upload to S3 invokes a function that records the object's key, bucket
 * and size; asynchronous invocation with explicit retries, event age and a failure queue, and one record per object
 * however often S3 delivers the event.
 */
export class S3UploadsLab extends Stack {
  public readonly uploadProcessor: UploadProcessor;

  constructor(scope: Construct, id: string, props: S3UploadsLabProps = {}) {
    super(scope, id, props);

    this.uploadProcessor = new UploadProcessor(this, 'UploadProcessor', props);
    const { bucket, table, failureQueue, keyPrefix } = this.uploadProcessor;

    new CfnOutput(this, 'BucketName', {
      value: bucket.bucketName,
      description: 'Upload here, under the prefix, to invoke the function',
    });
    new CfnOutput(this, 'TableName', { value: table.tableName, description: 'One record per uploaded object' });
    new CfnOutput(this, 'FunctionName', {
      value: this.uploadProcessor.function.functionName,
      description: 'The notes\' S3-triggered function',
    });
    new CfnOutput(this, 'FailureQueueUrl', {
      value: failureQueue.queueUrl,
      description: 'Events that failed every attempt',
    });
    new CfnOutput(this, 'KeyPrefix', {
      value: keyPrefix,
      description: 'Uploads under this prefix invoke the function',
    });
    new CfnOutput(this, 'UploadCommand', {
      value: `aws s3 cp hello.txt s3://${bucket.bucketName}/${keyPrefix}hello.txt`,
      description: 'Uploads a test file (create hello.txt first)',
    });
  }
}
