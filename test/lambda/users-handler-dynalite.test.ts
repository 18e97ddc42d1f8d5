import { DynamoDBClient, ScanCommand as RawScanCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { startDynalite } from '../../lib/local/dynalite';
import { DynamoDbEngine, localClientConfig } from '../../lib/local/dynamodb-engine';
import { lambdaContext, RequestOptions, restProxyEvent } from '../helpers/rest-proxy-event';
import { loadUsersHandler, UsersHandler } from '../helpers/users-handler';

// The users API's edges through the real handler, repository and SDK, on dynalite.
const TABLE = 'UsersEdges';
let engine: DynamoDbEngine;
let handler: UsersHandler;
let documentClient: DynamoDBDocumentClient;

const call = async (request: RequestOptions | APIGatewayProxyEvent) => {
  const event = 'httpMethod' in request || 'requestContext' in request
    ? request as APIGatewayProxyEvent
    : restProxyEvent(request as RequestOptions);
  const result = await handler(event, lambdaContext());
  return { status: result.statusCode, body: JSON.parse(result.body) };
};
const post = (body: string, isBase64Encoded = false): RequestOptions => ({
  method: 'POST', resource: '/users', path: '/users', body, isBase64Encoded,
});
const list = (query?: Record<string, string>): RequestOptions => ({
  method: 'GET', resource: '/users', path: '/users', query,
});
const remove = (userId: string): RequestOptions => ({
  method: 'DELETE', resource: '/users/{userId}', path: `/users/${userId}`, pathParameters: { userId },
});

/** A JSON body padded with spaces (valid JSON white space) to exactly `bytes` UTF-8 bytes. */
function bodyOfBytes(user: object, bytes: number): string {
  const text = JSON.stringify(user);
  return `${text.slice(0, -1)}${' '.repeat(bytes - Buffer.byteLength(text))}}`;
}

beforeAll(async () => {
  engine = await startDynalite();
  ({ handler, documentClient } = await loadUsersHandler(engine, TABLE));
}, 120_000);

afterAll(async () => {
  documentClient?.destroy();
  await engine?.stop();
});

describe('the body limit, in bytes', () => {
  const user = { userId: 'bytes', name: '€'.repeat(200) }; // 200 characters, 600 bytes

  test('creates a user from a body of exactly 16384 bytes of multibyte text, '
    + 'and fails 16385 bytes with 413', async () => {
    const atLimit = bodyOfBytes(user, 16_384);
    expect(atLimit.length).toBeLessThan(16_384);
    expect(await call(post(bodyOfBytes(user, 16_385))))
      .toEqual({ status: 413, body: { message: 'Request body must be at most 16384 bytes' } });
    const created = await call(post(atLimit));
    expect(created).toEqual({ status: 201, body: expect.objectContaining(user) });
    await call(remove('bytes'));
  });

  test('counts a base64 body by its decoded bytes: '
    + '16384 accepted although its base64 text is longer, 16385 rejected', async () => {
    const atLimit = Buffer.from(bodyOfBytes(user, 16_384)).toString('base64');
    expect(atLimit.length).toBeGreaterThan(16_385);
    expect(await call(post(Buffer.from(bodyOfBytes(user, 16_385)).toString('base64'), true)))
      .toEqual({ status: 413, body: { message: 'Request body must be at most 16384 bytes' } });
    expect((await call(post(atLimit, true))).status).toBe(201);
    await call(remove('bytes'));
  });
});

describe('base64 bodies', () => {
  test('creates a user from a base64 body with multibyte text', async () => {
    const created = await call(post(
      Buffer.from(JSON.stringify({ userId: 'b64', name: 'Zoë 😀' })).toString('base64'),
      true,
    ));
    expect(created).toEqual({ status: 201, body: expect.objectContaining({ userId: 'b64', name: 'Zoë 😀' }) });
    await call(remove('b64'));
  });

  test('takes a body that is not marked base64 as it is, even when it looks like base64', async () => {
    const text = Buffer.from(JSON.stringify({ userId: 'b64', name: 'Zoë' })).toString('base64');
    expect(await call(post(text))).toEqual({ status: 400, body: { message: 'Request body must be valid JSON' } });
  });

  test('fails an empty base64 body as missing', async () => {
    expect((await call(post('', true))).body.message).toMatch(/^Request body is required/);
  });

  test('fails a missing body marked base64 with 400, not 500', async () => {
    const event = { ...restProxyEvent(post('')), body: null, isBase64Encoded: true };
    expect(await call(event))
      .toEqual({ status: 400, body: { message: expect.stringMatching(/^Request body is required/) } });
  });
});

describe('path parameters', () => {
  test.each(['GET', 'DELETE'])('fails %s /users/{userId} without path parameters with 400, not 500', async (method) => {
    const event = { ...restProxyEvent({ method, resource: '/users/{userId}', path: '/users/' }), pathParameters: null };
    expect(await call(event)).toEqual({ status: 400, body: { message: expect.stringMatching(/^userId must be/) } });
  });
});

describe('routes', () => {
  test('fails an event with no httpMethod with 400: it is not an API Gateway REST proxy event', async () => {
    const event = { ...restProxyEvent(list()), httpMethod: undefined } as unknown as APIGatewayProxyEvent;
    expect(await call(event)).toEqual({ status: 400, body: { message: 'Expected an API Gateway REST proxy event' } });
  });

  test('fails an event that is not an object with 400', async () => {
    const result = await handler(undefined as unknown as APIGatewayProxyEvent, lambdaContext());
    expect({ status: result.statusCode, body: JSON.parse(result.body) })
      .toEqual({ status: 400, body: { message: 'Expected an API Gateway REST proxy event' } });
  });

  test('fails an unknown method or resource with 404 that names it', async () => {
    expect(await call({ method: 'PUT', resource: '/users', path: '/users' }))
      .toEqual({ status: 404, body: { message: 'No route for PUT /users' } });
    expect(await call({ method: 'GET', resource: '/accounts', path: '/accounts' }))
      .toEqual({ status: 404, body: { message: 'No route for GET /accounts' } });
  });

  test('answers each route with JSON and CORS headers', async () => {
    const result = await handler(
      restProxyEvent({ method: 'PATCH', resource: '/users', path: '/users' }),
      lambdaContext(),
    );
    expect(result.headers)
      .toEqual(expect.objectContaining({ 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' }));
  });
});

describe('GET /users pages', () => {
  // 60 users of 20 KB each: 1.2 MB, more than one Scan returns (it stops at 1 MB).
  const ids = Array.from({ length: 60 }, (_, i) => `big-${String(i).padStart(2, '0')}`);

  beforeAll(async () => {
    const padding = 'p'.repeat(20 * 1024);
    for (let i = 0; i < ids.length; i += 25) {
      await documentClient.send(new BatchWriteCommand({
        RequestItems: {
          [TABLE]: ids.slice(i, i + 25).map((userId) => ({
            PutRequest: { Item: { userId, name: userId, createdAt: '2026-01-01T00:00:00.000Z', padding } },
          })),
        },
      }));
    }
  }, 60_000);

  test('fill a page of 55 past the 1 MB cut of one Scan, and the next page holds the other 5', async () => {
    const rawScan = await new DynamoDBClient(localClientConfig(engine.endpoint))
      .send(new RawScanCommand({ TableName: TABLE, Limit: 100 }));
    expect(rawScan.Items!.length).toBeLessThan(55);

    const first = await call(list({ limit: '55' }));
    expect(first.body.users).toHaveLength(55);
    expect(first.body.nextToken).toEqual(expect.any(String));
    const second = await call(list({ limit: '55', nextToken: first.body.nextToken }));
    expect(second.body.users).toHaveLength(5);
    const seen = [...first.body.users, ...second.body.users].map((user: { userId: string }) => user.userId);
    expect(seen.sort()).toEqual(ids);
  });

  test('hold exactly limit users for limit 1 and 100 when more exist', async () => {
    const one = await call(list({ limit: '1' }));
    expect(one.body.users).toHaveLength(1);
    expect(one.body.nextToken).toEqual(expect.any(String));
    const all = await call(list({ limit: '100' }));
    expect(all.body.users).toHaveLength(60);
    expect(all.body).not.toHaveProperty('nextToken');
  });

  test('hold 25 users when no limit is given', async () => {
    expect((await call(list())).body.users).toHaveLength(25);
  });

  test('carry in nextToken the last user of the page, and the next page starts after it', async () => {
    const first = await call(list({ limit: '2' }));
    const last = first.body.users[1].userId;
    expect(JSON.parse(Buffer.from(first.body.nextToken, 'base64url').toString('utf-8'))).toEqual({ userId: last });
    const second = await call(list({ limit: '2', nextToken: first.body.nextToken }));
    expect(second.body.users.map((user: { userId: string }) => user.userId)).not.toContain(last);
    expect(second.body.users).toHaveLength(2);
  });

  test('reject limit 0 and 101 and accept 1 and 100', async () => {
    for (const [limit, status] of [['0', 400], ['101', 400], ['1', 200], ['100', 200]] as const) {
      expect((await call(list({ limit }))).status).toBe(status);
    }
  });
});
