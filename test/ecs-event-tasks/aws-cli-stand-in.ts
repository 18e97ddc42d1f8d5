import * as fs from 'fs';
import {
  checkTextQuery, CliCall, CommandOptions, Environment, parameterError, parseOptions, serviceError, textOutput,
  usageError,
} from '../helpers/aws-cli-stand-in';

// Stand-in of the AWS CLI v2 (`aws`) for the tests of labs/ecs-event-tasks/task/process-objects.sh. It answers the
// three calls that script makes, with the options it passes, as CLI 2.31 does: s3api head-object and s3api
// list-object-versions (--query and --output text as the script asks), dynamodb put-item (attribute_not_exists). The
// bucket's object versions, the table's items and the failures to inject are a JSON file, $AWS_CLI_STAND_IN_STATE;
// put-item stores its item there. It answers in the test's process (test/helpers/aws-cli-stand-in.ts). Anything else
// is refused with exit code 252, as the CLI refuses what it cannot parse, so that the test sees it.

const QUERIES: Record<string, string> = {
  'head-object': '[ContentLength,ETag,VersionId]',
  'list-object-versions': 'Versions[?IsLatest].[Key,VersionId,Size,ETag]',
};
const COMMANDS: Record<string, CommandOptions> = {
  's3api head-object': { required: ['bucket', 'key', 'query', 'output'], optional: ['version-id'] },
  's3api list-object-versions': { required: ['bucket', 'query', 'output'], optional: ['prefix'] },
  'dynamodb put-item': { required: ['table-name', 'item'], optional: ['condition-expression'] },
};
// S3 answers ListObjectVersions in pages of up to 1,000 versions and delete markers.
const DEFAULT_PAGE_SIZE = 1000;

/** An object version or a delete marker in the state file. */
export interface ObjectVersion {
  readonly key: string;
  /** undefined: the bucket has versioning off. */
  readonly versionId?: string;
  readonly size?: number;
  readonly etag?: string;
  readonly deleteMarker?: boolean;
}

/** An item as DynamoDB JSON: the stand-in stores only S and N attributes. */
export type Item = Record<string, { S: string } | { N: string }>;

/** An item of a call, not yet checked. */
type ItemInput = Record<string, { S?: string; N?: string }>;

/** The state file, $AWS_CLI_STAND_IN_STATE. */
export interface State {
  /** Each bucket's versions and delete markers, in upload order: the last one of a key is its latest. */
  buckets: Record<string, ObjectVersion[]>;
  tables: Record<string, Item[]>;
  /** Failures to inject, by operation (and key, if one is named). */
  failures: { operation: string; key?: string; code: string; message: string }[];
  /** ListObjectVersions' page size, 1,000 unless set. */
  pageSize?: number;
}

/** The options of a call: none of these commands takes a flag, so each has a value. */
type Options = Record<string, string>;

/** Answers one call of `aws` with what it prints, or throws as the CLI exits. */
export async function answerProcessObjectsCall({ args, env }: CliCall): Promise<string> {
  const statePath = env.AWS_CLI_STAND_IN_STATE!;
  const state: State = JSON.parse(fs.readFileSync(statePath, 'utf-8'));
  const command = args.slice(0, 2).join(' ');
  if (!COMMANDS[command]) usageError(`the stand-in answers no such command: ${command}`);
  const options = parseOptions(args, COMMANDS[command]) as Options;
  if (command === 's3api head-object') {
    checkTextQuery(options, QUERIES['head-object']);
    return headObject(state, options, env);
  }
  if (command === 's3api list-object-versions') {
    checkTextQuery(options, QUERIES['list-object-versions']);
    return listObjectVersions(state, options, env);
  }
  putItem(state, options);
  fs.writeFileSync(statePath, JSON.stringify(state, null, 2));
  // PutItem answers {} without --return-values, and the CLI prints nothing for {}.
  return '';
}

/** The failure the test injected for this operation (and this key, if it names one). */
function injectedFailure(state: State, operation: string, key?: string) {
  return (state.failures || []).find((failure) => failure.operation === operation
    && (failure.key === undefined || failure.key === key));
}

function bucketOf(state: State, operation: string, name: string): ObjectVersion[] {
  const versions = state.buckets[name];
  if (!versions) serviceError(operation, operation === 'HeadObject' ? '404' : 'NoSuchBucket', 'Not Found');
  return versions;
}

/** Versions and delete markers, in upload order: the last one of a key is its latest. */
function isLatest(versions: ObjectVersion[], entry: ObjectVersion): boolean {
  return versions.filter((other) => other.key === entry.key).at(-1) === entry;
}

function headObject(state: State, options: Options, env: Environment): string {
  const failure = injectedFailure(state, 'HeadObject', options.key);
  if (failure) serviceError('HeadObject', failure.code, failure.message);
  const versions = bucketOf(state, 'HeadObject', options.bucket);
  const entry = options['version-id'] === undefined
    ? versions.filter((version) => version.key === options.key).at(-1)
    : versions.find((version) => version.key === options.key && version.versionId === options['version-id']);
  // HEAD answers have no body: the CLI can only show the status code and its reason.
  if (!entry || (entry.deleteMarker && options['version-id'] === undefined)) {
    serviceError('HeadObject', '404', 'Not Found');
  }
  if (entry.deleteMarker) serviceError('HeadObject', '405', 'Method Not Allowed');
  // An unversioned bucket's answer has no VersionId, which text output prints as None.
  return textOutput(env, [[entry.size, entry.etag, entry.versionId ?? 'None'].join('\t')]);
}

function listObjectVersions(state: State, options: Options, env: Environment): string {
  const failure = injectedFailure(state, 'ListObjectVersions');
  if (failure) serviceError('ListObjectVersions', failure.code, failure.message);
  const versions = bucketOf(state, 'ListObjectVersions', options.bucket);
  const prefix = options.prefix || '';
  // S3's order: keys in UTF-8 binary order, each key's newest first.
  const listed = versions
    .map((entry, index) => ({ entry, index }))
    .filter(({ entry }) => entry.key.startsWith(prefix))
    .sort((a, b) => Buffer.compare(Buffer.from(a.entry.key), Buffer.from(b.entry.key)) || b.index - a.index)
    .map(({ entry }) => entry);
  const pageSize = state.pageSize || DEFAULT_PAGE_SIZE;
  const lines: string[] = [];
  // The CLI applies --query to each page: a page without Versions prints None, one without a latest version nothing.
  for (let start = 0; start === 0 || start < listed.length; start += pageSize) {
    const page = listed.slice(start, start + pageSize).filter((entry) => !entry.deleteMarker);
    if (page.length === 0) lines.push('None');
    for (const entry of page.filter((version) => isLatest(versions, version))) {
      // ListObjectVersions names the version of an object put while versioning was off "null".
      lines.push([entry.key, entry.versionId ?? 'null', entry.size, entry.etag].join('\t'));
    }
  }
  return textOutput(env, lines);
}

function putItem(state: State, options: Options): void {
  let item: ItemInput;
  try {
    item = JSON.parse(options.item);
  } catch (error) {
    parameterError(`Error parsing parameter '--item': Invalid JSON: ${(error as Error).message}\n`
      + `JSON received: ${options.item}`);
  }
  const items = state.tables[options['table-name']] as ItemInput[];
  if (!items) serviceError('PutItem', 'ResourceNotFoundException', 'Requested resource not found');
  for (const [name, value] of Object.entries(item)) {
    const types = Object.keys(value) as ('S' | 'N')[];
    if (types.length !== 1 || !['S', 'N'].includes(types[0]) || typeof value[types[0]] !== 'string') {
      usageError(`the stand-in only stores S and N attributes, got ${name}: ${JSON.stringify(value)}`);
    }
    if (types[0] === 'N' && !/^-?\d+(\.\d+)?$/.test(value.N!)) {
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
  const failure = injectedFailure(state, 'PutItem', item.objectKey.S);
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
}
