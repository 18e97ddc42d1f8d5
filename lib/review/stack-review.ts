import { Writable } from 'stream';
import { stripVTControlCharacters } from 'util';
import { formatDifferences, fullDiff, ResourceImpact, TemplateDiff } from '@aws-cdk/cloudformation-diff';
import { costDrivers } from '../cost/drivers';
import { labCost } from '../cost/report';
import { withoutAssetHashes } from './asset-hashes';

/** Resources that hold data or history: replacing or deleting one loses it. */
const STATEFUL_TYPES = new Set([
  'AWS::DynamoDB::Table', 'AWS::S3::Bucket', 'AWS::Logs::LogGroup', 'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster',
  'AWS::EFS::FileSystem', 'AWS::EC2::Volume', 'AWS::SQS::Queue', 'AWS::Cognito::UserPool',
]);

const WORLD = new Set(['0.0.0.0/0', '::/0']);

export interface StackReview {
  readonly stack: string;
  readonly status: 'added' | 'removed' | 'changed' | 'unchanged';
  /** The infrastructure changes, as `cdk diff` prints them, asset hashes aside. */
  readonly changes: string;
  /** Resources whose only change is an asset hash (new code or a new bundle), by logical id. */
  readonly assetOnly: string[];
  /** The changes a reviewer must look at twice, one sentence each. */
  readonly lookTwice: string[];
  /** Idle cost per hour before and after, in USD. */
  readonly hourlyCost: { readonly before: number; readonly after: number };
}

/**
 * Compares one stack's template at the base revision with the working tree's (undefined where it does not exist).
 * `constructPaths` maps logical ids to construct paths, which the diff shows as `cdk diff` does.
 */
export function reviewStack(
  stack: string, before: any | undefined, after: any | undefined, constructPaths: Record<string, string> = {},
): StackReview {
  const diff = fullDiff(withoutAssetHashes(before ?? {}), withoutAssetHashes(after ?? {}));
  const rawDiff = fullDiff(before ?? {}, after ?? {});
  // `changes` holds only the resources that differ.
  const changed = new Set(Object.keys(diff.resources.changes));
  const assetOnly = Object.keys(rawDiff.resources.changes).filter((id) => !changed.has(id)).sort();
  const hourly = (template: any) => (template ? labCost(stack, costDrivers(template)).knownHourly : 0);
  const hourlyCost = { before: hourly(before), after: hourly(after) };
  return {
    stack,
    status: !before ? 'added' : !after ? 'removed' : diff.isEmpty && assetOnly.length === 0 ? 'unchanged' : 'changed',
    changes: diff.isEmpty ? '' : renderDiff(diff, constructPaths),
    assetOnly,
    lookTwice: lookTwice(diff, hourlyCost),
    hourlyCost,
  };
}

function lookTwice(diff: TemplateDiff, cost: StackReview['hourlyCost']): string[] {
  const marks: string[] = [];
  diff.resources.forEachDifference((id, change) => {
    // Every resource has a type in one template or the other.
    const type = (change.oldResourceType ?? change.newResourceType)!;
    const impact = change.changeImpact;
    if (STATEFUL_TYPES.has(type) && [ResourceImpact.WILL_REPLACE, ResourceImpact.MAY_REPLACE].includes(impact)) {
      marks.push(`${type} ${id} ${impact === ResourceImpact.WILL_REPLACE ? 'will be replaced' : 'may be replaced'}: `
        + 'its data is lost');
    }
    if (STATEFUL_TYPES.has(type) && impact === ResourceImpact.WILL_DESTROY) {
      marks.push(`${type} ${id} will be deleted, with its data`);
    }
    if (type === 'AWS::EC2::NatGateway' && change.isAddition) {
      marks.push(`new NAT gateway ${id}: about $0.045/h each, plus data`);
    }
  });
  for (const statement of diff.iamChanges.statements.additions) {
    if (statement.effect !== 'Allow') continue;
    // A service invoking the lab's own resource under a condition (API Gateway calling a function for a new route)
    // is how every integration is wired, not a widening.
    const principals = statement.principals.values;
    if (principals.length > 0 && principals.every((principal) => principal.startsWith('Service:'))
      && statement.condition) continue;
    const list = (targets: { values: string[]; not: boolean }) =>
      `${targets.not ? 'NOT ' : ''}${targets.values.join(', ')}`;
    marks.push(`IAM widened: allows ${list(statement.actions)} on ${list(statement.resources)}`);
  }
  for (const policy of diff.iamChanges.managedPolicies.additions) {
    marks.push(`IAM widened: managed policy ${policy.managedPolicyArn} attached to ${policy.identityArn}`);
  }
  for (const rule of diff.securityGroupChanges.ingress.additions) {
    if (rule.peer?.kind === 'cidr-ip' && WORLD.has(rule.peer.ip)) {
      marks.push(`new ingress from ${rule.peer.ip} (${rule.describeProtocol()}) to ${rule.groupId}`);
    }
  }
  if (cost.after > cost.before + 0.00005) {
    marks.push(`idle cost goes up: $${cost.before.toFixed(4)}/h -> $${cost.after.toFixed(4)}/h`);
  }
  return marks;
}

/** The CDK's own rendering of a template diff, as `cdk diff` prints it, without colours. */
function renderDiff(diff: TemplateDiff, constructPaths: Record<string, string>): string {
  let text = '';
  const stream = new Writable({ write(chunk, _encoding, done) { text += chunk; done(); } });
  formatDifferences(stream, diff, constructPaths);
  return stripVTControlCharacters(text).trimEnd();
}
