import { startDynamoDbLocal } from '../helpers/dynamodb-local';
import { describeUsersContract } from './users-contract';

// The same contract once on Amazon's DynamoDB Local (Java), to catch where dynalite differs from DynamoDB.
describeUsersContract(() => startDynamoDbLocal());
