import { DeleteTableCommand, DynamoDBClient, ScanCommand as RawScanCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbEngine, localClientConfig } from '../../lib/local/dynamodb-engine';
import { lambdaContext, RequestOptions, restProxyEvent } from '../helpers/rest-proxy-event';
import { loadUsersHandler, UsersHandler } from '../helpers/users-handler';

const TABLE = 'Users';
/** For the test that writes 1.2 MB: a few seconds alone, more than jest's default 5 s on a busy machine. */
const LOADED_MACHINE_MS = 30_000;
const USER_ID_RULE = /^userId must be 1-64 characters of letters, digits, "_", "\." or "-"$/;
const token = (json: string) => Buffer.from(json, 'utf-8').toString('base64url');

/** Requests a client can send that must be answered 4xx with a message, leaving the table as it was. */
const BAD_INPUTS: Array<[string, RequestOptions, number, RegExp]> = [
  ['no body', post(null), 400, /^Request body is required/],
  ['an empty body', post(''), 400, /^Request body is required/],
  ['a blank body', post('   \n'), 400, /^Request body is required/],
  ['text that is not JSON', post('userId=1&name=Ada'), 400, /^Request body must be valid JSON$/],
  ['truncated JSON', post('{"userId": "1", "name": '), 400, /^Request body must be valid JSON$/],
  ['a JSON array', post('[]'), 400, /^Request body must be a JSON object/],
  ['an array of users', post('[{"userId":"1","name":"Ada"}]'), 400, /^Request body must be a JSON object/],
  ['a JSON string', post('"Ada"'), 400, /^Request body must be a JSON object/],
  ['a JSON number', post('42'), 400, /^Request body must be a JSON object/],
  ['JSON null', post('null'), 400, /^Request body must be a JSON object/],
  ['JSON true', post('true'), 400, /^Request body must be a JSON object/],
  ['an empty object', postJson({}), 400, /userId is required; name is required/],
  ['no userId', postJson({ name: 'Ada' }), 400, /^userId is required$/],
  ['no name', postJson({ userId: 'u1' }), 400, /^name is required$/],
  ['a numeric userId', postJson({ userId: 42, name: 'Ada' }), 400, USER_ID_RULE],
  ['a null userId', postJson({ userId: null, name: 'Ada' }), 400, USER_ID_RULE],
  ['an array userId', postJson({ userId: ['u1'], name: 'Ada' }), 400, USER_ID_RULE],
  ['an empty userId', postJson({ userId: '', name: 'Ada' }), 400, USER_ID_RULE],
  ['a 65-character userId', postJson({ userId: 'u'.repeat(65), name: 'Ada' }), 400, USER_ID_RULE],
  ['a userId with a space', postJson({ userId: 'ada lovelace', name: 'Ada' }), 400, USER_ID_RULE],
  ['a userId with a slash', postJson({ userId: 'a/b', name: 'Ada' }), 400, USER_ID_RULE],
  ['a userId with an encoded slash', postJson({ userId: 'a%2Fb', name: 'Ada' }), 400, USER_ID_RULE],
  ['a userId with an accent', postJson({ userId: 'adé', name: 'Ada' }), 400, USER_ID_RULE],
  ['a userId with markup', postJson({ userId: '<script>', name: 'Ada' }), 400, USER_ID_RULE],
  ['a userId with a NUL character', postJson({ userId: 'a\u0000b', name: 'Ada' }), 400, USER_ID_RULE],
  ['an empty name', postJson({ userId: 'u1', name: '' }), 400, /^name must not be blank$/],
  ['a blank name', postJson({ userId: 'u1', name: ' \t ' }), 400, /^name must not be blank$/],
  ['a 201-character name', postJson({ userId: 'u1', name: 'n'.repeat(201) }), 400,
    /^name must be at most 200 characters$/],
  ['a numeric name', postJson({ userId: 'u1', name: 42 }), 400, /^name must be a string of 1-200 characters$/],
  ['an object name', postJson({ userId: 'u1', name: { first: 'Ada' } }), 400,
    /^name must be a string of 1-200 characters$/],
  ['an email without @', postJson({ userId: 'u1', name: 'Ada', email: 'ada.example.com' }), 400,
    /^email must be a valid address/],
  ['an empty email', postJson({ userId: 'u1', name: 'Ada', email: '' }), 400, /^email must be a valid address/],
  ['a numeric email', postJson({ userId: 'u1', name: 'Ada', email: 42 }), 400, /^email must be a valid address/],
  ['an email without a domain', postJson({ userId: 'u1', name: 'Ada', email: 'ada@localhost' }), 400,
    /^email must be a valid address/],
  ['a 256-character email', postJson({ userId: 'u1', name: 'Ada', email: `${'a'.repeat(244)}@example.com` }), 400,
    /^email must be at most 254 characters$/],
  ['an unknown field', postJson({ userId: 'u1', name: 'Ada', role: 'admin' }), 400,
    /^Unknown field\(s\): role; allowed: userId, name, email$/],
  ['a createdAt from the client', postJson({ userId: 'u1', name: 'Ada', createdAt: '1815-12-10' }), 400,
    /^Unknown field\(s\): createdAt/],
  ['a __proto__ field', post('{"userId":"u1","name":"Ada","__proto__":{"admin":true}}'), 400,
    /^Unknown field\(s\): __proto__/],
  ['a body over 16 KiB', postJson({ userId: 'u1', name: 'Ada', padding: 'x'.repeat(16 * 1024) }), 413,
    /^Request body must be at most 16384 bytes$/],
  ['a base64 body that is not JSON', { ...post(Buffer.from('<xml/>').toString('base64')), isBase64Encoded: true },
    400, /^Request body must be valid JSON$/],
  ['a base64 body over 16 KiB', {
    ...post(Buffer.from(JSON.stringify({ userId: 'u1', name: 'x'.repeat(17_000) })).toString('base64')),
    isBase64Encoded: true,
  }, 413, /at most 16384 bytes/],
  ['GET of an id with a space', byId('GET', 'a b'), 400, USER_ID_RULE],
  ['GET of an id with a decoded slash', byId('GET', 'a/b'), 400, USER_ID_RULE],
  ['GET of a 65-character id', byId('GET', 'u'.repeat(65)), 400, USER_ID_RULE],
  ['GET of an id with an accent', byId('GET', 'adé'), 400, USER_ID_RULE],
  ['DELETE of an empty id', byId('DELETE', ''), 400, USER_ID_RULE],
  ['DELETE of an id with a quote', byId('DELETE', "u1' OR '1'='1"), 400, USER_ID_RULE],
  ['limit 0', list({ limit: '0' }), 400, /^limit must be a whole number from 1 to 100$/],
  ['limit 101', list({ limit: '101' }), 400, /^limit must be a whole number from 1 to 100$/],
  ['a negative limit', list({ limit: '-1' }), 400, /^limit must be a whole number from 1 to 100$/],
  ['a word as limit', list({ limit: 'all' }), 400, /^limit must be a whole number from 1 to 100$/],
  ['a fractional limit', list({ limit: '2.5' }), 400, /^limit must be a whole number from 1 to 100$/],
  ['an empty limit', list({ limit: '' }), 400, /^limit must be a whole number from 1 to 100$/],
  ['an exponent as limit', list({ limit: '1e2' }), 400, /^limit must be a whole number from 1 to 100$/],
  ['a token with foreign characters', list({ nextToken: 'not a token!' }), 400, /^nextToken is not valid/],
  ['a token naming an invalid id', list({ nextToken: token('{"userId":"a/b"}') }), 400, /^nextToken is not valid/],
  ['a token with another key', list({ nextToken: token('{"email":"ada@example.com"}') }), 400,
    /^nextToken is not valid/],
  ['a token with an extra key', list({ nextToken: token('{"userId":"u1","admin":true}') }), 400,
    /^nextToken is not valid/],
  ['a token that is not JSON', list({ nextToken: token('userId=u1') }), 400, /^nextToken is not valid/],
  ['an over-long token', list({ nextToken: 'A'.repeat(500) }), 400, /^nextToken is not valid/],
];

function post(body: string | null): RequestOptions {
  return { method: 'POST', resource: '/users', path: '/users', body };
}

function postJson(body: unknown): RequestOptions {
  return post(JSON.stringify(body));
}

function byId(method: 'GET' | 'DELETE', userId: string): RequestOptions {
  return {
    method,
    resource: '/users/{userId}',
    path: `/users/${encodeURIComponent(userId)}`,
    pathParameters: { userId },
  };
}

function list(query?: Record<string, string>): RequestOptions {
  return { method: 'GET', resource: '/users', path: '/users', query };
}

/**
 * The users API's contract, run against the real handler and a DynamoDB-compatible engine. Each test file
 * runs it against one engine (dynalite, DynamoDB Local), to catch where an engine differs from another.
 */
export function describeUsersContract(startEngine: () => Promise<DynamoDbEngine>): void {
  let engine: DynamoDbEngine;
  let handler: UsersHandler;
  let documentClient: DynamoDBDocumentClient;

  const call = async (request: RequestOptions) => {
    const result = await handler(restProxyEvent(request), lambdaContext());
    return { status: result.statusCode, headers: result.headers ?? {}, body: JSON.parse(result.body) };
  };

  const tableItems = async () => {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await documentClient.send(new ScanCommand({ TableName: TABLE, ExclusiveStartKey: startKey }));
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items.sort((a, b) => String(a.userId).localeCompare(String(b.userId)));
  };

  const listAll = async (limit: number) => {
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await call(list({ limit: String(limit), ...(nextToken && { nextToken }) }));
      expect(page.status).toBe(200);
      seen.push(...page.body.users.map((user: { userId: string }) => user.userId));
      nextToken = page.body.nextToken;
      pages++;
    } while (nextToken);
    return { seen, pages };
  };

  beforeAll(async () => {
    engine = await startEngine();
    ({ handler, documentClient } = await loadUsersHandler(engine, TABLE));
  }, 120_000);

  afterAll(async () => {
    documentClient?.destroy();
    await engine?.stop();
  });

  test('lists no users in a new table', async () => {
    expect(await call(list())).toEqual(expect.objectContaining({ status: 200, body: { users: [] } }));
  });

  test('runs the chapter\'s sequence: create, get, list, delete, then 404', async () => {
    const created = await call(postJson({ userId: '1', name: 'John Doe', email: 'john@example.com' }));
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      userId: '1',
      name: 'John Doe',
      email: 'john@example.com',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    expect(await call(byId('GET', '1'))).toEqual(expect.objectContaining({ status: 200, body: created.body }));
    expect((await call(list())).body.users).toEqual([created.body]);
    expect(await call(byId('DELETE', '1')))
      .toEqual(expect.objectContaining({ status: 200, body: { message: 'User deleted successfully' } }));
    expect(await call(byId('GET', '1')))
      .toEqual(expect.objectContaining({ status: 404, body: { message: 'User not found' } }));
    expect(await call(byId('DELETE', '1')))
      .toEqual(expect.objectContaining({ status: 404, body: { message: 'User not found' } }));
  });

  test('stores a user without an email', async () => {
    const created = await call(postJson({ userId: 'no-email', name: 'Grace' }));
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('email');
    await call(byId('DELETE', 'no-email'));
  });

  test('answers 409 for an existing userId and keeps the existing user unchanged', async () => {
    const first = await call(postJson({ userId: 'ada', name: 'Ada Lovelace' }));
    const before = await tableItems();
    const second = await call(postJson({ userId: 'ada', name: 'Impostor', email: 'evil@example.com' }));
    expect(second).toEqual(expect.objectContaining({ status: 409, body: { message: 'User already exists' } }));
    expect(await tableItems()).toEqual(before);
    expect((await call(byId('GET', 'ada'))).body).toEqual(first.body);
    await call(byId('DELETE', 'ada'));
  });

  test('creates exactly one user when 50 clients create the same userId at once', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => call(postJson({ userId: 'race', name: `Client ${i}` }))),
    );
    const statuses = results.map((result) => result.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(49);
    const winner = results.find((result) => result.status === 201)!;
    expect((await call(byId('GET', 'race'))).body).toEqual(winner.body);
    await call(byId('DELETE', 'race'));
  });

  test('sends JSON with CORS headers on success and on error', async () => {
    for (const request of [list(), byId('GET', 'nobody'), post('oops')]) {
      expect((await call(request)).headers).toEqual({
        'Content-Type': 'application/json',
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Headers': 'Content-Type',
        'Access-Control-Allow-Methods': 'GET,POST,DELETE,OPTIONS',
      });
    }
  });

  test(`has a bad-input corpus of at least 40 cases (${BAD_INPUTS.length})`, () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(40);
  });

  describe('answers bad input with a 4xx that says what to fix, and changes nothing', () => {
    beforeAll(async () => {
      await call(postJson({ userId: 'u1', name: 'Existing user' }));
    });

    test.each(BAD_INPUTS)('%s', async (_name, request, status, message) => {
      const before = await tableItems();
      const response = await call(request);
      expect({ status: response.status, message: response.body.message })
        .toEqual({ status, message: expect.stringMatching(message) });
      expect(Object.keys(response.body)).toEqual(['message']);
      expect(await tableItems()).toEqual(before);
    });

    afterAll(async () => {
      await call(byId('DELETE', 'u1'));
    });
  });

  test('pages with limit and nextToken, listing every user exactly once', async () => {
    const ids = Array.from({ length: 7 }, (_, i) => `page-${i}`);
    for (const userId of ids) expect((await call(postJson({ userId, name: userId }))).status).toBe(201);
    const first = await call(list({ limit: '3' }));
    expect(first.body.users).toHaveLength(3);
    expect(first.body.nextToken).toEqual(expect.any(String));
    const { seen, pages } = await listAll(3);
    expect(seen.sort()).toEqual(ids.sort());
    expect(pages).toBeGreaterThanOrEqual(3);
    expect((await call(list())).body).not.toHaveProperty('nextToken');
    for (const userId of ids) await call(byId('DELETE', userId));
  });

  test('lists every user exactly once, in one page of 100, '
    + 'when the table holds more than one 1 MB scan page', async () => {
    // 60 users with a 20 KB attribute each: 1.2 MB, so one Scan cannot return them all.
    const padding = 'p'.repeat(20 * 1024);
    const ids = Array.from({ length: 60 }, (_, i) => `big-${String(i).padStart(2, '0')}`);
    for (let i = 0; i < ids.length; i += 25) {
      await documentClient.send(new BatchWriteCommand({
        RequestItems: {
          [TABLE]: ids.slice(i, i + 25).map((userId) => ({
            PutRequest: { Item: { userId, name: userId, createdAt: '2026-01-01T00:00:00.000Z', padding } },
          })),
        },
      }));
    }
    const rawScan = await new DynamoDBClient(localClientConfig(engine.endpoint))
      .send(new RawScanCommand({ TableName: TABLE, Limit: 100 }));
    expect(rawScan.Items!.length).toBeLessThan(ids.length);
    expect(rawScan.LastEvaluatedKey).toBeDefined();

    // One page: the handler scans on past the 1 MB cut until the page of 100 is full or the table ends.
    const { seen, pages } = await listAll(100);
    expect(pages).toBe(1);
    expect(seen.sort()).toEqual(ids);
    for (const userId of ids) await call(byId('DELETE', userId));
  }, LOADED_MACHINE_MS);

  test('answers a fault that is not the client\'s with 500, logs it with the request id, '
    + 'and leaks no detail', async () => {
    const written: string[] = [];
    const capture = (chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    };
    // The logger writes errors with console.error, to stderr, as Lambda's runtime does.
    const spies = [
      jest.spyOn(process.stdout, 'write').mockImplementation(capture),
      jest.spyOn(process.stderr, 'write').mockImplementation(capture),
    ];
    try {
      await new DynamoDBClient(localClientConfig(engine.endpoint)).send(new DeleteTableCommand({ TableName: TABLE }));
      const response = await call(list());
      expect(response).toEqual(expect.objectContaining({ status: 500, body: { message: 'Internal server error' } }));
      // A failed write is ours too, not a conflict of the client's: 500, not 409.
      const created = await call(postJson({ userId: 'no-table', name: 'Nobody' }));
      expect(created).toEqual(expect.objectContaining({ status: 500, body: { message: 'Internal server error' } }));
    } finally {
      spies.forEach((spy) => spy.mockRestore());
    }
    const logLine = JSON.parse(written.find((line) => line.includes('Request failed'))!);
    expect(logLine).toEqual(expect.objectContaining({
      level: 'ERROR',
      message: 'Request failed',
      requestId: expect.stringMatching(/^test-invocation-/),
      route: 'GET /users',
    }));
  });
}
