import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import { setTimeout as delay } from 'timers/promises';
import {
  CallGone, checkTextQuery, CliCall, CliExit, CommandOptions, Environment, Options, parameterError, parseOptions,
  serviceError, textOutput, usageError,
} from '../helpers/aws-cli-stand-in';

// Stand-in of the AWS CLI v2 (`aws`) for the tests of labs/sqs-workers/task/worker.sh. It answers the calls that script
// makes, with the options it passes, as CLI 2.31 does:
// - sqs receive-message, change-message-visibility and delete-message, from a queue kept in a JSON file,
//   $AWS_CLI_STAND_IN_STATE, as SQS keeps a standard queue: visibility timeouts, a new receipt handle per receive,
//   ApproximateReceiveCount, long polling, and a redrive policy that moves a message received maxReceiveCount times
//   to the dead-letter list on the next receive. sqs send-message lets a test add a job while a worker runs.
// - dynamodb get-item and put-item, sent to a real engine at $AWS_CLI_STAND_IN_DYNAMODB (dynalite).
// Failures to inject are in the state file too. Each call's arguments are appended to $AWS_CLI_STAND_IN_CALLS as one
// JSON line. $AWS_CLI_STAND_IN_WAIT_SECONDS, if set, shortens the real wait of a long poll (the argument still says
// how long the CLI was asked to wait). Anything else is refused with exit code 252, as the CLI refuses what it cannot
// parse, so that the test sees it.
//
// It answers in the test's process (test/helpers/aws-cli-stand-in.ts); a call killed during a long poll takes no
// message.

const RECEIVE_QUERY = 'Messages[0].[MessageId,ReceiptHandle,Attributes.ApproximateReceiveCount,Body]';
const GET_ITEM_QUERY = 'Item != `null`';
const SEND_QUERY = 'MessageId';
const COMMANDS: Record<string, CommandOptions> = {
  'sqs receive-message': {
    required: ['queue-url', 'query', 'output'],
    optional: ['max-number-of-messages', 'wait-time-seconds', 'attribute-names'],
  },
  'sqs change-message-visibility': { required: ['queue-url', 'receipt-handle', 'visibility-timeout'] },
  'sqs delete-message': { required: ['queue-url', 'receipt-handle'] },
  'sqs send-message': { required: ['queue-url', 'message-body', 'query', 'output'] },
  'dynamodb get-item': { required: ['table-name', 'key', 'query', 'output'], flags: ['consistent-read'] },
  'dynamodb put-item': { required: ['table-name', 'item'], optional: ['condition-expression'] },
};
// Receipt handles as SQS makes them: long, opaque, base64. A handle that does not look like one is refused.
const HANDLE_PREFIX = 'AQEB';
// How often a long poll looks at the queue again.
const POLL_MS = 50;

/** A message of the queue in the state file. */
export interface Message {
  id: string;
  body: string;
  receiveCount: number;
  /** Epoch milliseconds; in flight until then. */
  visibleAt: number;
  /** The latest receive's. */
  receiptHandle: string | null;
  /** Every receive's, in order. */
  handles: string[];
}

/** The state file, $AWS_CLI_STAND_IN_STATE: the queue, and the failures a test injects. */
export interface State {
  queue: {
    url: string;
    visibilityTimeout: number;
    maxReceiveCount: number;
    messages: Message[];
    /** Moved there by the redrive policy. */
    deadLetters: (Message & { movedAt: number })[];
    deleted: (Message & { deletedWith: string; deletedAt: number })[];
  };
  failures: { operation: string; jobId?: string; code: string; message: string }[];
}

/** Answers one call of `aws` with what it prints, or throws as the CLI exits. */
export function answerSqsWorkerCall(call: CliCall): Promise<string> {
  return new Call(call.args, call.env, call.gone).run();
}

class Call {
  constructor(private readonly args: string[], private readonly env: Environment, private readonly gone: AbortSignal) {}

  async run(): Promise<string> {
    const command = this.args.slice(0, 2).join(' ');
    if (!COMMANDS[command]) usageError(`the stand-in answers no such command: ${command}`);
    const options = parseOptions(this.args, COMMANDS[command]);
    if (!this.env.AWS_REGION && !this.env.AWS_DEFAULT_REGION) {
      throw new CliExit(253, '\nYou must specify a region. You can also configure your region by running '
        + '"aws configure".\n');
    }
    switch (command) {
      case 'sqs receive-message': return this.receiveMessage(options);
      case 'sqs change-message-visibility': return this.changeMessageVisibility(options);
      case 'sqs delete-message': return this.deleteMessage(options);
      case 'sqs send-message': return this.sendMessage(options);
      case 'dynamodb get-item': return this.getItem(options);
      default: return this.putItem(options);
    }
  }

  private readState(): State {
    return JSON.parse(fs.readFileSync(this.env.AWS_CLI_STAND_IN_STATE!, 'utf-8'));
  }

  /**
   * Runs `change` on the state and writes it back. One process answers every call and the change is synchronous, so
   * no other call sees the state half changed; an error answer leaves it as it was.
   */
  private withState<T>(change: (state: State) => T): T {
    const state = this.readState();
    const result = change(state);
    fs.writeFileSync(this.env.AWS_CLI_STAND_IN_STATE!, JSON.stringify(state, null, 2));
    return result;
  }

  private async receiveMessage(options: Options): Promise<string> {
    checkTextQuery(options, RECEIVE_QUERY);
    if (options['max-number-of-messages'] !== '1' || options['attribute-names'] !== 'ApproximateReceiveCount'
      || !/^([0-9]|1[0-9]|20)$/.test(String(options['wait-time-seconds'] ?? ''))) {
      usageError('the stand-in only answers --max-number-of-messages 1 --wait-time-seconds 0 to 20 '
        + '--attribute-names ApproximateReceiveCount');
    }
    const cap = this.env.AWS_CLI_STAND_IN_WAIT_SECONDS;
    const waitSeconds = Math.min(Number(options['wait-time-seconds']), cap === undefined ? Infinity : Number(cap));
    const deadline = Date.now() + waitSeconds * 1000;
    for (;;) {
      // A killed call receives nothing.
      if (this.gone.aborted) throw new CallGone();
      const message = this.withState((state) => {
        checkQueue(state, 'ReceiveMessage', options['queue-url']);
        return receiveOnce(state.queue);
      });
      if (message) {
        const { id, receiptHandle, receiveCount, body } = message;
        return textOutput(this.env, [[id, receiptHandle, receiveCount, body].join('\t')]);
      }
      if (Date.now() >= deadline) break;
      await delay(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
    }
    // No message: the answer has no Messages, and text output prints the query's null as None.
    return textOutput(this.env, ['None']);
  }

  private async changeMessageVisibility(options: Options): Promise<string> {
    const handle = String(options['receipt-handle']);
    const timeout = String(options['visibility-timeout']);
    if (!/^\d+$/.test(timeout) || Number(timeout) > 43200) {
      usageError('the stand-in only sets a visibility timeout of 0 to 43200 seconds');
    }
    this.withState((state) => {
      checkQueue(state, 'ChangeMessageVisibility', options['queue-url']);
      checkHandle('ChangeMessageVisibility', handle);
      // Only the latest receive's handle of a message still in the queue changes it; SQS ignores the change of a
      // message whose visibility timeout has passed.
      const message = state.queue.messages.find((candidate) => candidate.receiptHandle === handle);
      if (!message) {
        serviceError('ChangeMessageVisibility', 'InvalidParameterValue', `Value ${handle} for parameter `
          + 'ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout '
          + 'change.');
      }
      const now = Date.now();
      if (message.visibleAt > now) message.visibleAt = now + Number(timeout) * 1000;
    });
    return '';
  }

  private async deleteMessage(options: Options): Promise<string> {
    const handle = String(options['receipt-handle']);
    this.withState((state) => {
      checkQueue(state, 'DeleteMessage', options['queue-url']);
      checkHandle('DeleteMessage', handle);
      // "If you don't provide the most recently received receipt handle for the message, the request will still
      // succeed, but the message might not be deleted" (DeleteMessage): here it is not. A deleted message's handle
      // succeeds too.
      const index = state.queue.messages.findIndex((message) => message.receiptHandle === handle);
      if (index < 0) return;
      const [message] = state.queue.messages.splice(index, 1);
      state.queue.deleted.push({ ...message, deletedWith: handle, deletedAt: Date.now() });
    });
    return '';
  }

  private async sendMessage(options: Options): Promise<string> {
    checkTextQuery(options, SEND_QUERY);
    const id = crypto.randomUUID();
    this.withState((state) => {
      checkQueue(state, 'SendMessage', options['queue-url']);
      state.queue.messages.push({
        id, body: String(options['message-body']), receiveCount: 0, visibleAt: 0, receiptHandle: null, handles: [],
      });
    });
    return textOutput(this.env, [id]);
  }

  private async getItem(options: Options): Promise<string> {
    checkTextQuery(options, GET_ITEM_QUERY);
    const key = parseJson('key', String(options.key));
    const failure = injectedFailure(this.readState(), 'GetItem', key.jobId?.S);
    if (failure) serviceError('GetItem', failure.code, failure.message);
    const answer = await this.sendToDynamoDb('GetItem', {
      TableName: options['table-name'], Key: key, ConsistentRead: options['consistent-read'] === true,
    });
    // The query's boolean, printed by text output as Python prints it.
    return textOutput(this.env, [answer.Item !== undefined ? 'True' : 'False']);
  }

  private async putItem(options: Options): Promise<string> {
    const item = parseJson('item', String(options.item));
    const failure = injectedFailure(this.readState(), 'PutItem', item.jobId?.S);
    if (failure) serviceError('PutItem', failure.code, failure.message);
    await this.sendToDynamoDb('PutItem', {
      TableName: options['table-name'], Item: item, ConditionExpression: options['condition-expression'],
    });
    // PutItem answers {} without --return-values, and the CLI prints nothing for {}.
    return '';
  }

  /**
   * Sends an operation to the DynamoDB engine in DynamoDB's JSON protocol, and ends the call as the CLI does on its
   * error answer. The engine checks that a request is signed, not its signature.
   */
  private sendToDynamoDb(operation: string, input: object): Promise<any> {
    const body = JSON.stringify(input);
    const region = this.env.AWS_REGION;
    return new Promise((resolve, reject) => {
      const request = http.request(this.env.AWS_CLI_STAND_IN_DYNAMODB!, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'content-length': Buffer.byteLength(body),
          'x-amz-target': `DynamoDB_20120810.${operation}`,
          'x-amz-date': '20260101T000000Z',
          authorization: `AWS4-HMAC-SHA256 Credential=stand-in/20260101/${region}/dynamodb/aws4_request, `
            + 'SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0',
        },
      }, (response) => {
        let text = '';
        response.setEncoding('utf-8');
        response.on('data', (chunk) => { text += chunk; });
        response.on('end', () => {
          const result = text === '' ? {} : JSON.parse(text);
          if (response.statusCode === 200) {
            resolve(result);
            return;
          }
          // "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException": the CLI names the part after the #.
          try {
            serviceError(operation, String(result.__type).split('#').pop()!, result.message ?? result.Message);
          } catch (error) {
            reject(error);
          }
        });
      });
      request.once('error', reject);
      request.end(body);
    });
  }
}

/** The failure the test injected for this operation (and this job, if it names one). */
function injectedFailure(state: State, operation: string, jobId?: string) {
  return (state.failures || []).find((failure) => failure.operation === operation
    && (failure.jobId === undefined || failure.jobId === jobId));
}

function checkQueue(state: State, operation: string, url: string | true): void {
  const failure = injectedFailure(state, operation);
  if (failure) serviceError(operation, failure.code, failure.message);
  // SQS answers on the JSON protocol, and the CLI shows the query protocol's code it sends along.
  if (url !== state.queue.url) {
    serviceError(operation, 'AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.');
  }
}

function checkHandle(operation: string, handle: string): void {
  if (!handle.startsWith(HANDLE_PREFIX)) {
    serviceError(operation, 'ReceiptHandleIsInvalid',
      `The input receipt handle "${handle}" is not a valid receipt handle.`);
  }
}

/**
 * One receive, now: the first visible message, or null. A message already received maxReceiveCount times goes to the
 * dead-letter list instead of being received again.
 */
function receiveOnce(queue: State['queue']): Message | null {
  const now = Date.now();
  for (const message of [...queue.messages]) {
    if (message.visibleAt > now) continue;
    if (message.receiveCount >= queue.maxReceiveCount) {
      queue.messages.splice(queue.messages.indexOf(message), 1);
      queue.deadLetters.push({ ...message, movedAt: now });
      continue;
    }
    message.receiveCount += 1;
    message.receiptHandle = `${HANDLE_PREFIX}${crypto.randomBytes(96).toString('base64')}`;
    message.handles.push(message.receiptHandle);
    message.visibleAt = now + queue.visibilityTimeout * 1000;
    return message;
  }
  return null;
}

function parseJson(name: string, text: string): any {
  try {
    return JSON.parse(text);
  } catch (error) {
    return parameterError(
      `Error parsing parameter '--${name}': Invalid JSON: ${(error as Error).message}\nJSON received: ${text}`);
  }
}
