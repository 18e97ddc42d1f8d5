import { randomUUID } from 'crypto';
import type { ServerResponse } from 'http';
import { LocalFunction } from './local-function';

/** `POST /2015-03-31/functions/{FunctionName}/invocations`, as the Lambda API serves it. */
export const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** `GET /2015-03-31/functions/`, the Lambda ListFunctions API. */
export const LIST_FUNCTIONS_PATH = /^\/2015-03-31\/functions\/?$/;

/** Answers ListFunctions with the local functions' names (their logical ids), so a client can find them. */
export function answerListFunctions(functions: ReadonlyMap<string, LocalFunction>, response: ServerResponse): void {
  response.writeHead(200, { 'Content-Type': 'application/json', 'x-amzn-RequestId': randomUUID() });
  response.end(JSON.stringify({ Functions: [...functions.keys()].map((name) => ({ FunctionName: name })) }));
}

/**
 * Answers the Lambda Invoke API for the local functions, so `@aws-sdk/client-lambda` (or the AWS CLI with
 * --endpoint-url) invokes them as it would in AWS. The function name is its logical id, or an ARN ending in it.
 */
export async function answerInvoke(
  functions: ReadonlyMap<string, LocalFunction>, rawName: string, invocationType: string | undefined, body: Buffer,
  response: ServerResponse,
): Promise<void> {
  const name = decodeURIComponent(rawName).replace(/^arn:[^:]+:lambda:[^:]*:[^:]*:function:/, '')
    .replace(/:\$LATEST$/, '');
  const fn = functions.get(name);
  if (!fn) {
    return sendError(response, 404, 'ResourceNotFoundException',
      `Function not found: ${name}. Local functions: ${[...functions.keys()].join(', ')}`);
  }
  let event: unknown = {};
  if (body.length > 0) {
    try {
      event = JSON.parse(body.toString('utf-8'));
    } catch {
      return sendError(response, 400, 'InvalidRequestContentException', 'Could not parse request body into json');
    }
  }
  const requestId = randomUUID();
  if (invocationType === 'DryRun') {
    response.writeHead(204, { 'x-amzn-RequestId': requestId }).end();
    return;
  }
  const run = fn.invoke(event, requestId);
  if (invocationType === 'Event') {
    run.catch((error) => console.error(`async invocation of ${name} failed:`, error));
    response.writeHead(202, { 'x-amzn-RequestId': requestId }).end();
    return;
  }
  try {
    const result = await run;
    response.writeHead(200, {
      'Content-Type': 'application/json',
      'X-Amz-Executed-Version': '$LATEST',
      'x-amzn-RequestId': requestId,
    });
    response.end(JSON.stringify(result ?? null));
  } catch (error) {
    const { name: errorType, message: errorMessage } = error instanceof Error
      ? error
      : { name: 'Error', message: String(error) };
    response.writeHead(200, {
      'Content-Type': 'application/json',
      'X-Amz-Executed-Version': '$LATEST',
      'X-Amz-Function-Error': 'Unhandled',
      'x-amzn-RequestId': requestId,
    });
    response.end(JSON.stringify({ errorType, errorMessage, trace: [] }));
  }
}

function sendError(response: ServerResponse, status: number, type: string, message: string): void {
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'x-amzn-ErrorType': type,
    'x-amzn-RequestId': randomUUID(),
  });
  response.end(JSON.stringify({ Type: 'User', message }));
}
