import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { CORS_HEADERS } from './cors';
import { ClientError, encodePageToken, parseListQuery, parseNewUser, parseUserId, userNotFound } from './users';
import { UsersRepository } from './users-repository';

const logger = new Logger({ serviceName: 'users-api' });
const users = new UsersRepository(process.env.TABLE_NAME ?? '');

type Route = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

/** The API's routes, by API Gateway resource and method (the chapter's four calls). */
const ROUTES: Record<string, Route> = {
  'GET /users': async (event) => {
    const { limit, startKey } = parseListQuery(event.queryStringParameters);
    const page = await users.list(limit, startKey);
    return json(200, { users: page.users, ...(page.nextKey && { nextToken: encodePageToken(page.nextKey) }) });
  },
  'POST /users': async (event) => {
    const user = parseNewUser(bodyText(event), new Date());
    await users.create(user);
    return json(201, user);
  },
  'GET /users/{userId}': async (event) => {
    const user = await users.get(parseUserId(event.pathParameters?.userId));
    if (!user) throw userNotFound();
    return json(200, user);
  },
  'DELETE /users/{userId}': async (event) => {
    if (!(await users.delete(parseUserId(event.pathParameters?.userId)))) throw userNotFound();
    return json(200, { message: 'User deleted successfully' });
  },
};

/** API Gateway (REST, Lambda proxy) adapter: event in, JSON with CORS headers out. */
export async function handler(event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> {
  logger.addContext(context);
  const route = ROUTES[`${event?.httpMethod} ${event?.resource}`];
  if (!route) {
    return json(event?.httpMethod ? 404 : 400, {
      message: event?.httpMethod
        ? `No route for ${event.httpMethod} ${event.resource}`
        : 'Expected an API Gateway REST proxy event',
    });
  }
  try {
    return await route(event);
  } catch (error) {
    if (error instanceof ClientError) return json(error.statusCode, { message: error.message });
    logger.error('Request failed', {
      error: error as Error,
      requestId: context?.awsRequestId,
      route: `${event.httpMethod} ${event.resource}`,
    });
    return json(500, { message: 'Internal server error' });
  }
}

function bodyText(event: APIGatewayProxyEvent): string | null {
  if (event.body === null || event.body === undefined) return null;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf-8') : event.body;
}

function json(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'Content-Type': 'application/json', ...CORS_HEADERS }, body: JSON.stringify(body) };
}
