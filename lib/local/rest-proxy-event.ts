import { randomUUID } from 'crypto';
import type { IncomingMessage } from 'http';
import type { APIGatewayProxyEvent } from 'aws-lambda';

export interface ProxyRequest {
  readonly request: IncomingMessage;
  readonly body: Buffer;
  readonly stage: string;
  /** The API Gateway resource, e.g. `/users/{userId}`. */
  readonly resource: string;
  /** The path below the stage, e.g. `/users/42`. */
  readonly path: string;
  readonly pathParameters: Record<string, string>;
  readonly query: URLSearchParams;
}

/** The REST API (v1) Lambda proxy event that API Gateway would send for this HTTP request. */
export function restProxyEvent({ request, body, stage, resource, path, pathParameters, query }: ProxyRequest): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const [name, value] = [request.rawHeaders[i], request.rawHeaders[i + 1]];
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const queryStringParameters: Record<string, string> = {};
  const multiValueQueryStringParameters: Record<string, string[]> = {};
  for (const [name, value] of query) {
    queryStringParameters[name] = value; // API Gateway keeps the last value
    (multiValueQueryStringParameters[name] ??= []).push(value);
  }
  const hasQuery = Object.keys(queryStringParameters).length > 0;
  const text = body.toString('utf-8');
  // API Gateway passes text bodies as text; this API declares no binary media types.
  const isBase64Encoded = body.length > 0 && Buffer.from(text, 'utf-8').compare(body) !== 0;
  const method = request.method ?? 'GET';

  return {
    resource,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? queryStringParameters : null,
    multiValueQueryStringParameters: hasQuery ? multiValueQueryStringParameters : null,
    pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : null,
    stageVariables: null,
    body: body.length === 0 ? null : isBase64Encoded ? body.toString('base64') : text,
    isBase64Encoded,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: null,
      protocol: `HTTP/${request.httpVersion}`,
      httpMethod: method,
      identity: {
        accessKey: null, accountId: null, apiKey: null, apiKeyId: null, caller: null, clientCert: null,
        cognitoAuthenticationProvider: null, cognitoAuthenticationType: null, cognitoIdentityId: null,
        cognitoIdentityPoolId: null, principalOrgId: null, sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        user: null, userAgent: request.headers['user-agent'] ?? null, userArn: null,
      },
      path: `/${stage}${path}`,
      stage,
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: 'local',
      resourcePath: resource,
    },
  };
}
