import { randomUUID } from 'crypto';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { restProxyEvent } from '../../api-gateway/rest-proxy-event';
import { excerpt, Page, request } from '../http';
import { LabVerifier } from '../lab-verifier';

/**
 * The chapter's test sequence through the API (list, create, get, delete) with a user of its own, and a direct
 * invocation of the function; whatever happens, the test user is deleted at the end.
 */
export const lambdaUsersVerifier: LabVerifier = {
  outputs: ['UsersUrl', 'FunctionName'],
  checks: ({ outputs, aws }) => {
    const user = { userId: `verify-${randomUUID()}`, name: 'Verify Lab', email: 'verify@example.com' };
    const userUrl = `${outputs.UsersUrl}/${user.userId}`;
    let stored = false;
    // Whether an earlier POST may have stored the user without us hearing so: no answer, or a 5xx.
    let unanswered = false;
    /**
     * A 409 on a retry of our own create: the earlier try stored the user but its answer was lost. Checks it is
     * ours.
     */
    const confirmStoredByEarlierTry = async () => {
      stored = true;
      const storedUser = expectJson(await request(userUrl), 200);
      try {
        expectUser(storedUser, user);
      } catch (error) {
        stored = false;
        throw new Error(`answered 409 to a retry, and the stored ${user.userId} is not the test user: `
          + `${(error as Error).message}`);
      }
      return `409 to a retry: an earlier try stored ${user.userId} but its answer was lost; GET shows the test user`;
    };
    return {
      checks: [
        {
          name: 'GET /users lists the users',
          run: async () => {
            const { users } = expectJson(await request(outputs.UsersUrl), 200);
            if (!Array.isArray(users)) throw new Error(`GET /users answered 200 without a users array`);
            return `200, ${users.length} user(s) on the first page`;
          },
        },
        {
          name: 'POST /users creates a test user',
          run: async () => {
            let page: Page;
            try {
              page = await request(outputs.UsersUrl, {
                method: 'POST',
                headers: { 'Content-Type': 'application/json' },
                body: JSON.stringify(user),
              });
            } catch (error) {
              unanswered = true;
              throw error;
            }
            if (page.status === 409 && unanswered) return confirmStoredByEarlierTry();
            unanswered ||= page.status >= 500;
            stored ||= page.status === 201;
            if (page.status === 409) {
              throw new Error(`answered 409, and no earlier try of ours can have stored ${user.userId}: `
                + `that user is someone else's; it is left alone`);
            }
            expectUser(expectJson(page, 201), user);
            return `201, ${user.userId} stored`;
          },
        },
        {
          name: 'GET /users/{userId} returns it',
          run: async () => {
            expectUser(expectJson(await request(userUrl), 200), user);
            return `200, ${user.userId} as created`;
          },
        },
        {
          name: `the function answers a direct invocation (${outputs.FunctionName})`,
          run: async () => {
            const result = await aws.lambda.send(new InvokeCommand({
              FunctionName: outputs.FunctionName,
              Payload: JSON.stringify(getUserEvent(user.userId)),
            }));
            const payload = Buffer.from(result.Payload ?? []).toString('utf-8');
            if (result.FunctionError) throw new Error(
              `the function failed (${result.FunctionError}): ${excerpt(payload)}`);
            const response = JSON.parse(payload);
            expectUser(expectJson({ status: response.statusCode, body: response.body }, 200), user);
            return `StatusCode ${result.StatusCode}, the proxy response is 200 with ${user.userId}`;
          },
        },
        {
          name: 'DELETE /users/{userId} deletes it',
          run: async () => {
            if (!stored) throw new Error(
              `not sent: the test user was never stored, and ${user.userId} is not ours to delete`);
            expectJson(await request(userUrl, { method: 'DELETE' }), 200);
            stored = false;
            return '200';
          },
        },
        {
          name: 'GET /users/{userId} answers 404 after the delete',
          run: async () => {
            const { message } = expectJson(await request(userUrl), 404);
            return `404 ${JSON.stringify(message)}`;
          },
        },
      ],
      cleanUp: async () => {
        if (!stored) return undefined;
        const page = await request(userUrl, { method: 'DELETE' });
        return page.status === 200
          ? `deleted the test user ${user.userId}`
          : `could not delete the test user ${user.userId}: ${page.status} ${excerpt(page.body)}`;
      },
    };
  },
};

function expectJson(page: Page, status: number): any {
  let json: any;
  try {
    json = JSON.parse(page.body);
  } catch {
    throw new Error(`answered ${page.status} with a body that is not JSON: ${excerpt(page.body)}`);
  }
  if (page.status !== status) throw new Error(`answered ${page.status}, expected ${status}: ${excerpt(page.body)}`);
  return json;
}

function expectUser(actual: any, expected: Record<string, string>): void {
  const differs = Object.entries(expected).filter(([key, value]) => actual?.[key] !== value).map(([key]) => key);
  if (differs.length > 0) throw new Error(
    `the user differs in ${differs.join(', ')}: ${excerpt(JSON.stringify(actual))}`);
}

/** The REST proxy event API Gateway sends for `GET /users/{userId}`. */
function getUserEvent(userId: string) {
  return restProxyEvent({
    method: 'GET',
    resource: '/users/{userId}',
    path: `/users/${userId}`,
    pathParameters: { userId },
  });
}
