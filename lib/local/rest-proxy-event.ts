import type { IncomingMessage } from 'http';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { restProxyEvent } from '../api-gateway/rest-proxy-event';

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
export function httpRequestEvent(
  { request, body, stage, resource, path, pathParameters, query }: ProxyRequest,
): APIGatewayProxyEvent {
  const headers: Array<[string, string]> = [];
  for (let i = 0; i < request.rawHeaders.length; i += 2) headers.push(
    [request.rawHeaders[i], request.rawHeaders[i + 1]]);
  const text = body.toString('utf-8');
  // API Gateway passes text bodies as text; this API declares no binary media types.
  const isBase64Encoded = body.length > 0 && Buffer.from(text, 'utf-8').compare(body) !== 0;
  return restProxyEvent({
    method: request.method ?? 'GET',
    resource,
    path,
    stage,
    pathParameters,
    headers,
    query: [...query],
    body: body.length === 0 ? null : isBase64Encoded ? body.toString('base64') : text,
    isBase64Encoded,
    protocol: `HTTP/${request.httpVersion}`,
    sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
    userAgent: request.headers['user-agent'] ?? null,
  });
}
