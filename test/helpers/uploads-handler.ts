import {
  CreateTableCommand, DynamoDBClient, DynamoDBClientConfig, waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { DynamoDbEngine, localClientConfig } from '../../lib/local/dynamodb-engine';
import { LocalS3, S3RVER_CREDENTIALS } from './s3rver';

export type UploadsHandler = (event: unknown, context?: Context) => Promise<void>;

export interface LoadedUploadsHandler {
  readonly handler: UploadsHandler;
  /** The S3Client class the handler's module uses, for a test that mocks it (aws-sdk-client-mock's mockClient). */
  readonly S3Client: typeof S3Client;
}

/**
 * The uploads function's handler on a new table of a local engine and on a local S3. The environment is set before
 * the module loads, as in Lambda: its SDK clients are created when it loads. Each call loads a fresh copy of the
 * module and its SDK (jest.isolateModules), so one test file can run it against two engines.
 */
export async function loadUploadsHandler(
  engine: DynamoDbEngine,
  s3: LocalS3,
  tableName: string,
  keyPrefix: string,
): Promise<LoadedUploadsHandler> {
  const client = new DynamoDBClient(uploadsTableClientConfig(engine.endpoint));
  try {
    await client.send(new CreateTableCommand({
      TableName: tableName,
      KeySchema: [{ AttributeName: 'objectKey', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'objectKey', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }));
    await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName: tableName });
  } finally {
    client.destroy();
  }
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: engine.endpoint,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_REGION: 'us-east-1',
    // s3rver checks signatures against its own key pair; the DynamoDB engine takes any (see uploadsTableClientConfig).
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    TABLE_NAME: tableName,
    KEY_PREFIX: keyPrefix,
    POWERTOOLS_LOG_LEVEL: 'INFO',
  });
  let loaded: LoadedUploadsHandler | undefined;
  jest.isolateModules(() => {
    loaded = {
      handler: (require('../../lambda/uploads/handler') as { handler: UploadsHandler }).handler,
      S3Client: (require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3')).S3Client,
    };
  });
  return loaded!;
}

/**
 * SDK settings for the handler's table, with the handler's key pair: DynamoDB Local keeps one set of tables per access
 * key and region, so the table must be created and read with the key pair the handler writes with (s3rver's).
 */
export function uploadsTableClientConfig(endpoint: string): DynamoDBClientConfig {
  return { ...localClientConfig(endpoint), credentials: S3RVER_CREDENTIALS };
}
