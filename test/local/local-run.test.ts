import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { InvokeCommand, LambdaClient, ListFunctionsCommand, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { parseArgs } from '../../bin/local';
import { restApiRoutes } from '../../lib/local/template-routes';
import { listenAndClose } from '../helpers/free-port';
import { LocalRun, startLocalRun } from '../helpers/local-run';
import { runCommand } from '../helpers/run-command';
import { synthLabs, templateOf } from '../helpers/synth';

// `npm run local` as a student runs it: the command in a process of its own, over real HTTP on 127.0.0.1.
// (In-process would not do: jest's module sandbox cannot run the bundle's dynamic imports of node:http.)
jest.setTimeout(90_000);

const ROOT = path.join(__dirname, '..', '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'labs-local-data-'));

interface UsersRun extends LocalRun {
  readonly origin: string;
}

/** `npm run local -- <args>` (the users API) on a free port. */
async function startUsersRun(...args: string[]): Promise<UsersRun> {
  const port = await listenAndClose();
  return { ...await startLocalRun(['--port', String(port), ...args]), origin: `http://127.0.0.1:${port}` };
}

let run: UsersRun;

beforeAll(async () => {
  run = await startUsersRun('--data-dir', dataDir);
});

afterAll(async () => {
  await run?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const request = async (method: string, urlPath: string, body?: unknown) => {
  const response = await fetch(`${run.origin}${urlPath}`, {
    method,
    headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
};

test('takes its routes, methods and stage from the synthesized template', () => {
  const { stage, routes } = restApiRoutes(templateOf(synthLabs(['LambdaUsersLab']), 'LambdaUsersLab'));
  expect(stage).toBe('prod');
  expect(routes.map((route) => `${route.method} ${route.resource} ${route.integration.type}`).sort()).toEqual([
    'DELETE /users/{userId} AWS_PROXY',
    'GET /users AWS_PROXY',
    'GET /users/{userId} AWS_PROXY',
    'OPTIONS / MOCK',
    'OPTIONS /users MOCK',
    'OPTIONS /users/{userId} MOCK',
    'POST /users AWS_PROXY',
  ]);
});

test('prints where it listens and the chapter\'s commands with the host swapped', () => {
  expect(run.output()).toContain(`API      ${run.origin}/prod/`);
  expect(run.output()).toContain(`curl -X POST ${run.origin}/prod/users -H "Content-Type: application/json"`);
  expect(run.output()).toContain('Press Ctrl-C to stop.');
});

test('runs the chapter\'s curl sequence: list, create, get, delete', async () => {
  expect(await request('GET', '/prod/users')).toEqual(expect.objectContaining({ status: 200, body: { users: [] } }));
  const created = await request('POST', '/prod/users', { userId: '1', name: 'John Doe', email: 'john@example.com' });
  expect(created).toEqual(expect.objectContaining({
    status: 201,
    body: expect.objectContaining({ userId: '1', name: 'John Doe' }),
  }));
  expect(created.headers.get('access-control-allow-origin')).toBe('*');
  expect(await request('GET', '/prod/users/1')).toEqual(expect.objectContaining({ status: 200, body: created.body }));
  expect(await request('DELETE', '/prod/users/1'))
    .toEqual(expect.objectContaining({ status: 200, body: { message: 'User deleted successfully' } }));
  expect(await request('GET', '/prod/users/1'))
    .toEqual(expect.objectContaining({ status: 404, body: { message: 'User not found' } }));
});

test('passes the path parameter decoded, as API Gateway does, so an encoded slash is refused '
  + 'by the handler', async () => {
  const response = await request('GET', '/prod/users/a%2Fb');
  expect(response.status).toBe(400);
  expect(response.body.message).toMatch(/^userId must be/);
});

test('answers CORS preflight from the template\'s mock integration', async () => {
  const response = await fetch(`${run.origin}/prod/users/42`, { method: 'OPTIONS' });
  expect(response.status).toBe(204);
  expect(Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('access-control-')))).toEqual({
    'access-control-allow-headers': 'Content-Type',
    'access-control-allow-methods': 'GET,POST,DELETE,OPTIONS',
    'access-control-allow-origin': '*',
  });
});

test.each([
  ['GET', '/prod/nothing-here'],
  ['PUT', '/prod/users'],
  ['POST', '/prod/users/1'],
  ['GET', '/prod/users/1/friends'],
])('answers %s %s, which the template does not define, as API Gateway does', async (method, urlPath) => {
  expect(await request(method, urlPath))
    .toEqual(expect.objectContaining({ status: 403, body: { message: 'Missing Authentication Token' } }));
});

test('answers paths outside the stage with 403 Forbidden', async () => {
  expect(await request('GET', '/users'))
    .toEqual(expect.objectContaining({ status: 403, body: { message: 'Forbidden' } }));
});

test('answers the Lambda Invoke API for @aws-sdk/client-lambda', async () => {
  const functionName = /FunctionName: (\S+)\)/.exec(run.output())![1];
  const lambda = new LambdaClient({
    endpoint: run.origin,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const event = {
      resource: '/users',
      path: '/users',
      httpMethod: 'GET',
      headers: {},
      queryStringParameters: { limit: '1' },
      pathParameters: null,
      body: null,
      isBase64Encoded: false,
    };
    const result = await lambda.send(
      new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(event)) }),
    );
    expect(result.StatusCode).toBe(200);
    expect(result.FunctionError).toBeUndefined();
    const payload = JSON.parse(Buffer.from(result.Payload!).toString('utf-8'));
    expect(payload.statusCode).toBe(200);
    expect(JSON.parse(payload.body)).toEqual({ users: expect.any(Array) });

    await expect(lambda.send(new InvokeCommand({ FunctionName: 'NoSuchFunction' })))
      .rejects.toBeInstanceOf(ResourceNotFoundException);
  } finally {
    lambda.destroy();
  }
});

test('lists its function for ListFunctions, by the name the banner prints', async () => {
  const lambda = new LambdaClient({
    endpoint: run.origin,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const { Functions } = await lambda.send(new ListFunctionsCommand({}));
    expect(Functions).toEqual([{ FunctionName: /FunctionName: (\S+)\)/.exec(run.output())![1] }]);
  } finally {
    lambda.destroy();
  }
});

test('passes npm run verify -- LambdaUsersLab --local, which leaves no test user behind', async () => {
  const usersBefore = (await request('GET', '/prod/users')).body.users;
  const functionName = /FunctionName: (\S+)\)/.exec(run.output())![1];
  const { code, stdout } = await runCommand(
    'bin/verify.ts',
    ['LambdaUsersLab', '--local', '--port', new URL(run.origin).port],
  );
  expect(stdout.split('\n')
    .filter((line) => /^(PASS|FAIL) /.test(line))
    .map((line) => line.replace(/: .*/, ''))).toEqual([
    'PASS  GET /users lists the users',
    'PASS  POST /users creates a test user',
    'PASS  GET /users/{userId} returns it',
    `PASS  the function answers a direct invocation (${functionName})`,
    'PASS  DELETE /users/{userId} deletes it',
    'PASS  GET /users/{userId} answers 404 after the delete',
  ]);
  expect(stdout).toContain('6 of 6 checks passed.');
  expect(code).toBe(0);
  expect((await request('GET', '/prod/users')).body.users).toEqual(usersBefore);
});

test('stops cleanly on Ctrl-C and keeps written data for the next run', async () => {
  expect((await request('POST', '/prod/users', { userId: 'kept', name: 'Kept User' })).status).toBe(201);
  expect(await run.stop()).toBe(0);
  expect(run.output()).toContain('Stopped.');
  run = await startUsersRun('--data-dir', dataDir);
  expect(await request('GET', '/prod/users/kept'))
    .toEqual(expect.objectContaining({ status: 200, body: expect.objectContaining({ name: 'Kept User' }) }));
});

test('reads --port, PORT, --in-memory and --data-dir, and refuses a bad port with what is allowed', () => {
  expect(parseArgs([], {})).toEqual({ port: 3000, dataDir: path.join(ROOT, '.local') });
  expect(parseArgs(['--port', '3001', '--in-memory'], {})).toEqual({ port: 3001, dataDir: undefined });
  expect(parseArgs(['--data-dir', 'somewhere'], { PORT: '8080' }))
    .toEqual({ port: 8080, dataDir: path.resolve('somewhere') });
  expect(parseArgs(['--help'], {})).toBe('help');
  expect(() => parseArgs(['--port', 'http'], {}))
    .toThrow('--port (or PORT) must be a whole number from 1 to 65535, got "http"');
  expect(() => parseArgs(['--verbose'], {})).toThrow('unknown option --verbose');
});
