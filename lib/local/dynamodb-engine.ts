import {
  AttributeDefinition, CreateTableCommand, DynamoDBClient, KeySchemaElement, ResourceInUseException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';

/** A DynamoDB-compatible engine running on this machine, for `npm run local` and the tests. */
export interface DynamoDbEngine {
  readonly name: string;
  /** http://127.0.0.1:<port> */
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** SDK settings for a local engine: any credentials and region are accepted. */
export function localClientConfig(endpoint: string) {
  return { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
}

/**
 * Creates a table from a key schema (as the synthesized template gives it), unless it exists already
 * (the local run keeps its data between runs), and waits until it is active.
 */
export async function createTable(
  endpoint: string, tableName: string, keySchema: KeySchemaElement[], attributeDefinitions: AttributeDefinition[],
): Promise<void> {
  const client = new DynamoDBClient(localClientConfig(endpoint));
  try {
    try {
      await client.send(new CreateTableCommand({
        TableName: tableName,
        KeySchema: keySchema,
        AttributeDefinitions: attributeDefinitions,
        BillingMode: 'PAY_PER_REQUEST',
      }));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName: tableName });
  } finally {
    client.destroy();
  }
}
