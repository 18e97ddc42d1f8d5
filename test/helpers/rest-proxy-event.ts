import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

export interface RequestOptions {
  readonly method: string;
  /** The API Gateway resource, e.g. `/users/{userId}`. */
  readonly resource: string;
  /** The request path, e.g. `/users/42`. */
  readonly path: string;
  readonly pathParameters?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
}

let requestCount = 0;

/** A REST API (v1) Lambda proxy event with the fields API Gateway sends. */
export function restProxyEvent(options: RequestOptions): APIGatewayProxyEvent {
  const requestId = `test-request-${++requestCount}`;
  const headers = { 'Content-Type': 'application/json', Host: 'example.execute-api.us-east-1.amazonaws.com' };
  return {
    resource: options.resource,
    path: options.path,
    httpMethod: options.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([key, value]) => [key, [value]])),
    queryStringParameters: options.query ?? null,
    multiValueQueryStringParameters: options.query ? Object.fromEntries(Object.entries(options.query).map(([key, value]) => [key, [value]])) : null,
    pathParameters: options.pathParameters ?? null,
    stageVariables: null,
    body: options.body ?? null,
    isBase64Encoded: options.isBase64Encoded ?? false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'example',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: options.method,
      identity: {
        accessKey: null, accountId: null, apiKey: null, apiKeyId: null, caller: null, clientCert: null,
        cognitoAuthenticationProvider: null, cognitoAuthenticationType: null, cognitoIdentityId: null,
        cognitoIdentityPoolId: null, principalOrgId: null, sourceIp: '127.0.0.1', user: null, userAgent: 'jest', userArn: null,
      },
      path: `/prod${options.path}`,
      stage: 'prod',
      requestId,
      requestTimeEpoch: Date.now(),
      resourceId: 'resource',
      resourcePath: options.resource,
    },
  };
}

/** The Lambda context fields the handler reads. */
export function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'UsersFunction',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:UsersFunction',
    memoryLimitInMB: '256',
    awsRequestId: `test-invocation-${requestCount}`,
    logGroupName: '/aws/lambda/UsersFunction',
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
