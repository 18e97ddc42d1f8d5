import { DescribeLogGroupsCommand, paginateDescribeLogGroups } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeImagesCommand, DescribeInstancesCommand, DescribeSnapshotsCommand, EC2Client,
} from '@aws-sdk/client-ec2';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { paginateGetResources } from '@aws-sdk/client-resource-groups-tagging-api';
import { GetBucketVersioningCommand, ListBucketsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { AwsClients } from '../aws/clients';
import { explainAwsError } from '../aws/errors';
import { readStack } from '../aws/stack-outputs';
import { CLASSROOM_SETUP_STACK, labStackName, parseLabStackName, STUDENT_TAG } from '../classroom/student';
import { isLabName } from '../lab-names';

/** The clients leftovers calls. */
export type LeftoverClients = Pick<AwsClients, 'cloudFormation' | 'tagging' | 'logs' | 'ec2' | 's3' | 'iam'>;

export interface Leftover {
  /** The resource's ARN. */
  readonly arn: string;
  /** How it was found, or why it is not the lab's. */
  readonly why: string;
  /** A command that deletes it, where one is known. */
  readonly deleteWith?: string;
  /**
   * The student whose copy of the lab it is (classroom mode): from its `student` tag, or from its name for a log group
   * named after a student's stack. Left out for what belongs to no student.
   */
  readonly student?: string;
}

export interface LeftoverReport {
  readonly lab: string;
  /** Set with --student: the report is of that student's copy of the lab only. */
  readonly student?: string;
  /** The stack looked for: the lab's, or `<student>-<lab>`. */
  readonly stackName: string;
  readonly region: string;
  /** The stack, when it still exists: destroy it first. */
  readonly stackStatus?: string;
  /** What remains of the lab: tagged with it, or named after its resources. */
  readonly leftovers: Leftover[];
  /** Account-level resources the lab used and other stacks share: not the lab's to delete. */
  readonly shared: Leftover[];
}

/** The name the EC2 lab's guide gives the AMIs students make in its step 4. */
const LAB_AMI_NAMES: Readonly<Record<string, string>> = { Ec2WebServerLab: 'WebServer-AMI-*' };

/** Log groups a service, not the stack, creates with a fixed name when a lab is deployed; never expiring. */
const LAB_SERVICE_LOG_GROUPS: Readonly<Record<string, ReadonlyArray<{
  readonly name: string;
  readonly why: string;
}>>> = {
  LambdaUsersLab: [{
    name: '/aws/apigateway/welcome',
    why: 'API Gateway created it, not the stack, when the lab set the account\'s CloudWatch role; it never expires',
  }],
};

/**
 * The service-linked roles each lab's services create on first use, or the lab creates (ECS), by stack name: what
 * `npm run preflight` derives from the template, with the options a lab can turn on (FargateServiceLab's load
 * balancer and scaling). AWS keeps them after `cdk destroy`.
 */
export const LAB_SERVICE_LINKED_ROLES: Readonly<Record<string, readonly string[]>> = {
  Ec2WebServerLab: [],
  Ec2AsgAlbLab: ['AWSServiceRoleForAutoScaling', 'AWSServiceRoleForElasticLoadBalancing'],
  LambdaUsersLab: [],
  FargateServiceLab: [
    'AWSServiceRoleForECS',
    'AWSServiceRoleForElasticLoadBalancing',
    'AWSServiceRoleForApplicationAutoScaling_ECSService',
  ],
  BeanstalkAppLab: ['AWSServiceRoleForAutoScaling'],
  S3UploadsLab: [],
  // The lab creates it before its cluster when the account has none; EventBridge and Scheduler use the stack's roles.
  EcsEventTasksLab: ['AWSServiceRoleForECS'],
  // ECS's as above; Application Auto Scaling creates its own when the lab registers the workers' scaler.
  SqsWorkersLab: ['AWSServiceRoleForECS', 'AWSServiceRoleForApplicationAutoScaling_ECSService'],
};

export interface LeftoverOptions {
  /**
   * Classroom mode: look for what is left of this student's copy of the lab only, the stack `<student>-<lab>`:
   * resources tagged with both the lab and the student, and log groups named after that stack. Without it, every
   * resource tagged with the lab is listed, each student's with their name.
   */
  readonly student?: string;
}

/**
 * Looks for what a lab left behind after `cdk destroy`: everything still tagged `lab=<lab>`, log groups named after
 * the lab's functions and resources (Lambda and other services create those on first write, untagged), the log
 * groups a service created with a fixed name (API Gateway's welcome group), and the AMIs and snapshots of the EC2
 * lab's AMI step; and lists the shared resources it used. With a student, the same for that student's copy: their
 * tagged resources and log groups; what no tag ties to one student (the welcome group) is listed as shared.
 */
export async function findLeftovers(
  lab: string, clients: LeftoverClients, options: LeftoverOptions = {},
): Promise<LeftoverReport> {
  const { student } = options;
  const stackName = student === undefined ? lab : labStackName(labOf(lab), student);
  try {
    const region = await clients.cloudFormation.config.region();
    const stack = await readStack(clients.cloudFormation, stackName);
    const found = new Map<string, Leftover>();
    const add = (leftover: Leftover) => {
      if (!found.has(resourceKey(leftover.arn))) found.set(resourceKey(leftover.arn), leftover);
    };
    (await taggedResources(clients, lab, student)).forEach(add);
    (await namedLogGroups(clients, stackName)).forEach(add);
    if (student === undefined) {
      (await studentsLogGroups(clients, lab)).forEach(add);
      (await serviceLogGroups(clients, lab)).forEach(add);
    }
    // The guide's AMI names do not say whose an AMI is: a student's are found by their tags alone.
    (await labImages(clients, lab, region, [...found.values()], student === undefined)).forEach(add);
    const leftovers = await withBucketContents(clients, [...found.values()]);
    return {
      lab,
      ...(student === undefined ? {} : { student }),
      stackName,
      region,
      stackStatus: stack?.StackStatus,
      leftovers: leftovers.sort((a, b) => a.arn.localeCompare(b.arn)),
      shared: [
        ...await sharedResources(clients, lab, region),
        ...student === undefined ? [] : await serviceLogGroups(clients, lab, 'shared'),
      ],
    };
  } catch (error) {
    throw explainAwsError(error);
  }
}

function labOf(lab: string) {
  if (!isLabName(lab)) throw new Error(`unknown lab ${JSON.stringify(lab)}`);
  return lab;
}

/**
 * `arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/x` -> `log-group:/aws/lambda/x`, to compare ARNs from
 * two APIs.
 */
const resourceKey = (arn: string) => arn.replace(/^arn:[^:]+:[^:]+:[^:]*:[^:]*:/, '');

/**
 * Everything tagged with the lab (and, with a student, with that student too: the tagging API ANDs its filters), each
 * with the student its tag names.
 */
async function taggedResources(
  { tagging, ec2 }: LeftoverClients, lab: string, student: string | undefined,
): Promise<Leftover[]> {
  const tagged: Array<{ arn: string; student?: string }> = [];
  const TagFilters = [
    { Key: 'lab', Values: [lab] },
    ...student === undefined ? [] : [{ Key: STUDENT_TAG, Values: [student] }],
  ];
  for await (const page of paginateGetResources({ client: tagging }, { TagFilters })) {
    tagged.push(...(page.ResourceTagMappingList ?? []).map((mapping) => ({
      arn: mapping.ResourceARN!,
      student: mapping.Tags?.find((tag) => tag.Key === STUDENT_TAG)?.Value,
    })));
  }
  const instanceIds = tagged.flatMap(({ arn }) => instanceId(arn) ?? []);
  const running = await instancesNotTerminated(ec2, instanceIds);
  const why = student === undefined ? `tagged lab=${lab}` : `tagged lab=${lab} and ${STUDENT_TAG}=${student}`;
  return tagged
    .filter(({ arn }) => !instanceId(arn) || running.has(instanceId(arn)!))
    .map(({ arn, student: owner }) => ({ ...leftover(arn, why), ...owner === undefined ? {} : { student: owner } }));
}

const instanceId = (arn: string) => /:instance\/(i-[0-9a-f]+)$/.exec(arn)?.[1];

/**
 * The instances among `instanceIds` that still exist and are not terminated. EC2 lists terminated instances, with
 * their tags, for about an hour, and the tagging API can list them longer still: they are gone and cost nothing.
 * A filter, unlike InstanceIds, does not fail on an id EC2 has already forgotten.
 */
async function instancesNotTerminated(ec2: EC2Client, instanceIds: string[]): Promise<Set<string>> {
  if (instanceIds.length === 0) return new Set();
  const { Reservations = [] } = await ec2.send(new DescribeInstancesCommand({
    Filters: [{ Name: 'instance-id', Values: instanceIds }],
  }));
  return new Set(Reservations.flatMap((reservation) => reservation.Instances ?? [])
    .filter((instance) => instance.State?.Name !== 'terminated')
    .map((instance) => instance.InstanceId!));
}

/**
 * The leftovers, each bucket with how many objects it still holds (a bucket that is not empty is why its stack's
 * delete failed); a bucket the tagging API still lists but S3 no longer has is dropped: the API lags behind deletes.
 */
async function withBucketContents({ s3 }: LeftoverClients, leftovers: Leftover[]): Promise<Leftover[]> {
  const result: Leftover[] = [];
  for (const found of leftovers) {
    const bucket = /^arn:[^:]+:s3:::([^/]+)$/.exec(found.arn)?.[1];
    if (!bucket) {
      result.push(found);
      continue;
    }
    try {
      const { KeyCount = 0, IsTruncated } = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1000 }));
      const why = `${found.why}; it holds ${IsTruncated ? 'more than 1000' : KeyCount} `
        + `object${KeyCount === 1 && !IsTruncated ? '' : 's'}`;
      // `s3 rb --force` deletes current objects only: a bucket with older versions or delete markers stays.
      result.push(await versioned(s3, bucket)
        ? {
          ...found,
          why: `${why}, and may hold older versions and delete markers: it is versioned`,
          deleteWith: `aws s3 rb s3://${bucket}  # once empty of every version: the S3 console's Empty deletes them`,
        }
        : { ...found, why });
    } catch (error) {
      if ((error as Error).name === 'NoSuchBucket') continue;
      result.push({ ...found, why: `${found.why}; its objects could not be listed (${(error as Error).name})` });
    }
  }
  return result;
}

/**
 * Whether versioning is or was on (Enabled or Suspended): then the bucket may hold versions besides its objects. When
 * S3 will not say, the bucket is taken as unversioned, as before this check.
 */
async function versioned(s3: LeftoverClients['s3'], bucket: string): Promise<boolean> {
  try {
    const answer = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
    return answer?.Status === 'Enabled' || answer?.Status === 'Suspended';
  } catch {
    return false;
  }
}

/**
 * Log groups whose names start with the stack's: CloudFormation names the lab's functions (and the log groups the
 * stack defines) `<stack>-...`, and Lambda writes to `/aws/lambda/<function name>`. A student's stack is
 * `<student>-<lab>`, so these are that student's.
 */
async function namedLogGroups({ logs }: LeftoverClients, stackName: string): Promise<Leftover[]> {
  const student = parseLabStackName(stackName)?.student;
  const leftovers: Leftover[] = [];
  for (const prefix of [`/aws/lambda/${stackName}-`, `${stackName}-`]) {
    for await (const page of paginateDescribeLogGroups({ client: logs }, { logGroupNamePrefix: prefix })) {
      for (const group of page.logGroups ?? []) {
        leftovers.push({
          ...leftover(logGroupArn(group), `log group named after the lab's resources (${prefix}...)`),
          ...student === undefined ? {} : { student },
        });
      }
    }
  }
  return leftovers;
}

/**
 * The log groups named after any student's copy of the lab (`<student>-<lab>-...`, `/aws/lambda/<student>-<lab>-...`),
 * each with the student its name gives; those of a name that is no student's are left out.
 */
async function studentsLogGroups({ logs }: LeftoverClients, lab: string): Promise<Leftover[]> {
  const leftovers: Leftover[] = [];
  const named = new RegExp(`^(?:/aws/lambda/)?(.+?)-${lab}-`);
  for await (const page of paginateDescribeLogGroups({ client: logs }, { logGroupNamePattern: `-${lab}-` })) {
    for (const group of page.logGroups ?? []) {
      const match = named.exec(group.logGroupName ?? '');
      const student = match ? parseLabStackName(`${match[1]}-${lab}`)?.student : undefined;
      if (student === undefined) continue;
      const prefix = `${group.logGroupName!.startsWith('/aws/lambda/') ? '/aws/lambda/' : ''}${student}-${lab}-`;
      leftovers.push({
        ...leftover(logGroupArn(group), `log group named after the lab's resources (${prefix}...)`),
        student,
      });
    }
  }
  return leftovers;
}

/** A log group's ARN without the `:*` that DescribeLogGroups' `arn` ends with. */
const logGroupArn = (group: { logGroupArn?: string; arn?: string }) =>
  group.logGroupArn ?? group.arn!.replace(/:\*$/, '');

/**
 * The log groups with fixed names that a service created for the lab (LAB_SERVICE_LOG_GROUPS), where they exist: the
 * lab's leftovers, or, for one student's copy, shared: their name does not say whose deploy created them.
 */
async function serviceLogGroups(
  { logs }: LeftoverClients, lab: string, as: 'leftover' | 'shared' = 'leftover',
): Promise<Leftover[]> {
  const leftovers: Leftover[] = [];
  for (const { name, why } of LAB_SERVICE_LOG_GROUPS[lab] ?? []) {
    const { logGroups = [] } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
    const group = logGroups.find((candidate) => candidate.logGroupName === name);
    if (!group) continue;
    leftovers.push(as === 'leftover'
      ? leftover(logGroupArn(group), why)
      : { arn: logGroupArn(group), why: `${why}; one for the whole account, not one student's` });
  }
  return leftovers;
}

/**
 * The lab's AMIs (by the guide's name, even untagged, unless `byName` is false) and the snapshots behind them and the
 * tagged ones.
 */
async function labImages(
  { ec2 }: LeftoverClients, lab: string, region: string, tagged: Leftover[], byName: boolean,
): Promise<Leftover[]> {
  const namePattern = LAB_AMI_NAMES[lab];
  if (!namePattern) return [];
  const { Images = [] } = byName
    ? await ec2.send(new DescribeImagesCommand({
      Owners: ['self'],
      Filters: [{ Name: 'name', Values: [namePattern] }],
    }))
    : {};
  const images: Leftover[] = Images.map((image) => leftover(`arn:aws:ec2:${region}::image/${image.ImageId}`,
    `AMI named ${image.Name}, as the lab guide's step 4 names them`));
  const imageIds = [...tagged, ...images]
    .flatMap((leftover) => /:image\/(ami-[0-9a-f]+)$/.exec(leftover.arn)?.[1] ?? []);
  if (imageIds.length === 0) return images;
  // CreateImage describes each snapshot it takes as "Created by CreateImage(i-...) for ami-...".
  const { Snapshots = [] } = await ec2.send(new DescribeSnapshotsCommand({
    OwnerIds: ['self'],
    Filters: [{ Name: 'description', Values: imageIds.map((id) => `Created by CreateImage(*) for ${id}*`) }],
  }));
  // A snapshot is the student's whose AMI it backs.
  const owners = new Map(tagged.flatMap((found) => {
    const id = /:image\/(ami-[0-9a-f]+)$/.exec(found.arn)?.[1];
    return id && found.student !== undefined ? [[id, found.student] as const] : [];
  }));
  return [...images, ...Snapshots.map((snapshot) => {
    const student = owners.get(/for (ami-[0-9a-f]+)/.exec(snapshot.Description ?? '')?.[1] ?? '');
    return {
      ...leftover(`arn:aws:ec2:${region}::snapshot/${snapshot.SnapshotId}`,
        `snapshot of the lab's AMI (${snapshot.Description})`),
      ...student === undefined ? {} : { student },
    };
  })];
}

/**
 * The CDK bootstrap stack every lab deploys through, the class's ClassroomSetup stack, the service-linked roles of the
 * lab's services, and Elastic Beanstalk's bucket for the region.
 */
async function sharedResources(clients: LeftoverClients, lab: string, region: string): Promise<Leftover[]> {
  const shared: Leftover[] = [];
  const toolkit = await readStack(clients.cloudFormation, 'CDKToolkit');
  if (toolkit) {
    shared.push({
      arn: toolkit.StackId!,
      why: 'the CDK bootstrap stack: every lab deploys through it (its bucket keeps the lab\'s uploaded assets); '
        + 'keep it while you use the labs',
    });
  }
  const setup = await readStack(clients.cloudFormation, CLASSROOM_SETUP_STACK);
  if (setup) {
    shared.push({
      arn: setup.StackId!,
      why: 'the class\'s stack (its network and account settings): the students\' stacks use it; '
        + 'the instructor deletes it once every student\'s stack is gone',
    });
  }
  shared.push(...await serviceLinkedRoles(clients, lab));
  if (lab === 'BeanstalkAppLab') {
    const { Buckets = [] } = await clients.s3.send(new ListBucketsCommand({
      Prefix: 'elasticbeanstalk-',
      BucketRegion: region,
    }));
    shared.push(...Buckets.map((bucket) => ({
      arn: `arn:aws:s3:::${bucket.Name}`,
      why: 'Elastic Beanstalk\'s bucket for this account and region: every environment here uses it; '
        + 'Beanstalk created it, not the stack',
    })));
  }
  return shared;
}

/** The lab's service-linked roles that exist in the account (IAM answers NoSuchEntity for the others). */
async function serviceLinkedRoles({ iam }: LeftoverClients, lab: string): Promise<Leftover[]> {
  const roles: Leftover[] = [];
  for (const roleName of LAB_SERVICE_LINKED_ROLES[lab] ?? []) {
    try {
      const { Role } = await iam.send(new GetRoleCommand({ RoleName: roleName }));
      roles.push({
        arn: Role?.Arn ?? roleName,
        why: 'a service-linked role: it belongs to the account, not the stack, '
          + 'and every resource of its service uses it; '
          + 'it costs nothing, and IAM deletes it only once nothing of that service uses it',
      });
    } catch (error) {
      if ((error as Error).name !== 'NoSuchEntityException') throw error;
    }
  }
  return roles;
}

/** A leftover of the lab's, with the command that deletes it where its kind has one. */
const leftover = (arn: string, why: string): Leftover => ({ arn, why, deleteWith: deleteCommand(arn) });

/** How to delete a leftover, for the kinds a lab can leave. */
function deleteCommand(arn: string): string | undefined {
  const stackName = /^arn:[^:]+:cloudformation:[^:]*:\d+:stack\/([^/]+)\//.exec(arn)?.[1];
  const labStack = stackName === undefined ? undefined : parseLabStackName(stackName);
  if (labStack) {
    return `npx cdk destroy ${labStack.lab}${labStack.student === undefined ? '' : ` -c student=${labStack.student}`}`;
  }
  const taskDefinition = /:task-definition\/(.+)$/.exec(arn)?.[1];
  if (taskDefinition) {
    return `aws ecs delete-task-definitions --task-definitions ${taskDefinition}`
      + '  # ECS keeps deregistered revisions as INACTIVE';
  }
  const logGroup = /:log-group:(.+)$/.exec(arn)?.[1];
  if (logGroup) return `aws logs delete-log-group --log-group-name ${logGroup}`;
  const image = /:image\/(ami-[0-9a-f]+)$/.exec(arn)?.[1];
  if (image) return `aws ec2 deregister-image --image-id ${image}`;
  const snapshot = /:snapshot\/(snap-[0-9a-f]+)$/.exec(arn)?.[1];
  if (snapshot) return `aws ec2 delete-snapshot --snapshot-id ${snapshot}  # after deregistering its AMI`;
  const bucket = /^arn:[^:]+:s3:::([^/]+)$/.exec(arn)?.[1];
  if (bucket) return `aws s3 rb s3://${bucket} --force  # deletes its objects first`;
  const table = /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/([^/]+)$/.exec(arn)?.[1];
  if (table) return `aws dynamodb delete-table --table-name ${table}`;
  const queue = /^arn:[^:]+:sqs:([^:]*):(\d+):(.+)$/.exec(arn);
  if (queue) return `aws sqs delete-queue --queue-url https://sqs.${queue[1]}.amazonaws.com/${queue[2]}/${queue[3]}`;
  // A topic's ARN ends with its name; a subscription's has the topic's name and an id after it.
  if (/^arn:[^:]+:sns:[^:]*:\d+:[^:]+$/.test(arn)) {
    return `aws sns delete-topic --topic-arn ${arn}  # and its subscriptions`;
  }
  // Scheduler tags schedule groups, never single schedules: the tagging API lists only groups.
  const scheduleGroup = /^arn:[^:]+:scheduler:[^:]*:\d+:schedule-group\/(.+)$/.exec(arn)?.[1];
  if (scheduleGroup) return `aws scheduler delete-schedule-group --name ${scheduleGroup}  # and its schedules`;
  const alarm = /^arn:[^:]+:cloudwatch:[^:]*:\d+:alarm:(.+)$/.exec(arn)?.[1];
  if (alarm) return `aws cloudwatch delete-alarms --alarm-names ${alarm}`;
  return undefined;
}
