#!/usr/bin/env node
// Stand-in of the AWS CLI v2 (`aws`) for the tests of labs/ecs-event-tasks/task/process-objects.sh. It answers the
// three calls that script makes, with the options it passes, as CLI 2.31 does: s3api head-object and s3api
// list-object-versions (--query and --output text as the script asks), dynamodb put-item (attribute_not_exists). The
// bucket's object versions, the table's items and the failures to inject are a JSON file, $AWS_CLI_STAND_IN_STATE;
// put-item stores its item there. Each call's arguments are appended to $AWS_CLI_STAND_IN_CALLS as one JSON line.
// Anything else is refused with exit code 252, as the CLI refuses what it cannot parse, so that the test sees it.
'use strict';
const fs = require('fs');

const QUERIES = {
  'head-object': '[ContentLength,ETag,VersionId]',
  'list-object-versions': 'Versions[?IsLatest].[Key,VersionId,Size,ETag]',
};
const COMMANDS = {
  's3api head-object': { required: ['bucket', 'key', 'query', 'output'], optional: ['version-id'] },
  's3api list-object-versions': { required: ['bucket', 'query', 'output'], optional: ['prefix'] },
  'dynamodb put-item': { required: ['table-name', 'item'], optional: ['condition-expression'] },
};
// S3 answers ListObjectVersions in pages of up to 1,000 versions and delete markers.
const DEFAULT_PAGE_SIZE = 1000;

const args = process.argv.slice(2);
fs.appendFileSync(process.env.AWS_CLI_STAND_IN_CALLS, `${JSON.stringify(args)}\n`);
const statePath = process.env.AWS_CLI_STAND_IN_STATE;
const state = JSON.parse(fs.readFileSync(statePath, 'utf-8'));

function exit(code, stderr = '') {
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
function writeOutput(lines) {
  const utf8 = utf8Locale() || /^utf-?8$/i.test(process.env.AWS_CLI_OUTPUT_ENCODING || '');
  for (const line of lines) {
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
}

function saveState() {
  fs.writeFileSync(statePath, JSON.stringify(state, null, 2));
}

/** The failure the test injected for this operation (and this key, if it names one). */
function injectedFailure(operation, key) {
  return (state.failures || []).find((failure) => failure.operation === operation
    && (failure.key === undefined || failure.key === key));
}

function parseOptions(command) {
  const spec = COMMANDS[command];
  const options = {};
  for (let i = 2; i < args.length; i += 2) {
    const name = args[i].replace(/^--/, '');
    if (!args[i].startsWith('--') || ![...spec.required, ...spec.optional].includes(name)) {
      usageError(`Unknown options: ${args[i]}`);
    }
    if (i + 1 >= args.length) usageError(`argument ${args[i]}: expected one argument`);
    options[name] = args[i + 1];
  }
  const missing = spec.required.filter((name) => options[name] === undefined);
  if (missing.length > 0) {
    usageError(`the following arguments are required: ${missing.map((name) => `--${name}`).join(', ')}`);
  }
  return options;
}

function checkQuery(command, options) {
  if (options.query !== QUERIES[command] || options.output !== 'text') {
    usageError(`the stand-in only answers --query '${QUERIES[command]}' --output text`);
  }
}

function bucketOf(operation, name) {
  const versions = state.buckets[name];
  if (!versions) serviceError(operation, operation === 'HeadObject' ? '404' : 'NoSuchBucket', 'Not Found');
  return versions;
}

/** Versions and delete markers, in upload order: the last one of a key is its latest. */
function isLatest(versions, entry) {
  return versions.filter((other) => other.key === entry.key).at(-1) === entry;
}

function headObject(options) {
  const failure = injectedFailure('HeadObject', options.key);
  if (failure) serviceError('HeadObject', failure.code, failure.message);
  const versions = bucketOf('HeadObject', options.bucket);
  const entry = options['version-id'] === undefined
    ? versions.filter((version) => version.key === options.key).at(-1)
    : versions.find((version) => version.key === options.key && version.versionId === options['version-id']);
  // HEAD answers have no body: the CLI can only show the status code and its reason.
  if (!entry || (entry.deleteMarker && options['version-id'] === undefined)) {
    serviceError('HeadObject', '404', 'Not Found');
  }
  if (entry.deleteMarker) serviceError('HeadObject', '405', 'Method Not Allowed');
  // An unversioned bucket's answer has no VersionId, which text output prints as None.
  writeOutput([[entry.size, entry.etag, entry.versionId ?? 'None'].join('\t')]);
}

function listObjectVersions(options) {
  const failure = injectedFailure('ListObjectVersions');
  if (failure) serviceError('ListObjectVersions', failure.code, failure.message);
  const versions = bucketOf('ListObjectVersions', options.bucket);
  const prefix = options.prefix || '';
  // S3's order: keys in UTF-8 binary order, each key's newest first.
  const listed = versions
    .map((entry, index) => ({ entry, index }))
    .filter(({ entry }) => entry.key.startsWith(prefix))
    .sort((a, b) => Buffer.compare(Buffer.from(a.entry.key), Buffer.from(b.entry.key)) || b.index - a.index)
    .map(({ entry }) => entry);
  const pageSize = state.pageSize || DEFAULT_PAGE_SIZE;
  const lines = [];
  // The CLI applies --query to each page: a page without Versions prints None, one without a latest version nothing.
  for (let start = 0; start === 0 || start < listed.length; start += pageSize) {
    const page = listed.slice(start, start + pageSize).filter((entry) => !entry.deleteMarker);
    if (page.length === 0) lines.push('None');
    for (const entry of page.filter((version) => isLatest(versions, version))) {
      // ListObjectVersions names the version of an object put while versioning was off "null".
      lines.push([entry.key, entry.versionId ?? 'null', entry.size, entry.etag].join('\t'));
    }
  }
  writeOutput(lines);
}

function putItem(options) {
  let item;
  try {
    item = JSON.parse(options.item);
  } catch (error) {
    parameterError(`Error parsing parameter '--item': Invalid JSON: ${error.message}\nJSON received: ${options.item}`);
  }
  const items = state.tables[options['table-name']];
  if (!items) serviceError('PutItem', 'ResourceNotFoundException', 'Requested resource not found');
  for (const [name, value] of Object.entries(item)) {
    const types = Object.keys(value);
    if (types.length !== 1 || !['S', 'N'].includes(types[0]) || typeof value[types[0]] !== 'string') {
      usageError(`the stand-in only stores S and N attributes, got ${name}: ${JSON.stringify(value)}`);
    }
    if (types[0] === 'N' && !/^-?\d+(\.\d+)?$/.test(value.N)) {
      serviceError('PutItem', 'ValidationException', 'A value provided cannot be converted into a number');
    }
  }
  for (const name of ['objectKey', 'versionId']) {
    if (!item[name]) {
      serviceError('PutItem', 'ValidationException',
        `One or more parameter values were invalid: Missing the key ${name} in the item`);
    }
    if (item[name].S === undefined) {
      serviceError('PutItem', 'ValidationException',
        `One or more parameter values were invalid: Type mismatch for key ${name} expected: S actual: N`);
    }
    if (item[name].S === '') {
      serviceError('PutItem', 'ValidationException', 'One or more parameter values are not valid. The AttributeValue '
        + `for a key attribute cannot contain an empty string value. Key: ${name}`);
    }
  }
  const failure = injectedFailure('PutItem', item.objectKey.S);
  if (failure) serviceError('PutItem', failure.code, failure.message);
  const condition = options['condition-expression'];
  if (condition !== undefined && condition !== 'attribute_not_exists(objectKey)') {
    usageError('the stand-in only evaluates the condition attribute_not_exists(objectKey)');
  }
  const existing = items.findIndex((stored) => stored.objectKey.S === item.objectKey.S
    && stored.versionId.S === item.versionId.S);
  if (existing >= 0 && condition !== undefined) {
    serviceError('PutItem', 'ConditionalCheckFailedException', 'The conditional request failed');
  }
  if (existing >= 0) items[existing] = item;
  else items.push(item);
  saveState();
  // PutItem answers {} without --return-values, and the CLI prints nothing for {}.
}

const command = args.slice(0, 2).join(' ');
if (!COMMANDS[command]) usageError(`the stand-in answers no such command: ${command}`);
const options = parseOptions(command);
if (command === 's3api head-object') {
  checkQuery('head-object', options);
  headObject(options);
} else if (command === 's3api list-object-versions') {
  checkQuery('list-object-versions', options);
  listObjectVersions(options);
} else {
  putItem(options);
}
