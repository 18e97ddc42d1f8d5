import { randomUUID } from 'crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { CfnTemplate, resourcesOfType } from '../template/cfn-template';
import { startDynalite } from './dynalite';
import { DEFAULT_LOCAL_PORT } from './port';
import { createTable, DynamoDbEngine } from './dynamodb-engine';
import { answerInvoke, answerListFunctions, INVOKE_PATH, LIST_FUNCTIONS_PATH } from './lambda-invoke-api';
import { loadLocalFunction, LocalFunction } from './local-function';
import { httpRequestEvent } from './rest-proxy-event';
import { matchResource, restApiRoutes, Route } from './template-routes';

const MAX_BODY_BYTES = 10 * 1024 * 1024; // API Gateway's payload limit
const INTEGRATION_TIMEOUT_MS = 29_000; // API Gateway's default integration timeout

export interface LocalApiOptions {
  /** The synthesized stack template. */
  readonly template: CfnTemplate;
  /** The cloud assembly folder the template's assets were bundled into. */
  readonly assemblyDir: string;
  /** @default DEFAULT_LOCAL_PORT (0 picks a free port) */
  readonly port?: number;
  /** Where dynalite keeps its LevelDB files. @default - in memory */
  readonly dataDir?: string;
}

export interface LocalApi {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** `http://127.0.0.1:<port>/<stage>/` */
  readonly apiUrl: string;
  readonly routes: Route[];
  readonly functions: ReadonlyMap<string, LocalFunction>;
  readonly tables: string[];
  /** Stops the HTTP server, then the engine, after the requests under way; data on disk is kept. */
  stop(): Promise<void>;
}

/**
 * Serves a synthesized REST API stack on 127.0.0.1 without AWS or Docker: its routes (read from the template)
 * reach its real, bundled Lambda handlers as REST proxy events; its DynamoDB tables live in dynalite; and the same
 * port answers the Lambda Invoke API.
 */
export async function startLocalApi(options: LocalApiOptions): Promise<LocalApi> {
  const { stage, routes } = restApiRoutes(options.template);
  const engine = await startDynalite(options.dataDir && path.join(options.dataDir, 'dynalite'));
  try {
    const tables = await createTables(options.template, engine);
    const functions = await loadFunctions(options, routes, engine);
    const server = createServer((request, response) => {
      handle(request, response, stage, routes, functions).catch((error) => {
        console.error('local API error:', error);
        if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ message: 'Internal server error' }));
      });
    });
    const port = await listen(server, options.port ?? DEFAULT_LOCAL_PORT);
    const origin = `http://127.0.0.1:${port}`;
    return {
      origin,
      apiUrl: `${origin}/${stage}/`,
      routes,
      functions,
      tables,
      stop: async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await closed;
        await engine.stop();
      },
    };
  } catch (error) {
    await engine.stop();
    throw error;
  }
}

async function createTables(template: CfnTemplate, engine: DynamoDbEngine): Promise<string[]> {
  const tables = resourcesOfType(template, 'AWS::DynamoDB::Table');
  for (const [id, table] of tables) {
    await createTable(engine.endpoint, id, table.Properties?.KeySchema, table.Properties?.AttributeDefinitions);
  }
  return tables.map(([id]) => id);
}

async function loadFunctions(
  options: LocalApiOptions, routes: Route[], engine: DynamoDbEngine,
): Promise<Map<string, LocalFunction>> {
  const environment = {
    AWS_ENDPOINT_URL_DYNAMODB: engine.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  };
  const ids = new Set(routes.flatMap((route) => (route.integration.type === 'AWS_PROXY'
    ? [route.integration.functionId]
    : [])));
  const functions = new Map<string, LocalFunction>();
  for (const id of ids) functions.set(id, await loadLocalFunction(
    options.template, options.assemblyDir, id, environment));
  return functions;
}

async function handle(
  request: IncomingMessage, response: ServerResponse, stage: string, routes: Route[],
  functions: ReadonlyMap<string, LocalFunction>,
): Promise<void> {
  const body = await readBody(request);
  if (body === undefined) return send(response, 413, { message: 'Request Too Long' });
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');

  const invoke = INVOKE_PATH.exec(url.pathname);
  if (invoke && request.method === 'POST') {
    return answerInvoke(functions, invoke[1], header(request, 'x-amz-invocation-type'), body, response);
  }
  if (LIST_FUNCTIONS_PATH.test(url.pathname) && request.method === 'GET') return answerListFunctions(
    functions, response);

  if (url.pathname !== `/${stage}` && !url.pathname.startsWith(`/${stage}/`)) return send(
    response, 403, { message: 'Forbidden' });
  const below = url.pathname.slice(stage.length + 1) || '/';
  let match: { route: Route; pathParameters: Record<string, string> } | undefined;
  try {
    match = findRoute(routes, request.method ?? 'GET', below);
  } catch {
    return send(response, 400, { message: 'Bad request: malformed URL encoding' });
  }
  // REST APIs answer an undefined resource, or an undefined method of one, this way.
  if (!match) return send(response, 403, { message: 'Missing Authentication Token' });

  const { route, pathParameters } = match;
  if (route.integration.type === 'MOCK') {
    response.writeHead(route.integration.statusCode, {
      ...route.integration.headers,
      'x-amzn-RequestId': randomUUID(),
    }).end();
    return;
  }
  const fn = functions.get(route.integration.functionId)!;
  const event = httpRequestEvent({
    request, body, stage, resource: route.resource, path: below, pathParameters, query: url.searchParams,
  });
  let result: unknown;
  try {
    result = await withTimeout(
      fn.invoke(event, event.requestContext.requestId), Math.min(fn.timeoutSeconds * 1000, INTEGRATION_TIMEOUT_MS));
  } catch (error) {
    if (error instanceof IntegrationTimeout) return send(response, 504, { message: 'Endpoint request timed out' });
    console.error(`${route.method} ${route.resource}: the function threw`, error);
    return send(response, 502, { message: 'Internal server error' });
  }
  if (!isProxyResult(result)) {
    console.error(`${route.method} ${route.resource}: the function returned a malformed proxy response`, result);
    return send(response, 502, { message: 'Internal server error' });
  }
  const headers: Record<string, string | string[]> = {
    ...result.multiValueHeaders as Record<string, string[]>,
    ...result.headers as Record<string, string>,
    'x-amzn-RequestId': event.requestContext.requestId,
  };
  response.writeHead(result.statusCode, headers);
  response.end(result.body === undefined
    ? undefined
    : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf-8'));
}

function findRoute(routes: Route[], method: string, path: string) {
  for (const route of routes) {
    if (route.method !== method && route.method !== 'ANY') continue;
    const pathParameters = matchResource(route.resource, path);
    if (pathParameters) return { route, pathParameters };
  }
  return undefined;
}

function isProxyResult(value: unknown): value is APIGatewayProxyResult {
  const result = value as APIGatewayProxyResult;
  return typeof result === 'object' && result !== null && Number.isInteger(result.statusCode)
    && (result.body === undefined || typeof result.body === 'string');
}

class IntegrationTimeout extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new IntegrationTimeout()), ms); }),
  ]).finally(() => clearTimeout(timer));
}

function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json', 'x-amzn-RequestId': randomUUID() });
  response.end(JSON.stringify(body));
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}
