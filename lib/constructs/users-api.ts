import * as path from 'path';
import { Duration, RemovalPolicy, Token, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { API_GATEWAY_ACCOUNT_EXPORT } from '../classroom/classroom-exports';
import { requireClassroomExport, studentOf } from '../classroom/classroom-mode';
import { CLASSROOM_SETUP_STACK } from '../classroom/student';
import { CORS } from '../../lambda/users/cors';
import { LabLogGroup } from './lab-log-group';
import { nodeFunctionBase } from './node-bundling';

export interface UsersApiProps {
  /**
   * Steady-state requests per second the stage accepts before answering 429.
   *
   * @default 10 - plenty for a student with curl, and a runaway loop costs at most about $0.13/h in API Gateway
   * requests
   */
  readonly throttlingRateLimit?: number;

  /**
   * Requests the stage accepts in a burst above the rate.
   *
   * @default 20
   */
  readonly throttlingBurstLimit?: number;

  /**
   * Create the account-level role that lets API Gateway write logs in this region (`AWS::ApiGateway::Account`).
   * REST API stages refuse access logging until an account has one; set false where the account already does.
   * The role is deleted with the stack; the account setting then names a role that no longer exists, which matters
   * only to an API that enables logging later without setting its own.
   * In classroom mode (`-c student=<name>`) ClassroomSetup sets it once for the class, and true is refused: thirty
   * stacks would replace each other's setting.
   *
   * @default true, and false in classroom mode
   */
  readonly createApiGatewayLoggingRole?: boolean;
}

const HANDLER_ENTRY = path.join(__dirname, '..', '..', 'lambda', 'users', 'handler.ts');

/**
 * The chapter's users API: a DynamoDB table, one Node.js function that may only read and write that table,
 * and a regional REST API (stage `prod`) with `/users` and `/users/{userId}`, all logging to log groups of the stack.
 */
export class UsersApi extends Construct {
  public readonly table: dynamodb.Table;
  public readonly function: lambda.Function;
  public readonly api: apigateway.RestApi;
  /** The stage's base URL, `https://.../prod/`. */
  public readonly url: string;
  /** `https://.../prod/users` */
  public readonly usersUrl: string;

  constructor(scope: Construct, id: string, props: UsersApiProps = {}) {
    super(scope, id);

    const rateLimit = props.throttlingRateLimit ?? 10;
    const burstLimit = props.throttlingBurstLimit ?? 20;
    checkThrottling(rateLimit, burstLimit);

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'userId', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // An explicit role instead of AWSLambdaBasicExecutionRole, which may write to every log group in the account.
    const functionLogs = new LabLogGroup(this, 'FunctionLogs').logGroup;
    const role = new iam.Role(this, 'FunctionRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'UsersFunction: its own table and log group, and X-Ray traces',
    });
    functionLogs.grantWrite(role);

    this.function = new lambda.Function(this, 'UsersFunction', {
      ...nodeFunctionBase(this, { entry: HANDLER_ENTRY, environment: { TABLE_NAME: this.table.tableName } }),
      memorySize: 256,
      timeout: Duration.seconds(10),
      role,
      logGroup: functionLogs,
      tracing: lambda.Tracing.ACTIVE,
    });
    this.table.grant(this.function, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:Scan');
    Validations.of(role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions; '
        + 'everything else is scoped to this table and log group.',
    });

    const student = studentOf(this);
    if (student !== undefined && props.createApiGatewayLoggingRole) {
      throw new Error(`createApiGatewayLoggingRole cannot be true in classroom mode (student ${student}): `
        + `${CLASSROOM_SETUP_STACK} sets API Gateway's account-wide CloudWatch role once for the class`);
    }
    const createLoggingRole = props.createApiGatewayLoggingRole ?? student === undefined;
    if (student !== undefined) {
      requireClassroomExport(this, 'ClassroomApiGatewayAccount', API_GATEWAY_ACCOUNT_EXPORT,
        'API Gateway\'s CloudWatch role for the account, which the stage\'s access logs need');
    }
    this.api = new apigateway.RestApi(this, 'Api', {
      description: 'Users API of the Lambda lab (chapter 2)',
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      cloudWatchRole: createLoggingRole,
      cloudWatchRoleRemovalPolicy: createLoggingRole ? RemovalPolicy.DESTROY : undefined,
      deployOptions: {
        stageName: 'prod',
        throttlingRateLimit: rateLimit,
        throttlingBurstLimit: burstLimit,
        tracingEnabled: true,
        accessLogDestination: new apigateway.LogGroupLogDestination(new LabLogGroup(this, 'AccessLogs').logGroup),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
      },
      // The same policy the handler answers with (lambda/users/cors.ts).
      defaultCorsPreflightOptions: {
        allowOrigins: [CORS.allowOrigin],
        allowMethods: [...CORS.allowMethods],
        allowHeaders: [...CORS.allowHeaders],
      },
    });

    const integration = new apigateway.LambdaIntegration(this.function);
    const users = this.api.root.addResource('users');
    users.addMethod('GET', integration);
    users.addMethod('POST', integration);
    const user = users.addResource('{userId}');
    user.addMethod('GET', integration);
    user.addMethod('DELETE', integration);

    // RestApi adds an output with the URL; the lab's stack names its own outputs.
    this.api.node.tryRemoveChild('Endpoint');
    this.url = this.api.url;
    this.usersUrl = this.api.urlForPath('/users');
    this.acknowledgeApiFindings();
  }

  private acknowledgeApiFindings(): void {
    Validations.of(this.api).acknowledge(
      {
        id: 'AwsSolutions::AwsSolutions-APIG2',
        reason: 'The function validates every request with a schema and answers 400 with a message that says what '
          + 'to fix; API Gateway request validation would answer with generic messages.',
      },
      {
        id: 'AwsSolutions::AwsSolutions-APIG3',
        reason: 'AWS WAF costs $5/month per web ACL plus rules, more than the lab; '
          + 'stage throttling bounds what a runaway client can cost.',
      },
      {
        id: 'AwsSolutions::AwsSolutions-APIG4',
        reason: 'The chapter\'s users API is public on purpose (students call it with curl); '
          + 'it holds only test data, and throttling bounds the cost of abuse.',
      },
      {
        id: 'AwsSolutions::AwsSolutions-COG4',
        reason: 'The chapter\'s users API is public on purpose; a Cognito user pool is beyond this lab.',
      },
      {
        id: 'AwsSolutions::AwsSolutions-APIG6',
        reason: 'Execution logs go to an API-Gateway-Execution-Logs_... log group that API Gateway creates and never '
          + 'deletes; access logs and the function\'s logs, both deleted with the stack, cover the lab.',
      },
    );
    const loggingRole = this.api.node.tryFindChild('CloudWatchRole');
    if (loggingRole) {
      Validations.of(loggingRole).acknowledge({
        id: 'AwsSolutions::AwsSolutions-IAM4'
          + '[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason: 'AWS publishes this policy for exactly this role: '
          + 'API Gateway writing its logs in this account and region.',
      });
    }
  }
}

function checkThrottling(rateLimit: number, burstLimit: number): void {
  if (!Token.isUnresolved(rateLimit) && !(rateLimit > 0 && rateLimit <= 10_000)) {
    throw new Error('throttlingRateLimit must be more than 0 and at most 10000 requests per second '
      + `(the account default), got ${rateLimit}`);
  }
  if (!Token.isUnresolved(burstLimit) && !(Number.isInteger(burstLimit) && burstLimit >= 1 && burstLimit <= 5_000)) {
    throw new Error('throttlingBurstLimit must be a whole number from 1 to 5000 (the account default), '
      + `got ${burstLimit}`);
  }
}
