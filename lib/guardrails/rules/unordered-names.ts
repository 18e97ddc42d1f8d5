import { CfnTemplate, Finding } from '../../template/cfn-template';
import { allDependencies } from '../../template/dependencies';

/** The property that holds the name other resources use, for types whose name is fixed at synth when given. */
const NAME_PROPERTIES: Record<string, string> = {
  'AWS::Scheduler::ScheduleGroup': 'Name',
  'AWS::Events::EventBus': 'Name',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::ECS::Cluster': 'ClusterName',
  'AWS::IAM::Role': 'RoleName',
};

/**
 * Resources that name another resource of the template by a name fixed at synth (a plain string, not a Ref), without
 * depending on it: CloudFormation orders resources only by references and DependsOn, so it may create this one first
 * (and fail: the named resource does not exist yet) or delete the named one first.
 */
export function unorderedNames(template: CfnTemplate): Finding[] {
  const owners = new Map<string, string>();
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    const name = resource.Properties?.[NAME_PROPERTIES[resource.Type]];
    if (typeof name === 'string') owners.set(name, logicalId);
  }
  if (owners.size === 0) return [];
  return Object.entries(template.Resources ?? {}).flatMap(([logicalId, resource]) => {
    const named = new Map<string, string>();
    collectNames(resource.Properties, '', owners, named);
    const dependencies = allDependencies(template, logicalId);
    return [...named].filter(([, owner]) => owner !== logicalId && !dependencies.has(owner))
      .map(([location, owner]) => ({
        logicalId,
        location: `Properties${location}`,
        message: `names ${owner} by its fixed name "${resourceName(template, owner)}" but does not depend on it`,
      }));
  });
}

/** The places in a value that hold one of the owners' names, with the owner. */
function collectNames(value: unknown, location: string, owners: Map<string, string>, found: Map<string, string>) {
  if (typeof value === 'string') {
    const owner = owners.get(value);
    if (owner !== undefined) found.set(location, owner);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => collectNames(item, `${location}.${index}`, owners, found));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) collectNames(item, `${location}.${key}`, owners, found);
  }
}

function resourceName(template: CfnTemplate, logicalId: string): string {
  const resource = template.Resources![logicalId];
  return resource.Properties![NAME_PROPERTIES[resource.Type]];
}
