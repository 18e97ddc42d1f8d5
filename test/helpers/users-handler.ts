import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { createTable, DynamoDbEngine, localClientConfig } from '../../lib/local/dynamodb-engine';

export type UsersHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/**
 * The users function's handler on a new table of a local engine, and a client of that table. The handler module is
 * loaded only after the environment is set: its SDK client reads the endpoint when the module loads, as in Lambda.
 */
export async function loadUsersHandler(
  engine: DynamoDbEngine,
  tableName: string,
): Promise<{ handler: UsersHandler; documentClient: DynamoDBDocumentClient }> {
  await createTable(
    engine.endpoint,
    tableName,
    [{ AttributeName: 'userId', KeyType: 'HASH' }],
    [{ AttributeName: 'userId', AttributeType: 'S' }],
  );
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: engine.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    TABLE_NAME: tableName,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  const { handler } = require('../../lambda/users/handler') as { handler: UsersHandler };
  return {
    handler,
    documentClient: DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(engine.endpoint))),
  };
}
