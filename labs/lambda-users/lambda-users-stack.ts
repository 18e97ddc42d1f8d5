import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { UsersApi, UsersApiProps } from '../../lib/constructs/users-api';

export interface LambdaUsersLabProps extends StackProps, UsersApiProps {}

/**
 * Chapter lab "Building a Serverless Application with Lambda": the users API (API Gateway -> Lambda -> DynamoDB),
 * on a current Node.js runtime with least-privilege access and validated input.
 */
export class LambdaUsersLab extends Stack {
  public readonly usersApi: UsersApi;

  constructor(scope: Construct, id: string, props: LambdaUsersLabProps = {}) {
    super(scope, id, props);

    this.usersApi = new UsersApi(this, 'UsersApi', props);

    new CfnOutput(this, 'ApiUrl', {
      value: this.usersApi.url,
      description: 'Base URL of the prod stage (the chapter\'s Invoke URL)',
    });
    new CfnOutput(this, 'UsersUrl', { value: this.usersApi.usersUrl, description: 'curl this: list and create users' });
    new CfnOutput(this, 'FunctionName', {
      value: this.usersApi.function.functionName,
      description: 'The chapter\'s UserFunction',
    });
    new CfnOutput(this, 'TableName', {
      value: this.usersApi.table.tableName,
      description: 'The chapter\'s Users table',
    });
  }
}
