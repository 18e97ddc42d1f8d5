import * as fs from 'fs';
import * as path from 'path';
import { DefaultStackSynthesizer } from 'aws-cdk-lib';
import {
  CDK_QUALIFIER, PLACEHOLDERS, PROJECT_TAG, resolvePlaceholders, STUDENT_POLICY, studentActions, StudentStatement,
} from '../../lib/classroom/student-policy';
import { LAB_NAMES } from '../../lib/lab-names';
import { name as project } from '../../package.json';

// The students' policy against the AWS calls the tools make with the student's credentials, read from their source:
// every `new XxxCommand(` and `paginateXxx(` of an AWS SDK client in the folders below, whatever exists when the test
// runs, so a tool's new call fails here until the policy allows it.

const ROOT = path.join(__dirname, '..', '..');
const SCANNED = ['lib/verify', 'lib/leftovers', 'lib/preflight', 'lib/aws', 'lib/classroom'];

/** Files under SCANNED whose AWS calls never use the student's credentials, and why. */
const NOT_THE_STUDENTS: Readonly<Record<string, string>> = {
  'lib/verify/local-lab.ts': 'verify --local calls npm run local on this machine, through clients of its own with '
    + 'fixed local keys',
};

/** The IAM service prefix of each AWS SDK client package. */
const SERVICE_PREFIX: Readonly<Record<string, string>> = {
  'client-auto-scaling': 'autoscaling',
  'client-cloudformation': 'cloudformation',
  'client-cloudwatch-logs': 'logs',
  'client-dynamodb': 'dynamodb',
  'client-ec2': 'ec2',
  'client-ecs': 'ecs',
  'client-elastic-beanstalk': 'elasticbeanstalk',
  'client-elastic-load-balancing-v2': 'elasticloadbalancing',
  'client-iam': 'iam',
  'client-lambda': 'lambda',
  'client-resource-groups-tagging-api': 'tag',
  'client-s3': 's3',
  'client-service-quotas': 'servicequotas',
  'client-sqs': 'sqs',
  'client-ssm': 'ssm',
  'client-sts': 'sts',
};

/**
 * Calls whose IAM actions are not `<prefix>:<operation>`, checked against the Service Authorization Reference (the
 * actions table of each service): `package:Operation` -> actions.
 */
const ACTIONS_OF: Readonly<Record<string, readonly string[]>> = {
  // ListObjectsV2 is authorized as s3:ListBucket, ListBuckets as s3:ListAllMyBuckets.
  'client-s3:ListObjectsV2': ['s3:ListBucket'],
  'client-s3:ListBuckets': ['s3:ListAllMyBuckets'],
  // With a VersionId (a versioned bucket), DeleteObject is authorized as s3:DeleteObjectVersion.
  'client-s3:DeleteObject': ['s3:DeleteObject', 's3:DeleteObjectVersion'],
  // A batch is authorized as the single operation.
  'client-sqs:SendMessageBatch': ['sqs:SendMessage'],
  'client-lambda:Invoke': ['lambda:InvokeFunction'],
  // RunTask passes the task definition's task and execution roles to ECS.
  'client-ecs:RunTask': ['ecs:RunTask', 'iam:PassRole'],
  // Needs no permission: AWS answers it even when an explicit deny covers it.
  'client-sts:GetCallerIdentity': [],
};

/** What the CDK CLI does with the student's credentials beyond sts:GetCallerIdentity: assume the bootstrap roles. */
const CDK_CLI_ACTIONS = ['sts:AssumeRole'];

interface SdkCall {
  readonly file: string;
  readonly pkg: string;
  readonly operation: string;
}

/**
 * The SDK operations a source file calls: commands it constructs (`new GetItemCommand(`) and paginators it runs
 * (`paginateGetResources(`), with the client package each is imported (or required) from. Type-only imports are not
 * calls; an alias (`import { X as Y }`) is followed.
 */
function sdkCalls(file: string, source: string): SdkCall[] {
  const calls: SdkCall[] = [];
  const imports = [
    ...source.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s*from\s*'@aws-sdk\/([\w-]+)'/g),
    ...source.matchAll(/const\s+()\{([^}]*)\}\s*=\s*require\('@aws-sdk\/([\w-]+)'\)/g),
  ];
  for (const [, typeOnly, names, pkg] of imports) {
    if (typeOnly) continue;
    for (const entry of names.split(',').map((name) => name.trim()).filter(Boolean)) {
      if (entry.startsWith('type ')) continue;
      const [imported, local = imported] = entry.split(/\s+as\s+|\s*:\s*/);
      const command = /^(\w+)Command$/.exec(imported)?.[1];
      const paginated = /^paginate(\w+)$/.exec(imported)?.[1];
      const used = command
        ? new RegExp(`new\\s+${local}\\(`).test(source)
        : paginated !== undefined && new RegExp(`(?<![\\w.])${local}\\(`).test(source);
      if (used) calls.push({ file, pkg, operation: (command ?? paginated)! });
    }
  }
  return calls;
}

/** The IAM actions of a call; throws for a client package this test does not know. */
function actionsOf({ pkg, operation }: Pick<SdkCall, 'pkg' | 'operation'>): readonly string[] {
  const prefix = SERVICE_PREFIX[pkg];
  if (prefix === undefined) {
    throw new Error(`no IAM service prefix known for @aws-sdk/${pkg}: add it to SERVICE_PREFIX`);
  }
  return ACTIONS_OF[`${pkg}:${operation}`] ?? [`${prefix}:${operation}`];
}

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(path.join(ROOT, dir))) return [];
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return entry.name.endsWith('.ts') ? [file] : [];
  });
}

const scannedFiles = SCANNED.flatMap(sourceFiles).filter((file) => !(file in NOT_THE_STUDENTS));
const calls = scannedFiles.flatMap((file) => sdkCalls(file, fs.readFileSync(path.join(ROOT, file), 'utf-8')));
const allowed = (action: string) => STUDENT_POLICY.some((statement) => statement.actions.includes(action));

describe('the scan of the tools\' AWS calls', () => {
  test('finds commands and paginators in verify, leftovers and preflight (the checks below have something to check)',
    () => {
      const found = calls.map(({ file, operation }) => `${file} ${operation}`);
      expect(found).toEqual(expect.arrayContaining([
        'lib/verify/labs/s3-uploads.ts PutObject',
        'lib/leftovers/find-leftovers.ts GetResources',
        'lib/preflight/quotas.ts DescribeInstances',
        'lib/aws/stack-outputs.ts DescribeStacks',
      ]));
    });

  test('reads a constructed command and a run paginator, following an alias, and skips type-only imports '
    + 'and names that are imported but not called', () => {
    const source = [
      'import { GetItemCommand as Get, QueryCommand, paginateScan } from \'@aws-sdk/client-dynamodb\';',
      'import type { PutItemCommand } from \'@aws-sdk/client-dynamodb\';',
      'import { type DeleteItemCommand, paginateQuery } from \'@aws-sdk/client-dynamodb\';',
      'const { ListTablesCommand } = require(\'@aws-sdk/client-dynamodb\');',
      'await client.send(new Get({})); for await (const page of paginateScan({ client }, {})) {}',
      'await client.send(new ListTablesCommand({})); let q: QueryCommand; new PutItemCommand({});',
      'client.paginateQuery({});',
    ].join('\n');
    expect(sdkCalls('x.ts', source).map((call) => call.operation)).toEqual(['GetItem', 'Scan', 'ListTables']);
  });

  test('maps a call to <prefix>:<operation>, or to the actions IAM authorizes it as', () => {
    expect(actionsOf({ pkg: 'client-cloudwatch-logs', operation: 'DescribeLogGroups' }))
      .toEqual(['logs:DescribeLogGroups']);
    expect(actionsOf({ pkg: 'client-s3', operation: 'ListObjectsV2' })).toEqual(['s3:ListBucket']);
    expect(actionsOf({ pkg: 'client-sts', operation: 'GetCallerIdentity' })).toEqual([]);
  });

  test('fails on a client package whose service prefix it does not know', () => {
    expect(() => actionsOf({ pkg: 'client-kinesis', operation: 'PutRecord' }))
      .toThrow('no IAM service prefix known for @aws-sdk/client-kinesis');
  });

  test('every exception to <prefix>:<operation> is a call a tool makes, so the list stays true', () => {
    const made = new Set(calls.map(({ pkg, operation }) => `${pkg}:${operation}`));
    expect(Object.keys(ACTIONS_OF).filter((call) => !made.has(call))).toEqual([]);
  });

  test('each file left out exists and makes its calls through clients of its own', () => {
    for (const file of Object.keys(NOT_THE_STUDENTS)) {
      expect(fs.readFileSync(path.join(ROOT, file), 'utf-8')).toMatch(/new (LambdaClient|S3Client|DynamoDBClient)\(/);
    }
  });
});

describe('the students\' policy', () => {
  test('allows every AWS call that verify, leftovers, preflight and class status make', () => {
    const missing = calls.flatMap((call) => actionsOf(call).filter((action) => !allowed(action))
      .map((action) => `${call.file}: ${call.operation} needs ${action}`));
    expect(missing).toEqual([]);
  });

  test('allows nothing that neither the tools nor the CDK CLI call', () => {
    const needed = new Set([...calls.flatMap((call) => actionsOf(call)), ...CDK_CLI_ACTIONS]);
    expect(studentActions().filter((action) => !needed.has(action))).toEqual([]);
  });

  test('lets the CLI assume exactly the four bootstrap roles that aws-cdk-lib\'s default synthesizer names', () => {
    expect(CDK_QUALIFIER).toBe(DefaultStackSynthesizer.DEFAULT_QUALIFIER);
    const roles = [
      DefaultStackSynthesizer.DEFAULT_DEPLOY_ROLE_ARN,
      DefaultStackSynthesizer.DEFAULT_FILE_ASSET_PUBLISHING_ROLE_ARN,
      DefaultStackSynthesizer.DEFAULT_IMAGE_ASSET_PUBLISHING_ROLE_ARN,
      DefaultStackSynthesizer.DEFAULT_LOOKUP_ROLE_ARN,
    ].map((arn) => arn.replace('${Qualifier}', CDK_QUALIFIER));
    const assume = STUDENT_POLICY.filter((statement) => statement.actions.includes('sts:AssumeRole'));
    expect(assume.flatMap((statement) => statement.resources)).toEqual(roles);
  });

  test('gives no IAM write but passing the labs\' roles to ECS tasks', () => {
    expect(iamWrites(STUDENT_POLICY)).toEqual([]);
    // The check itself: a write, and a PassRole to any service, are found.
    expect(iamWrites([
      { sid: 'A', actions: ['iam:CreateUser', 'iam:GetRole'], resources: ['*'], why: 'x' },
      { sid: 'B', actions: ['iam:PassRole'], resources: ['*'], why: 'x' },
    ])).toEqual(['iam:CreateUser', 'iam:PassRole']);
  });

  test('names every action in full, without wildcards, and every statement has a Sid of letters and digits '
    + 'and a reason', () => {
    expect(studentActions().filter((action) => !/^[a-z0-9-]+:[A-Za-z0-9]+$/.test(action))).toEqual([]);
    const sids = STUDENT_POLICY.map((statement) => statement.sid);
    expect(sids.filter((sid) => !/^[A-Za-z0-9]+$/.test(sid))).toEqual([]);
    expect(new Set(sids).size).toBe(sids.length);
    expect(STUDENT_POLICY.filter((statement) => statement.why.trim().length < 20)).toEqual([]);
  });

  test('scopes every write to the project\'s resources: by a tag, a lab\'s name or verify\'s own keys', () => {
    const writes = STUDENT_POLICY.filter((statement) => statement.actions
      .some((action) => /:(Put|Delete|Send|Invoke|Run|Pass|BatchWrite)/.test(action)));
    expect(writes.map((statement) => statement.sid)).toEqual([
      'VerifyLabTables', 'VerifyTestObjects', 'VerifyLabQueues', 'VerifyLabFunctions', 'VerifyLabTasks',
      'PassLabTaskRoles',
    ]);
    for (const statement of writes) {
      const tagged = Object.values(statement.conditions ?? {})
        .some((keys) => Object.entries(keys).some(([key, value]) => key.endsWith(`ResourceTag/${PROJECT_TAG.key}`)
          && value === PROJECT_TAG.value));
      const named = statement.resources.every((resource) => /Lab-\*$|\/\*verify \*$/.test(resource));
      expect({ sid: statement.sid, scoped: tagged || named }).toEqual({ sid: statement.sid, scoped: true });
    }
  });

  test('tags by the project the app tags every resource with (package.json\'s name)', () => {
    expect(PROJECT_TAG).toEqual({ key: 'project', value: project });
  });

  test('matches the tables of every lab\'s stack, a student\'s copy too, and no other stack\'s', () => {
    const tables = STUDENT_POLICY.find((statement) => statement.sid === 'VerifyLabTables')!.resources
      .map((resource) => resolvePlaceholders(resource, { partition: 'aws', region: 'us-east-1', account: '1' }));
    const table = (name: string) => `arn:aws:dynamodb:us-east-1:1:table/${name}`;
    for (const lab of LAB_NAMES) {
      expect(tables.some((pattern) => globMatches(pattern, table(`${lab}-Table7B3C8D7C-1A2B3C4D5E6F`)))).toBe(true);
      expect(tables.some((pattern) => globMatches(pattern, table(`alice-${lab}-T-1A2B`)))).toBe(true);
    }
    expect(tables.some((pattern) => globMatches(pattern, table('BillingStack-Table-1A2B')))).toBe(false);
    expect(tables.some((pattern) => globMatches(pattern, table('S3UploadsLab')))).toBe(false);
    expect(tables.some((pattern) => globMatches(pattern.replace(':us-east-1:', ':eu-west-1:'),
      table('S3UploadsLab-T-1')))).toBe(false);
  });

  test('matches the test file that verify uploads, under any key prefix, and not the lab\'s other objects', () => {
    const [objects] = STUDENT_POLICY.find((statement) => statement.sid === 'VerifyTestObjects')!.resources
      .map((resource) => resolvePlaceholders(resource, { partition: 'aws', region: 'us-east-1', account: '1' }));
    const uuid = '0b6b1f2e-98a5-4a0e-9d7f-3c1f0f1a2b3c';
    expect(globMatches(objects, `arn:aws:s3:::s3uploadslab-bucket-1a/uploads/verify ${uuid} é.txt`)).toBe(true);
    expect(globMatches(objects, `arn:aws:s3:::alice-ecseventtas-bucket-1a/in/verify ${uuid} é.txt`)).toBe(true);
    expect(globMatches(objects, 'arn:aws:s3:::s3uploadslab-bucket-1a/uploads/photo.jpg')).toBe(false);
    expect(globMatches(objects, 'arn:aws:s3:::s3uploadslab-bucket-1a/uploads/verify-me.txt')).toBe(false);
  });

  test('is what verify uploads: each test file is named <KeyPrefix>verify <uuid> ...', () => {
    const uploaders = scannedFiles.filter((file) => calls
      .some((call) => call.file === file && call.operation === 'PutObject'));
    expect(uploaders).toEqual(['lib/verify/labs/ecs-event-tasks.ts', 'lib/verify/labs/s3-uploads.ts']);
    for (const file of uploaders) {
      expect(fs.readFileSync(path.join(ROOT, file), 'utf-8'))
        .toContain('const key = `${outputs.KeyPrefix}verify ${randomUUID()}');
    }
  });

  test('holds no placeholder but the three it documents', () => {
    expect(unknownPlaceholders(JSON.stringify(STUDENT_POLICY))).toEqual([]);
    expect(unknownPlaceholders('arn:${AWS::Partition}:x:${AWS::URLSuffix}:${aws:username}'))
      .toEqual(['${AWS::URLSuffix}', '${aws:username}']);
  });

  test('fits a managed policy (6,144 characters without whitespace) in the longest partition and region', () => {
    const document = JSON.stringify(policyDocument({
      partition: 'aws-iso-b', region: 'ap-southeast-5', account: '123456789012',
    }));
    expect(document.replace(/\s/g, '').length).toBeLessThanOrEqual(6144);
  });
});

describe('resolvePlaceholders', () => {
  const values = { partition: 'aws-cn', region: 'cn-north-1', account: '123456789012' };

  test('replaces each of the three placeholders, every time it appears', () => {
    expect(resolvePlaceholders(
      'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-x-${AWS::AccountId}-${AWS::Region}', values,
    )).toBe('arn:aws-cn:iam::123456789012:role/cdk-x-123456789012-cn-north-1');
    expect(Object.values(PLACEHOLDERS)).toEqual(['${AWS::Partition}', '${AWS::Region}', '${AWS::AccountId}']);
  });

  test('leaves text without them as it is', () => {
    expect(resolvePlaceholders('arn:aws:s3:::*/*verify *', values)).toBe('arn:aws:s3:::*/*verify *');
    expect(resolvePlaceholders('${AWS::StackName}', values)).toBe('${AWS::StackName}');
  });
});

/** The IAM actions that change IAM, but iam:PassRole conditioned on the service it passes to. */
function iamWrites(policy: readonly StudentStatement[]): string[] {
  return policy.flatMap((statement) => statement.actions.filter((action) => {
    if (!action.startsWith('iam:') || /^iam:(Get|List|Simulate)/.test(action)) return false;
    return action !== 'iam:PassRole' || statement.conditions?.StringEquals?.['iam:PassedToService'] === undefined;
  }));
}

function unknownPlaceholders(text: string): string[] {
  const known: readonly string[] = Object.values(PLACEHOLDERS);
  return [...text.matchAll(/\$\{[^}]*\}/g)].map(([placeholder]) => placeholder)
    .filter((placeholder) => !known.includes(placeholder));
}

/** IAM's matching of a resource pattern: `*` any characters, `?` one; case-sensitive. */
function globMatches(pattern: string, value: string): boolean {
  const regex = pattern.split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${regex}$`, 's').test(value);
}

function policyDocument(values: Parameters<typeof resolvePlaceholders>[1]) {
  const resolve = (text: string) => resolvePlaceholders(text, values);
  return {
    Version: '2012-10-17',
    Statement: STUDENT_POLICY.map((statement) => ({
      Sid: statement.sid,
      Effect: 'Allow',
      Action: statement.actions,
      Resource: statement.resources.map(resolve),
      ...(statement.conditions ? {
        Condition: JSON.parse(resolve(JSON.stringify(statement.conditions))),
      } : {}),
    })),
  };
}
