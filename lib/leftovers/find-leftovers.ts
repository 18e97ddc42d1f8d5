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

/** The clients leftovers calls. */
export type LeftoverClients = Pick<AwsClients, 'cloudFormation' | 'tagging' | 'logs' | 'ec2' | 's3' | 'iam'>;

export interface Leftover {
  /** The resource's ARN. */
  readonly arn: string;
  /** How it was found, or why it is not the lab's. */
  readonly why: string;
  /** A command that deletes it, where one is known. */
  readonly deleteWith?: string;
}

export interface LeftoverReport {
  readonly lab: string;
  readonly region: string;
  /** The lab's stack, when it still exists: destroy it first. */
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

/**
 * Looks for what a lab left behind after `cdk destroy`: everything still tagged `lab=<lab>`, log groups named after
 * the lab's functions and resources (Lambda and other services create those on first write, untagged), the log
 * groups a service created with a fixed name (API Gateway's welcome group), and the AMIs and snapshots of the EC2
 * lab's AMI step; and lists the shared resources it used.
 */
export async function findLeftovers(lab: string, clients: LeftoverClients): Promise<LeftoverReport> {
  try {
    const region = await clients.cloudFormation.config.region();
    const stack = await readStack(clients.cloudFormation, lab);
    const found = new Map<string, Leftover>();
    const add = (leftover: Leftover) => {
      if (!found.has(resourceKey(leftover.arn))) found.set(resourceKey(leftover.arn), leftover);
    };
    (await taggedResources(clients, lab)).forEach(add);
    (await namedLogGroups(clients, lab)).forEach(add);
    (await serviceLogGroups(clients, lab)).forEach(add);
    (await labImages(clients, lab, region, [...found.values()])).forEach(add);
    const leftovers = await withBucketContents(clients, [...found.values()]);
    return {
      lab,
      region,
      stackStatus: stack?.StackStatus,
      leftovers: leftovers.sort((a, b) => a.arn.localeCompare(b.arn)),
      shared: await sharedResources(clients, lab, region),
    };
  } catch (error) {
    throw explainAwsError(error);
  }
}

/**
 * `arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/x` -> `log-group:/aws/lambda/x`, to compare ARNs from
 * two APIs.
 */
const resourceKey = (arn: string) => arn.replace(/^arn:[^:]+:[^:]+:[^:]*:[^:]*:/, '');

async function taggedResources({ tagging, ec2 }: LeftoverClients, lab: string): Promise<Leftover[]> {
  const arns: string[] = [];
  for await (const page of paginateGetResources({ client: tagging }, { TagFilters: [{ Key: 'lab', Values: [lab] }] })) {
    arns.push(...(page.ResourceTagMappingList ?? []).map((mapping) => mapping.ResourceARN!));
  }
  const instanceIds = arns.flatMap((arn) => instanceId(arn) ?? []);
  const running = await instancesNotTerminated(ec2, instanceIds);
  return arns
    .filter((arn) => !instanceId(arn) || running.has(instanceId(arn)!))
    .map((arn) => leftover(arn, `tagged lab=${lab}`));
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
 * Log groups whose names start with the lab's: CloudFormation names the lab's functions (and the log groups the
 * stack defines) `<lab>-...`, and Lambda writes to `/aws/lambda/<function name>`.
 */
async function namedLogGroups({ logs }: LeftoverClients, lab: string): Promise<Leftover[]> {
  const leftovers: Leftover[] = [];
  for (const prefix of [`/aws/lambda/${lab}-`, `${lab}-`]) {
    for await (const page of paginateDescribeLogGroups({ client: logs }, { logGroupNamePrefix: prefix })) {
      for (const group of page.logGroups ?? []) {
        leftovers.push(leftover(
          group.logGroupArn ?? group.arn!.replace(/:\*$/, ''),
          `log group named after the lab's resources (${prefix}...)`,
        ));
      }
    }
  }
  return leftovers;
}

/** The log groups with fixed names that a service created for the lab (LAB_SERVICE_LOG_GROUPS), where they exist. */
async function serviceLogGroups({ logs }: LeftoverClients, lab: string): Promise<Leftover[]> {
  const leftovers: Leftover[] = [];
  for (const { name, why } of LAB_SERVICE_LOG_GROUPS[lab] ?? []) {
    const { logGroups = [] } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
    const group = logGroups.find((candidate) => candidate.logGroupName === name);
    if (group) leftovers.push(leftover(group.logGroupArn ?? group.arn!.replace(/:\*$/, ''), why));
  }
  return leftovers;
}

/** The lab's AMIs (by the guide's name, even untagged) and the snapshots behind them and the tagged ones. */
async function labImages(
  { ec2 }: LeftoverClients, lab: string, region: string, tagged: Leftover[],
): Promise<Leftover[]> {
  const namePattern = LAB_AMI_NAMES[lab];
  if (!namePattern) return [];
  const { Images = [] } = await ec2.send(new DescribeImagesCommand({
    Owners: ['self'],
    Filters: [{ Name: 'name', Values: [namePattern] }],
  }));
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
  return [...images, ...Snapshots.map((snapshot) => leftover(`arn:aws:ec2:${region}::snapshot/${snapshot.SnapshotId}`,
    `snapshot of the lab's AMI (${snapshot.Description})`))];
}

/**
 * The CDK bootstrap stack every lab deploys through, the service-linked roles of the lab's services, and Elastic
 * Beanstalk's bucket for the region.
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
