import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { PageKey, User, userExists } from './users';

// Created once per execution environment and reused across invocations. Default configuration, so the
// standard variables (AWS_REGION, AWS_ENDPOINT_URL_DYNAMODB, ...) point it at a local engine in tests.
const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});

export interface UsersPage {
  readonly users: User[];
  /** Where the next page starts, if there may be one. */
  readonly nextKey?: PageKey;
}

/** The users table: one item per user, keyed by userId. */
export class UsersRepository {
  constructor(private readonly tableName: string) {}

  /** Stores a new user; a user with the same id stays as it was and UserExists is thrown. */
  async create(user: User): Promise<void> {
    try {
      await documentClient.send(new PutCommand({
        TableName: this.tableName,
        Item: user,
        ConditionExpression: 'attribute_not_exists(userId)',
      }));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw userExists();
      throw error;
    }
  }

  async get(userId: string): Promise<User | undefined> {
    const result = await documentClient.send(new GetCommand({ TableName: this.tableName, Key: { userId } }));
    return result.Item as User | undefined;
  }

  /** Deletes the user; false when there was none. */
  async delete(userId: string): Promise<boolean> {
    const result = await documentClient.send(new DeleteCommand({
      TableName: this.tableName,
      Key: { userId },
      ReturnValues: 'ALL_OLD',
    }));
    return result.Attributes !== undefined;
  }

  /**
   * Up to `limit` users from `startKey` on. A Scan stops at 1 MB, so it is repeated until the page is full
   * or the table is read to the end; the page's last key is where the next page starts.
   */
  async list(limit: number, startKey?: PageKey): Promise<UsersPage> {
    const users: User[] = [];
    let exclusiveStartKey: Record<string, unknown> | undefined = startKey && { userId: startKey.userId };
    do {
      const page = await documentClient.send(new ScanCommand({
        TableName: this.tableName,
        Limit: limit - users.length,
        ExclusiveStartKey: exclusiveStartKey,
      }));
      users.push(...(page.Items ?? []) as User[]);
      exclusiveStartKey = page.LastEvaluatedKey;
    } while (exclusiveStartKey && users.length < limit);
    return { users, nextKey: exclusiveStartKey ? { userId: String(exclusiveStartKey.userId) } : undefined };
  }
}
