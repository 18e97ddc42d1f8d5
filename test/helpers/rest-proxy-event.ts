import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { restProxyEvent as buildEvent } from '../../lib/api-gateway/rest-proxy-event';

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

/** A REST API (v1) Lambda proxy event with the fields API Gateway sends, from a deployed API's stage `prod`. */
export function restProxyEvent(options: RequestOptions): APIGatewayProxyEvent {
  return buildEvent({
    ...options,
    headers: [['Content-Type', 'application/json'], ['Host', 'example.execute-api.us-east-1.amazonaws.com']],
    query: Object.entries(options.query ?? {}),
    requestId: `test-request-${++requestCount}`,
    userAgent: 'jest',
    api: { accountId: '123456789012', apiId: 'example', resourceId: 'resource' },
  });
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
