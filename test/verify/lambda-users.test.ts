import { IncomingMessage, ServerResponse } from 'http';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { awsClients } from '../../lib/aws/clients';
import { verifyLab } from '../../lib/verify/verify-lab';
import { serveStandIn, StandIn } from '../helpers/http-stand-in';
import { joinRegExp } from '../helpers/join-regexp';

// LambdaUsersLab's checks over real HTTP against a local stand-in for the users API that can lose an answer, with
// the CloudFormation and Lambda answers mocked: there is no AWS account here.
const cloudFormation = mockClient(CloudFormationClient);
const lambda = mockClient(LambdaClient);

interface UsersApiOptions {
  /** Store the first POST's user, then drop the connection without an answer, as a timeout looks to the client. */
  readonly dropFirstPostAnswer?: boolean;
  /** Every id the checks pick is already someone else's user. */
  readonly idsTaken?: boolean;
  /** Answer every DELETE with 503. */
  readonly failDeletes?: boolean;
}

/** The users API of the lab, in memory, with a log of the requests it got. */
async function usersApi(
  options: UsersApiOptions = {},
): Promise<{ api: StandIn; users: Map<string, Record<string, string>>; requests: string[] }> {
  const users = new Map<string, Record<string, string>>();
  const requests: string[] = [];
  let posts = 0;
  const json = (response: ServerResponse, status: number, body: unknown) =>
    response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  const api = await serveStandIn((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      requests.push(`${request.method} ${request.url}`);
      const userId = /^\/prod\/users\/([^/]+)$/.exec(request.url ?? '')?.[1];
      if (request.method === 'GET' && !userId) return json(response, 200, { users: [...users.values()] });
      if (request.method === 'POST') {
        const user = JSON.parse(body);
        if (options.idsTaken) users.set(user.userId, { userId: user.userId, name: 'Someone Else' });
        if (users.has(user.userId)) return json(response, 409, { message: 'User already exists' });
        users.set(user.userId, user);
        if (++posts === 1 && options.dropFirstPostAnswer) return request.socket.destroy();
        return json(response, 201, user);
      }
      if (!userId || !users.has(userId)) return json(response, 404, { message: 'User not found' });
      if (request.method === 'GET') return json(response, 200, users.get(userId));
      if (options.failDeletes) return json(response, 503, { message: 'Service Unavailable' });
      users.delete(userId);
      return json(response, 200, { message: 'User deleted successfully' });
    });
  });
  standIns.push(api);
  return { api, users, requests };
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

/** Runs the checks; a failing check is retried for `timeLimitMs` (the first HTTP request of a process is slow). */
async function verify(timeLimitMs: number): Promise<{ passed: boolean; lines: string[] }> {
  const lines: string[] = [];
  const passed = await verifyLab({
    stackName: 'LambdaUsersLab',
    aws: awsClients({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
    timeLimitMs,
    retryDelayMs: 20,
    print: (line) => lines.push(line),
  });
  return { passed, lines };
}

test('passes when the answer to the first POST is lost and the retry gets 409: the earlier try stored the test user '
  + '(AWS API mocked)', async () => {
  const { api, users, requests } = await usersApi({ dropFirstPostAnswer: true });
  deployed(api, users);
  const { passed, lines } = await verify(5_000);
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
  const { passed, lines } = await verify(1_000);
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
  const { passed, lines } = await verify(1_000);
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
