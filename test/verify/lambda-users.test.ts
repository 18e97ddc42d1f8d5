import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { awsClients } from '../../lib/aws/clients';
import { lambdaUsersVerifier } from '../../lib/verify/labs/lambda-users';
import { serveStandIn } from '../helpers/http-stand-in';
import type { StandIn } from '../helpers/http-stand-in';
import { joinRegExp } from '../helpers/join-regexp';
import { STILL, verifySettling } from './end-wait-when-settled';
import { serveUsersApi, UsersApi, UsersApiOptions } from './users-api-stand-in';

// LambdaUsersLab's checks over real HTTP against a local stand-in for the users API that can lose an answer, with
// the CloudFormation and Lambda answers mocked: there is no AWS account here.
const cloudFormation = mockClient(CloudFormationClient);
const lambda = mockClient(LambdaClient);

/** The users API of the lab (see serveUsersApi), closed after the test. */
async function usersApi(options: UsersApiOptions = {}): Promise<UsersApi> {
  const served = await serveUsersApi(options);
  standIns.push(served.api);
  return served;
}

const standIns: StandIn[] = [];
beforeEach(() => [cloudFormation, lambda].forEach((mock) => mock.reset()));
afterEach(async () => {
  await Promise.all(standIns.splice(0).map((server) => server.close()));
});

/** The stack's outputs point at the stand-in; a direct invocation answers with the one test user stored. */
function deployed(api: StandIn, users: Map<string, Record<string, string>>): void {
  cloudFormation.on(DescribeStacksCommand, { StackName: 'LambdaUsersLab' }).resolves({ Stacks: [{
    StackName: 'LambdaUsersLab', StackStatus: 'CREATE_COMPLETE', CreationTime: new Date(),
    Outputs: [
      { OutputKey: 'UsersUrl', OutputValue: `${api.origin}/prod/users` },
      { OutputKey: 'FunctionName', OutputValue: 'users-fn' },
    ],
  }] });
  lambda.on(InvokeCommand).callsFake(() => {
    const user = [...users.values()].find((candidate) => candidate.userId.startsWith('verify-'));
    const response = user
      ? { statusCode: 200, body: JSON.stringify(user) }
      : { statusCode: 404, body: JSON.stringify({ message: 'User not found' }) };
    return { StatusCode: 200, Payload: Buffer.from(JSON.stringify(response)) };
  });
}

/**
 * Runs the checks; a failing check is retried for up to 5 s (the first HTTP request of a process is slow), or until
 * it fails alike twice: the stand-in changes only when a check asks it something.
 */
function verify(): Promise<{ passed: boolean; lines: string[] }> {
  return verifySettling(lambdaUsersVerifier, STILL, {
    stackName: 'LambdaUsersLab',
    aws: awsClients({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
    timeLimitMs: 5_000,
    retryDelayMs: 20,
  });
}

/** The checklist's line of the check whose name starts so, without its number of tries. */
const lineOf = (lines: string[], name: string) => lines.find((line) => line.slice(6).startsWith(name))
  ?.replace(/ \(try \d+\)$/, '');

test('passes when the answer to the first POST is lost and the retry gets 409: the earlier try stored the test user '
  + '(AWS API mocked)', async () => {
  const { api, users, requests } = await usersApi({ dropFirstPostAnswer: true });
  deployed(api, users);
  const { passed, lines } = await verify();
  expect(lines[2]).toMatch(joinRegExp(
    /^PASS {2}POST \/users creates a test user: 409 to a retry: /,
    /an earlier try stored verify-[0-9a-f-]+ but its answer was lost; GET shows the test user \(try 2\)$/,
  ));
  expect(lines.slice(-1)).toEqual(['6 of 6 checks passed.']);
  expect(passed).toBe(true);
  expect(requests.filter((request) => request.startsWith('POST'))).toHaveLength(2);
  expect(users.size).toBe(0);
});

test('still cleans up the test user that a lost answer stored, when a later check fails (AWS API mocked)', async () => {
  const { api, users, requests } = await usersApi({ dropFirstPostAnswer: true, failDeletes: true });
  deployed(api, users);
  const { passed, lines } = await verify();
  expect(passed).toBe(false);
  expect(lines[2]).toMatch(/^PASS {2}POST \/users creates a test user: 409 to a retry/);
  const userId = [...users.keys()][0];
  expect(lines).toContain(`Clean-up: could not delete the test user ${userId}: 503 {"message":"Service Unavailable"}`);
  // The DELETE check's tries, then the clean-up's: the user was counted as stored.
  expect(requests.at(-1)).toBe(`DELETE /prod/users/${userId}`);
});

test('fails on a 409 to the first try, and leaves that user, who is not the test user, alone '
  + '(AWS API mocked)', async () => {
  const { api, users, requests } = await usersApi({ idsTaken: true });
  deployed(api, users);
  const { passed, lines } = await verify();
  expect(passed).toBe(false);
  expect(lines[2]).toMatch(joinRegExp(
    /^FAIL {2}POST \/users creates a test user: answered 409, /,
    /and no earlier try of ours can have stored verify-[0-9a-f-]+: that user is someone else's; it is left alone/,
  ));
  expect(lines.find((line) => line.includes('DELETE /users/{userId} deletes it')))
    .toMatch(/^FAIL .*not sent: the test user was never stored/);
  expect(requests.filter((request) => request.startsWith('DELETE'))).toEqual([]);
  expect(lines.some((line) => line.startsWith('Clean-up:'))).toBe(false);
  expect([...users.values()]).toEqual([{ userId: expect.stringMatching(/^verify-/), name: 'Someone Else' }]);
});

test('passes the chapter\'s sequence, sending the function the REST proxy event of GET /users/{userId} '
  + '(AWS API mocked)', async () => {
  const { api, users, requests } = await usersApi();
  deployed(api, users);
  const { passed, lines } = await verify();
  const userId = /POST \/users creates a test user: 201, (verify-[0-9a-f-]{36}) stored$/.exec(lines[2])?.[1];
  expect(lines.slice(1)).toEqual([
    'PASS  GET /users lists the users: 200, 0 user(s) on the first page',
    `PASS  POST /users creates a test user: 201, ${userId} stored`,
    `PASS  GET /users/{userId} returns it: 200, ${userId} as created`,
    'PASS  the function answers a direct invocation (users-fn): StatusCode 200, the proxy response is 200 with '
      + `${userId}`,
    'PASS  DELETE /users/{userId} deletes it: 200',
    'PASS  GET /users/{userId} answers 404 after the delete: 404 "User not found"',
    '6 of 6 checks passed.',
  ]);
  expect(passed).toBe(true);
  expect(requests).toEqual(['GET /prod/users', 'POST /prod/users', `GET /prod/users/${userId}`,
    `DELETE /prod/users/${userId}`, `GET /prod/users/${userId}`]);
  const { FunctionName, Payload } = lambda.commandCalls(InvokeCommand)[0].args[0].input;
  expect(FunctionName).toBe('users-fn');
  expect(JSON.parse(Buffer.from(Payload as Uint8Array).toString())).toEqual(expect.objectContaining({
    httpMethod: 'GET', resource: '/users/{userId}', path: `/users/${userId}`, pathParameters: { userId },
  }));
});

test.each([
  ['a 500', 500, '{"message":"Internal server error"}',
    'answered 500, expected 200: {"message":"Internal server error"}'],
  ['a page that is not JSON', 200, '<html>\n<h1>Hello</h1></html>',
    'answered 200 with a body that is not JSON: <html> <h1>Hello</h1></html>'],
  ['JSON without a users array', 200, '{"users":{}}', 'GET /users answered 200 without a users array'],
])('fails GET /users on %s (AWS API mocked)', async (_name, status, body, seen) => {
  const api = await serveStandIn((_, response) => response.writeHead(status).end(body));
  standIns.push(api);
  deployed(api, new Map());
  expect(lineOf((await verify()).lines, 'GET /users lists')).toBe(`FAIL  GET /users lists the users: ${seen}`);
});

test('takes a 500 to the first POST as maybe stored: a 409 to the retry is the test user, checked and deleted '
  + '(AWS API mocked)', async () => {
  const { api, users } = await usersApi({ firstPostStatus: 500 });
  deployed(api, users);
  const { passed, lines } = await verify();
  expect(lineOf(lines, 'POST')).toMatch(/^PASS {2}POST \/users creates a test user: 409 to a retry: an earlier try /);
  expect(passed).toBe(true);
  expect(users.size).toBe(0);
});

test('takes a 503 to the first POST as maybe stored, and a 201 to the retry as stored by the retry (AWS API mocked)',
  async () => {
    const { api, users } = await usersApi({ firstPostFailsWith: 503 });
    deployed(api, users);
    const { passed, lines } = await verify();
    expect(lineOf(lines, 'POST'))
      .toMatch(/^PASS {2}POST \/users creates a test user: 201, verify-[0-9a-f-]{36} stored$/);
    expect(passed).toBe(true);
    expect(users.size).toBe(0);
  });

test('fails a 201 whose body is not a user, naming every field that differs', async () => {
  const api = await serveStandIn((_, response) => response.writeHead(201, { 'content-type': 'application/json' })
    .end('null'));
  standIns.push(api);
  const { checks } = lambdaUsersVerifier.checks({
    stackName: 'LambdaUsersLab', outputs: { UsersUrl: `${api.origin}/prod/users`, FunctionName: 'users-fn' },
    aws: awsClients({ region: 'us-east-1' }),
  });
  await expect(checks[1].run()).rejects.toThrow(new Error('the user differs in userId, name, email: null'));
});

test('takes a 4xx to the first POST as not stored: a 409 to the retry is someone else\'s user, left alone '
  + '(AWS API mocked)', async () => {
  const { api, users, requests } = await usersApi({ firstPostStatus: 499 });
  deployed(api, users);
  const { passed, lines } = await verify();
  expect(lineOf(lines, 'POST')).toMatch(/^FAIL {2}POST \/users creates a test user: answered 409, and no earlier try /);
  expect(passed).toBe(false);
  expect(requests.filter((request) => request.startsWith('DELETE'))).toEqual([]);
  expect(users.size).toBe(1);
});

test('fails a 201 that answers another user than was sent, and still deletes what it stored', async () => {
  const changed = await usersApi({ storesAs: { name: 'Changed' } });
  const { checks, cleanUp } = lambdaUsersVerifier.checks({
    stackName: 'LambdaUsersLab', outputs: { UsersUrl: `${changed.api.origin}/prod/users`, FunctionName: 'users-fn' },
    aws: awsClients({ region: 'us-east-1' }),
  });
  await expect(checks[1].run()).rejects.toThrow(
    /^the user differs in name: \{"userId":"verify-.*","name":"Changed",/);
  expect(await cleanUp!()).toMatch(/^deleted the test user verify-/);
  expect(changed.users.size).toBe(0);
});

test('fails when a retry finds that the user stored by a try whose answer was lost is not the test user, and '
  + 'leaves it (AWS API mocked)', async () => {

  const lost = await usersApi({ storesAs: { email: 'other@example.com' }, dropFirstPostAnswer: true });
  deployed(lost.api, lost.users);
  const { lines } = await verify();
  expect(lineOf(lines, 'POST')).toMatch(new RegExp('^FAIL {2}POST /users creates a test user: answered 409 to a '
    + 'retry, and the stored verify-[0-9a-f-]{36} is not the test user: the user differs in email: '));
  expect(lines.some((line) => line.startsWith('Clean-up:'))).toBe(false);
  expect(lost.requests.filter((request) => request.startsWith('DELETE'))).toEqual([]);
});

test('fails the direct invocation when the function fails, or answers another status, saying what it answered '
  + '(AWS API mocked)', async () => {
  const { api, users } = await usersApi();
  deployed(api, users);
  const error = { errorType: 'TypeError', errorMessage: 'boom' };
  lambda.on(InvokeCommand).resolves({ StatusCode: 200, FunctionError: 'Unhandled',
    Payload: Buffer.from(JSON.stringify(error)) as never });
  expect(lineOf((await verify()).lines, 'the function')).toBe('FAIL  the function answers a direct invocation '
    + '(users-fn): the function failed (Unhandled): {"errorType":"TypeError","errorMessage":"boom"}');
  lambda.on(InvokeCommand).resolves({ StatusCode: 200,
    Payload: Buffer.from(JSON.stringify({ statusCode: 404, body: '{"message":"User not found"}' })) as never });
  expect(lineOf((await verify()).lines, 'the function')).toBe('FAIL  the function answers a direct invocation '
    + '(users-fn): answered 404, expected 200: {"message":"User not found"}');
});

test('fails when a DELETE answers 200 but the user is still there, and then cleans up nothing (AWS API mocked)',
  async () => {
    const { api, users } = await usersApi({ keepsDeleted: true });
    deployed(api, users);
    const { passed, lines } = await verify();
    expect(lineOf(lines, 'DELETE')).toBe('PASS  DELETE /users/{userId} deletes it: 200');
    expect(lineOf(lines, 'GET /users/{userId} answers 404')).toMatch(
      /^FAIL {2}GET \/users\/\{userId\} answers 404 after the delete: answered 200, expected 404: \{"userId":/);
    expect(lines.some((line) => line.startsWith('Clean-up:'))).toBe(false);
    expect(passed).toBe(false);
  });

test('fails the DELETE check on a 503, saying so (AWS API mocked)', async () => {
  const { api, users } = await usersApi({ failDeletes: true });
  deployed(api, users);
  expect(lineOf((await verify()).lines, 'DELETE'))
    .toBe('FAIL  DELETE /users/{userId} deletes it: answered 503, expected 200: {"message":"Service Unavailable"}');
});
