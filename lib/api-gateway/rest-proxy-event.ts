import { randomUUID } from 'crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';

/** One request to a REST API (v1) resource with a Lambda proxy integration, as API Gateway receives it. */
export interface RestProxyRequest {
  readonly method: string;
  /** The API Gateway resource, e.g. `/users/{userId}`. */
  readonly resource: string;
  /** The request path below the stage, e.g. `/users/42`. */
  readonly path: string;
  /** @default 'prod' */
  readonly stage?: string;
  /** Path parameters, already decoded. @default - none */
  readonly pathParameters?: Record<string, string>;
  /** Headers as sent, in order; a repeated name keeps all its values in `multiValueHeaders`. @default - none */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  /**
   * Query parameters as sent, in order, decoded; a repeated name keeps all its values in the multi-value field.
   * @default - none
   */
  readonly query?: ReadonlyArray<readonly [string, string]>;
  /** @default null */
  readonly body?: string | null;
  /** @default false */
  readonly isBase64Encoded?: boolean;
  /** @default - a random UUID, as API Gateway gives each request */
  readonly requestId?: string;
  /** @default 'HTTP/1.1' */
  readonly protocol?: string;
  /** @default '127.0.0.1' */
  readonly sourceIp?: string;
  /** @default - the User-Agent header, else null */
  readonly userAgent?: string | null;
  /** The API's account, id and resource id. @default - the values of a local run */
  readonly api?: { readonly accountId: string; readonly apiId: string; readonly resourceId: string };
}

const LOCAL_API = { accountId: '000000000000', apiId: 'local', resourceId: 'local' };

/** The Lambda proxy event API Gateway sends to the function for this request. */
export function restProxyEvent(request: RestProxyRequest): APIGatewayProxyEvent {
  const stage = request.stage ?? 'prod';
  const headers = singleAndMultiValue(request.headers ?? []);
  const query = singleAndMultiValue(request.query ?? []);
  const userAgent = request.userAgent !== undefined ? request.userAgent
    : (request.headers ?? []).find(([name]) => name.toLowerCase() === 'user-agent')?.[1] ?? null;
  const { accountId, apiId, resourceId } = request.api ?? LOCAL_API;
  return {
    resource: request.resource,
    path: request.path,
    httpMethod: request.method,
    headers: headers.single,
    multiValueHeaders: headers.multi,
    queryStringParameters: query.any ? query.single : null,
    multiValueQueryStringParameters: query.any ? query.multi : null,
    pathParameters: request.pathParameters && Object.keys(request.pathParameters).length > 0
      ? request.pathParameters
      : null,
    stageVariables: null,
    body: request.body ?? null,
    isBase64Encoded: request.isBase64Encoded ?? false,
    requestContext: {
      accountId,
      apiId,
      authorizer: null,
      protocol: request.protocol ?? 'HTTP/1.1',
      httpMethod: request.method,
      identity: {
        accessKey: null, accountId: null, apiKey: null, apiKeyId: null, caller: null, clientCert: null,
        cognitoAuthenticationProvider: null, cognitoAuthenticationType: null, cognitoIdentityId: null,
        cognitoIdentityPoolId: null, principalOrgId: null, sourceIp: request.sourceIp ?? '127.0.0.1',
        user: null, userAgent, userArn: null,
      },
      path: `/${stage}${request.path}`,
      stage,
      requestId: request.requestId ?? randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId,
      resourcePath: request.resource,
    },
  };
}

/** API Gateway keeps the last value of a repeated name in the single-value field, and all of them in the other. */
function singleAndMultiValue(pairs: ReadonlyArray<readonly [string, string]>) {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of pairs) {
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  return { single, multi, any: pairs.length > 0 };
}
