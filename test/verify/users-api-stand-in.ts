import { IncomingMessage, ServerResponse } from 'http';
import { answerInvoke, answerListFunctions, INVOKE_PATH, LIST_FUNCTIONS_PATH } from '../../lib/local/lambda-invoke-api';
import type { LocalFunction } from '../../lib/local/local-function';
import { serveStandIn, StandIn } from '../helpers/http-stand-in';

export interface UsersApiOptions {
  /** Store the first POST's user, then drop the connection without an answer, as a timeout looks to the client. */
  readonly dropFirstPostAnswer?: boolean;
  /** Every id the checks pick is already someone else's user. */
  readonly idsTaken?: boolean;
  /** Answer every DELETE with 503. */
  readonly failDeletes?: boolean;
  /** Answer the first POST with this status, though it stores the user. @default 201 */
  readonly firstPostStatus?: number;
  /** Answer the first POST with this status without storing the user, as a failure before the table is reached. */
  readonly firstPostFailsWith?: number;
  /** Store each user with these fields changed, and answer a POST with the user as stored. */
  readonly storesAs?: Readonly<Record<string, string>>;
  /** Answer a DELETE with 200 without deleting. */
  readonly keepsDeleted?: boolean;
  /**
   * The functions the same port's Lambda API serves, as `npm run local`'s does (ListFunctions, Invoke): each answers
   * `GET /users/{userId}` from the users stored. @default - no Lambda API
   */
  readonly functions?: readonly string[];
  /** ListFunctions answers 503 this many times before it answers, as a run that is still starting. @default 0 */
  readonly unavailableFor?: number;
}

export interface UsersApi {
  readonly api: StandIn;
  readonly users: Map<string, Record<string, string>>;
  /** `<method> <url>` of each request to the users API. */
  readonly requests: string[];
  /** `<method> <url>` of each request to the Lambda API. */
  readonly lambdaRequests: string[];
}

/** The users API of the lab, in memory, with a log of the requests it got. */
export async function serveUsersApi(options: UsersApiOptions = {}): Promise<UsersApi> {
  const users = new Map<string, Record<string, string>>();
  const requests: string[] = [];
  const lambdaRequests: string[] = [];
  const functions = new Map((options.functions ?? []).map((id) => [id, usersFunction(id, users)]));
  let posts = 0;
  let unavailable = options.unavailableFor ?? 0;
  const json = (response: ServerResponse, status: number, body: unknown) =>
    response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  const api = await serveStandIn((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
      const invoke = INVOKE_PATH.exec(path);
      if (options.functions && (invoke || LIST_FUNCTIONS_PATH.test(path))) {
        lambdaRequests.push(`${request.method} ${request.url}`);
        if (invoke) return void answerInvoke(functions, invoke[1], undefined, body, response);
        if (unavailable-- > 0) return json(response, 503, { message: 'Service Unavailable' });
        return answerListFunctions(functions, response);
      }
      requests.push(`${request.method} ${request.url}`);
      const userId = /^\/prod\/users\/([^/]+)$/.exec(request.url ?? '')?.[1];
      if (request.method === 'GET' && !userId) return json(response, 200, { users: [...users.values()] });
      if (request.method === 'POST') {
        const user = JSON.parse(body.toString('utf-8'));
        if (options.idsTaken) users.set(user.userId, { userId: user.userId, name: 'Someone Else' });
        if (users.has(user.userId)) return json(response, 409, { message: 'User already exists' });
        if (++posts === 1 && options.firstPostFailsWith) {
          return json(response, options.firstPostFailsWith, { message: 'Oops' });
        }
        const stored = { ...user, ...options.storesAs };
        users.set(user.userId, stored);
        if (posts === 1 && options.dropFirstPostAnswer) return request.socket.destroy();
        if (posts === 1 && options.firstPostStatus) return json(response, options.firstPostStatus, { message: 'Oops' });
        return json(response, 201, stored);
      }
      if (!userId || !users.has(userId)) return json(response, 404, { message: 'User not found' });
      if (request.method === 'GET') return json(response, 200, users.get(userId));
      if (options.failDeletes) return json(response, 503, { message: 'Service Unavailable' });
      if (!options.keepsDeleted) users.delete(userId);
      return json(response, 200, { message: 'User deleted successfully' });
    });
  });
  return { api, users, requests, lambdaRequests };
}

/** A function that answers the REST proxy event of `GET /users/{userId}` from the users stored. */
function usersFunction(id: string, users: Map<string, Record<string, string>>): LocalFunction {
  return {
    id,
    timeoutSeconds: 3,
    invoke: async (event) => {
      const user = users.get((event as { pathParameters?: { userId?: string } }).pathParameters?.userId ?? '');
      return user
        ? { statusCode: 200, body: JSON.stringify(user) }
        : { statusCode: 404, body: JSON.stringify({ message: 'User not found' }) };
    },
  };
}
