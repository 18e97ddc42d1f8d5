import { LAB_NAMES } from '../lab-names';
import { name as project } from '../../package.json';

/**
 * What a student may do in the class's account, as plain data (no AWS or CDK code, so any tool loads it at once):
 * deploy, diff and destroy labs through the CDK bootstrap roles, and run `npm run verify`, `leftovers`, `preflight`
 * and `class status`. ClassroomSetup turns these statements into the students' managed policy; preflight simulates
 * them for the caller (`--student`); test/classroom/student-policy.test.ts derives the actions from the tools' AWS
 * calls and fails when a call is not allowed here, or an action here is called by nothing.
 *
 * Placeholders: resources and condition values may hold exactly these three, written as in CloudFormation's
 * `Fn::Sub`: `${AWS::Partition}`, `${AWS::Region}` and `${AWS::AccountId}`. No other `${...}` appears (no IAM policy
 * variable), so `Fn.sub(text)` works as is, and so does `resolvePlaceholders(text, { partition: Aws.PARTITION,
 * region: Aws.REGION, account: Aws.ACCOUNT_ID })` (tokens are strings). `${AWS::Region}` is the class's region:
 * the region ClassroomSetup is deployed to.
 *
 * What IAM cannot say here: "only the student's own stack". One policy serves the whole class, and the CDK's deploy
 * role, which every student assumes, may update or delete any stack of the account; so a student can destroy,
 * verify or read another student's lab. Writes are scoped to the project's resources (tag `project`, or names the
 * labs' stacks produce) so that nothing else in the account can be written; isolating students from each other
 * needs an account, or bootstrap roles and a policy, per student.
 */

/** A statement of the students' policy: Effect Allow, always. */
export interface StudentStatement {
  /** The statement's Sid: letters and digits. */
  readonly sid: string;
  readonly actions: readonly string[];
  /** ARNs, with the placeholders above, or `*` where the actions have no resource-level permissions. */
  readonly resources: readonly string[];
  /** IAM condition operators to condition keys to one value each: `{ StringEquals: { 'aws:ResourceTag/x': 'y' } }`. */
  readonly conditions?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Why the student needs these actions, and why the resources are scoped as they are: one line. */
  readonly why: string;
}

/** The placeholders resources and condition values may hold, by the value that replaces each. */
export const PLACEHOLDERS = {
  partition: '${AWS::Partition}',
  region: '${AWS::Region}',
  account: '${AWS::AccountId}',
} as const;

export type PlaceholderValues = { readonly [K in keyof typeof PLACEHOLDERS]: string };

/** The text with each placeholder replaced: `arn:${AWS::Partition}:...` -> `arn:aws:...`. */
export function resolvePlaceholders(text: string, values: PlaceholderValues): string {
  return text
    .split(PLACEHOLDERS.partition).join(values.partition)
    .split(PLACEHOLDERS.region).join(values.region)
    .split(PLACEHOLDERS.account).join(values.account);
}

/** The qualifier of the default `cdk bootstrap`, in its roles' names (aws-cdk-lib's DefaultStackSynthesizer). */
export const CDK_QUALIFIER = 'hnb659fds';

/** The tag every resource of the labs carries (lib/guardrails): `project=aws-compute-labs`. */
export const PROJECT_TAG = { key: 'project', value: project } as const;

const { partition: P, region: R, account: A } = PLACEHOLDERS;
const iamArn = (resource: string) => `arn:${P}:iam::${A}:${resource}`;
const regionalArn = (service: string, resource: string) => `arn:${P}:${service}:${R}:${A}:${resource}`;
const taggedProject = { StringEquals: { [`aws:ResourceTag/${PROJECT_TAG.key}`]: PROJECT_TAG.value } };

export const STUDENT_POLICY: readonly StudentStatement[] = [
  {
    sid: 'CdkBootstrapRoles',
    actions: ['sts:AssumeRole'],
    resources: ['deploy', 'file-publishing', 'image-publishing', 'lookup']
      .map((role) => iamArn(`role/cdk-${CDK_QUALIFIER}-${role}-role-${A}-${R}`)),
    why: 'cdk deploy, diff and destroy: the CLI reads the bootstrap version and the stacks, publishes assets and '
      + 'deploys through these roles of the class\'s account and region, with the student\'s own credentials only '
      + 'for sts:GetCallerIdentity (no permission needed)',
  },
  {
    sid: 'ReadWithoutResourceScope',
    actions: [
      'autoscaling:DescribeAutoScalingGroups',
      'cloudformation:DescribeStacks',
      'cloudformation:GetTemplate',
      'cloudformation:ListExports',
      'cloudformation:ListStacks',
      'ec2:DescribeAddresses',
      'ec2:DescribeImages',
      'ec2:DescribeInstanceTypes',
      'ec2:DescribeInstances',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeSnapshots',
      'ec2:DescribeVpcs',
      'ecs:DescribeServices',
      'ecs:DescribeTaskDefinition',
      'ecs:DescribeTasks',
      'ecs:ListTasks',
      'elasticbeanstalk:DescribeConfigurationSettings',
      'elasticbeanstalk:DescribeEnvironments',
      'elasticbeanstalk:DescribePlatformVersion',
      'elasticbeanstalk:ListPlatformVersions',
      'elasticloadbalancing:DescribeLoadBalancers',
      'elasticloadbalancing:DescribeTargetHealth',
      'logs:DescribeLogGroups',
      's3:ListAllMyBuckets',
      'servicequotas:GetAWSDefaultServiceQuota',
      'servicequotas:GetServiceQuota',
      'sqs:GetQueueAttributes',
      'tag:GetResources',
    ],
    resources: ['*'],
    why: 'reads only: most have no resource-level permissions, and class status, leftovers and preflight read '
      + 'across every lab stack of the account',
  },
  {
    sid: 'ReadBuckets',
    actions: ['s3:GetBucketVersioning', 's3:ListBucket'],
    resources: [`arn:${P}:s3:::*`],
    why: 'leftovers counts the objects of a bucket a stack left (its name is CloudFormation\'s) and of Elastic '
      + 'Beanstalk\'s bucket: reads of bucket listings, not of objects',
  },
  {
    sid: 'ReadParameters',
    actions: ['ssm:GetParameter'],
    resources: [
      `arn:${P}:ssm:${R}::parameter/aws/service/global-infrastructure/*`,
      regionalArn('ssm', `parameter/cdk-bootstrap/${CDK_QUALIFIER}/version`),
    ],
    why: 'preflight: AWS\'s public parameters of the services a region offers, and the bootstrap version; '
      + 'no other parameter',
  },
  {
    sid: 'ReadServiceAndOwnRoles',
    actions: ['iam:GetRole'],
    resources: [iamArn('role/aws-service-role/*'), iamArn('role/aws-reserved/sso.amazonaws.com/*')],
    why: 'preflight and leftovers read the service-linked roles; preflight reads a student\'s IAM Identity Center '
      + 'role for its path, which the session ARN lacks',
  },
  {
    sid: 'SimulateOwnPermissions',
    actions: ['iam:SimulatePrincipalPolicy'],
    resources: [iamArn('user/*'), iamArn('role/*')],
    why: 'preflight --student simulates this policy for the caller; a read of the account\'s principals\' '
      + 'permissions, no change',
  },
  {
    sid: 'VerifyLabTables',
    actions: [
      'dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:Query',
    ],
    resources: LAB_NAMES.map((lab) => regionalArn('dynamodb', `table/*${lab}-*`)),
    why: 'verify reads its test records and deletes them: tables of the labs\' stacks only, whose names '
      + 'CloudFormation starts with the stack name (<Lab>- or <student>-<Lab>-), never shortened (255 characters)',
  },
  {
    sid: 'VerifyTestObjects',
    actions: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObject'],
    resources: [`arn:${P}:s3:::*/*verify *`],
    why: 'verify uploads and deletes its own test file, <KeyPrefix>verify <uuid> é.txt: by key, because '
      + 'CloudFormation shortens bucket names (63 characters) and can cut the lab\'s name out of them',
  },
  {
    sid: 'VerifyLabQueues',
    actions: ['sqs:SendMessage'],
    resources: [regionalArn('sqs', '*')],
    conditions: taggedProject,
    why: 'verify sends test jobs to SqsWorkersLab\'s queue: queues tagged project only (queue names are shortened to '
      + '80 characters)',
  },
  {
    sid: 'VerifyLabFunctions',
    actions: ['lambda:InvokeFunction'],
    resources: [regionalArn('lambda', 'function:*')],
    conditions: taggedProject,
    why: 'verify invokes the users function directly: functions tagged project only (names are shortened to 64 '
      + 'characters)',
  },
  {
    sid: 'VerifyLabTasks',
    actions: ['ecs:RunTask'],
    resources: [regionalArn('ecs', 'task-definition/*')],
    conditions: taggedProject,
    why: 'verify starts EcsEventTasksLab\'s sweep by hand: task definitions tagged project only',
  },
  {
    sid: 'PassLabTaskRoles',
    actions: ['iam:PassRole'],
    resources: [iamArn('role/*')],
    conditions: {
      StringEquals: {
        'iam:PassedToService': 'ecs-tasks.amazonaws.com',
        [`iam:ResourceTag/${PROJECT_TAG.key}`]: PROJECT_TAG.value,
      },
    },
    why: 'RunTask passes the task definition\'s task and execution roles: roles tagged project, to ECS tasks only',
  },
];

/** Every action of the policy, sorted, once each. */
export function studentActions(policy: readonly StudentStatement[] = STUDENT_POLICY): string[] {
  return [...new Set(policy.flatMap((statement) => statement.actions))].sort();
}
