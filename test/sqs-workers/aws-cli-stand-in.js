#!/usr/bin/env node
// Stand-in of the AWS CLI v2 (`aws`) for the tests of labs/sqs-workers/task/worker.sh. It answers the calls that script
// makes, with the options it passes, as CLI 2.31 does:
// - sqs receive-message, change-message-visibility and delete-message, from a queue kept in a JSON file,
//   $AWS_CLI_STAND_IN_STATE, as SQS keeps a standard queue: visibility timeouts, a new receipt handle per receive,
//   ApproximateReceiveCount, long polling, and a redrive policy that moves a message received maxReceiveCount times
//   to the dead-letter list on the next receive. Each `aws` call is a process of its own, so the file is read and
//   written under a lock. sqs send-message lets a test add a job while a worker runs.
// - dynamodb get-item and put-item, sent to a real engine at $AWS_CLI_STAND_IN_DYNAMODB (dynalite).
// Failures to inject are in the state file too. Each call's arguments are appended to $AWS_CLI_STAND_IN_CALLS as one
// JSON line. $AWS_CLI_STAND_IN_WAIT_SECONDS, if set, shortens the real wait of a long poll (the argument still says
// how long the CLI was asked to wait). Anything else is refused with exit code 252, as the CLI refuses what it cannot
// parse, so that the test sees it.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');

const RECEIVE_QUERY = 'Messages[0].[MessageId,ReceiptHandle,Attributes.ApproximateReceiveCount,Body]';
const GET_ITEM_QUERY = 'Item != `null`';
const COMMANDS = {
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

const args = process.argv.slice(2);
fs.appendFileSync(process.env.AWS_CLI_STAND_IN_CALLS, `${JSON.stringify(args)}\n`);
const statePath = process.env.AWS_CLI_STAND_IN_STATE;
// The state's lock while this process holds it: an error answer leaves the state as it was, and releases the lock.
let heldLock = null;

function exit(code, stderr = '') {
  if (heldLock) fs.rmdirSync(heldLock);
  process.stderr.write(stderr);
  process.exit(code);
}

/** Exit as the CLI does on an error answer from AWS. */
function serviceError(operation, code, message) {
  exit(254, `\nAn error occurred (${code}) when calling the ${operation} operation: ${message}\n`);
}

/** Exit as the CLI does on a parameter it cannot parse. */
function parameterError(message) {
  exit(252, `\n${message}\n`);
}

function usageError(message) {
  exit(252, `\nusage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\naws: error: ${message}\n`);
}

/** The locale's encoding is UTF-8 ($LC_ALL, else $LC_CTYPE, else $LANG: the first one set decides). */
function utf8Locale() {
  const locale = process.env.LC_ALL || process.env.LC_CTYPE || process.env.LANG || '';
  return /utf-?8/i.test(locale);
}

/**
 * Writes text output as the CLI does: in the locale's encoding unless $AWS_CLI_OUTPUT_ENCODING says otherwise. In the
 * C locale (the CLI's image sets none) that is ASCII, and a non-ASCII character stops the CLI with Python's error.
 */
function writeOutput(line) {
  const utf8 = utf8Locale() || /^utf-?8$/i.test(process.env.AWS_CLI_OUTPUT_ENCODING || '');
  const position = [...line].findIndex((character) => character.codePointAt(0) > 127);
  if (!utf8 && position >= 0) {
    const code = [...line][position].codePointAt(0);
    const escaped = code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}`
      : code < 0x10000 ? `\\u${code.toString(16).padStart(4, '0')}` : `\\U${code.toString(16).padStart(8, '0')}`;
    exit(255, `\n'ascii' codec can't encode character '${escaped}' in position ${position}: `
      + 'ordinal not in range(128)\n');
  }
  process.stdout.write(`${line}\n`);
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Runs `change` on the state under a lock (a directory: mkdir is atomic), and writes the state back, by a rename, so
 * that a reader never sees half a file. A lock left by a process killed while it held it (for milliseconds) is stale
 * after 2 s.
 */
function withState(change) {
  const lock = `${statePath}.lock`;
  for (let tries = 0; ; tries += 1) {
    try {
      fs.mkdirSync(lock);
      heldLock = lock;
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      if (tries > 1000) exit(255, `\nstand-in: the state is locked (${lock})\n`);
      try {
        if (Date.now() - fs.statSync(lock).mtimeMs > 2000) fs.rmdirSync(lock);
      } catch {
        // Released meanwhile.
      }
      sleep(5);
    }
  }
  try {
    const state = JSON.parse(fs.readFileSync(statePath, 'utf-8'));
    const result = change(state);
    const temporary = `${statePath}.${process.pid}`;
    fs.writeFileSync(temporary, JSON.stringify(state, null, 2));
    fs.renameSync(temporary, statePath);
    return result;
  } finally {
    heldLock = null;
    fs.rmdirSync(lock);
  }
}

function parseOptions(command) {
  const { required, optional = [], flags = [] } = COMMANDS[command];
  const options = {};
  for (let i = 2; i < args.length; i += 1) {
    const name = args[i].replace(/^--/, '');
    if (args[i].startsWith('--') && flags.includes(name)) {
      options[name] = true;
      continue;
    }
    if (!args[i].startsWith('--') || ![...required, ...optional].includes(name)) {
      usageError(`Unknown options: ${args[i]}`);
    }
    if (i + 1 >= args.length) usageError(`argument ${args[i]}: expected one argument`);
    options[name] = args[i + 1];
    i += 1;
  }
  const missing = required.filter((name) => options[name] === undefined);
  if (missing.length > 0) {
    usageError(`the following arguments are required: ${missing.map((name) => `--${name}`).join(', ')}`);
  }
  return options;
}

function checkQuery(options, query) {
  if (options.query !== query || options.output !== 'text') {
    usageError(`the stand-in only answers --query '${query}' --output text`);
  }
}

/** The failure the test injected for this operation (and this job, if it names one). */
function injectedFailure(state, operation, jobId) {
  return (state.failures || []).find((failure) => failure.operation === operation
    && (failure.jobId === undefined || failure.jobId === jobId));
}

function checkQueue(state, operation, url) {
  const failure = injectedFailure(state, operation);
  if (failure) serviceError(operation, failure.code, failure.message);
  // SQS answers on the JSON protocol, and the CLI shows the query protocol's code it sends along.
  if (url !== state.queue.url) {
    serviceError(operation, 'AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.');
  }
}

function checkHandle(operation, handle) {
  if (!handle.startsWith(HANDLE_PREFIX)) {
    serviceError(operation, 'ReceiptHandleIsInvalid',
      `The input receipt handle "${handle}" is not a valid receipt handle.`);
  }
}

/**
 * One receive, now: the first visible message, or null. A message already received maxReceiveCount times goes to the
 * dead-letter list instead of being received again.
 */
function receiveOnce(queue) {
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

function receiveMessage(options) {
  checkQuery(options, RECEIVE_QUERY);
  if (options['max-number-of-messages'] !== '1' || options['attribute-names'] !== 'ApproximateReceiveCount'
    || !/^([0-9]|1[0-9]|20)$/.test(options['wait-time-seconds'] ?? '')) {
    usageError('the stand-in only answers --max-number-of-messages 1 --wait-time-seconds 0 to 20 '
      + '--attribute-names ApproximateReceiveCount');
  }
  const cap = process.env.AWS_CLI_STAND_IN_WAIT_SECONDS;
  const waitSeconds = Math.min(Number(options['wait-time-seconds']), cap === undefined ? Infinity : Number(cap));
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    const message = withState((state) => {
      checkQueue(state, 'ReceiveMessage', options['queue-url']);
      return receiveOnce(state.queue);
    });
    if (message) {
      writeOutput([message.id, message.receiptHandle, message.receiveCount, message.body].join('\t'));
      return;
    }
    if (Date.now() >= deadline) break;
    sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
  }
  // No message: the answer has no Messages, and text output prints the query's null as None.
  writeOutput('None');
}

function changeMessageVisibility(options) {
  const handle = options['receipt-handle'];
  const timeout = options['visibility-timeout'];
  if (!/^\d+$/.test(timeout) || Number(timeout) > 43200) {
    usageError('the stand-in only sets a visibility timeout of 0 to 43200 seconds');
  }
  withState((state) => {
    checkQueue(state, 'ChangeMessageVisibility', options['queue-url']);
    checkHandle('ChangeMessageVisibility', handle);
    // Only the latest receive's handle of a message still in the queue changes it; SQS ignores the change of a
    // message whose visibility timeout has passed.
    const message = state.queue.messages.find((candidate) => candidate.receiptHandle === handle);
    if (!message) {
      serviceError('ChangeMessageVisibility', 'InvalidParameterValue', `Value ${handle} for parameter ReceiptHandle `
        + 'is invalid. Reason: Message does not exist or is not available for visibility timeout change.');
    }
    const now = Date.now();
    if (message.visibleAt > now) message.visibleAt = now + Number(timeout) * 1000;
  });
}

function deleteMessage(options) {
  const handle = options['receipt-handle'];
  withState((state) => {
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
}

function sendMessage(options) {
  if (options.query !== 'MessageId' || options.output !== 'text') {
    usageError("the stand-in only answers send-message --query 'MessageId' --output text");
  }
  const id = crypto.randomUUID();
  withState((state) => {
    checkQueue(state, 'SendMessage', options['queue-url']);
    state.queue.messages.push({
      id, body: options['message-body'], receiveCount: 0, visibleAt: 0, receiptHandle: null, handles: [],
    });
  });
  writeOutput(id);
}

function readState() {
  return JSON.parse(fs.readFileSync(statePath, 'utf-8'));
}

function parseJson(name, text) {
  try {
    return JSON.parse(text);
  } catch (error) {
    return parameterError(
      `Error parsing parameter '--${name}': Invalid JSON: ${error.message}\nJSON received: ${text}`);
  }
}

/**
 * Sends an operation to the DynamoDB engine in DynamoDB's JSON protocol, and exits as the CLI does on its error answer.
 * Plain HTTP rather than the AWS SDK, whose loading would cost each call more than the rest of the stand-in; the
 * engine checks that a request is signed, not its signature.
 */
function sendToDynamoDb(operation, input) {
  const body = JSON.stringify(input);
  const region = process.env.AWS_REGION;
  return new Promise((resolve, reject) => {
    const request = http.request(process.env.AWS_CLI_STAND_IN_DYNAMODB, {
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
        const answer = text === '' ? {} : JSON.parse(text);
        if (response.statusCode === 200) resolve(answer);
        // "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException": the CLI names the part after the #.
        else serviceError(operation, String(answer.__type).split('#').pop(), answer.message ?? answer.Message);
      });
    });
    request.once('error', reject);
    request.end(body);
  });
}

async function getItem(options) {
  checkQuery(options, GET_ITEM_QUERY);
  const key = parseJson('key', options.key);
  const failure = injectedFailure(readState(), 'GetItem', key.jobId?.S);
  if (failure) serviceError('GetItem', failure.code, failure.message);
  const answer = await sendToDynamoDb('GetItem', {
    TableName: options['table-name'], Key: key, ConsistentRead: options['consistent-read'] === true,
  });
  // The query's boolean, printed by text output as Python prints it.
  writeOutput(answer.Item !== undefined ? 'True' : 'False');
}

async function putItem(options) {
  const item = parseJson('item', options.item);
  const failure = injectedFailure(readState(), 'PutItem', item.jobId?.S);
  if (failure) serviceError('PutItem', failure.code, failure.message);
  await sendToDynamoDb('PutItem', {
    TableName: options['table-name'], Item: item, ConditionExpression: options['condition-expression'],
  });
  // PutItem answers {} without --return-values, and the CLI prints nothing for {}.
}

async function main() {
  const command = args.slice(0, 2).join(' ');
  if (!COMMANDS[command]) usageError(`the stand-in answers no such command: ${command}`);
  const options = parseOptions(command);
  if (!process.env.AWS_REGION && !process.env.AWS_DEFAULT_REGION) {
    exit(253, '\nYou must specify a region. You can also configure your region by running "aws configure".\n');
  }
  switch (command) {
    case 'sqs receive-message': return receiveMessage(options);
    case 'sqs change-message-visibility': return changeMessageVisibility(options);
    case 'sqs delete-message': return deleteMessage(options);
    case 'sqs send-message': return sendMessage(options);
    case 'dynamodb get-item': return getItem(options);
    default: return putItem(options);
  }
}

main().catch((error) => exit(255, `\n${error.stack}\n`));
