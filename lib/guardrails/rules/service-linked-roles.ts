import { serviceLinkedRoleExportName } from '../../classroom/classroom-exports';
import { CfnTemplate, Finding, resourcesOfType } from '../../template/cfn-template';
import { allDependencies } from '../../template/dependencies';

/**
 * The custom resource that creates a service-linked role when the account lacks it, and waits until it can be
 * assumed.
 */
export const SERVICE_LINKED_ROLE_TYPE = 'Custom::ServiceLinkedRole';

/**
 * Resource types whose first creation in an account makes the service create its service-linked role, which it often
 * cannot assume yet: the resource fails on the first deploy of a brand-new account. Type -> the role's service
 * principal.
 */
export const FIRST_USE_SERVICE_ROLES: Readonly<Record<string, string>> = {
  // "Unable to assume the service linked role" on the first CreateCluster (aws/containers-roadmap#2614)
  'AWS::ECS::Cluster': 'ecs.amazonaws.com',
};

/**
 * Resources of FIRST_USE_SERVICE_ROLES that do not wait for a Custom::ServiceLinkedRole of their service. A student's
 * stack in classroom mode passes when an output imports ClassroomSetup's export for the role instead: the stack then
 * cannot deploy before ClassroomSetup has made sure of it.
 */
export function firstUseServiceRoles(template: CfnTemplate): Finding[] {
  const roles = resourcesOfType(template, SERVICE_LINKED_ROLE_TYPE);
  return Object.entries(template.Resources ?? {}).flatMap(([logicalId, resource]) => {
    if (!Object.hasOwn(FIRST_USE_SERVICE_ROLES, resource.Type)) return [];
    const service = FIRST_USE_SERVICE_ROLES[resource.Type];
    if (importsClassroomRole(template, service)) return [];
    const candidates = roles.filter(([, role]) => role.Properties?.ServiceName === service).map(([roleId]) => roleId);
    if (candidates.length === 0) {
      return [{
        logicalId,
        location: 'Type',
        message: `no ${SERVICE_LINKED_ROLE_TYPE} for ${service} in the stack: `
          + `in a new account ${resource.Type} can fail with "Unable to assume the service linked role"`,
      }];
    }
    const dependencies = allDependencies(template, logicalId);
    return candidates.some((roleId) => dependencies.has(roleId)) ? [] : [{
      logicalId,
      location: 'DependsOn',
      message: `does not depend on ${candidates.join(', ')}, the ${SERVICE_LINKED_ROLE_TYPE} for ${service}, `
        + 'so it can be created before the role is usable',
    }];
  });
}

/** Whether an output of the template imports ClassroomSetup's export for the service-linked role of the service. */
function importsClassroomRole(template: CfnTemplate, service: string): boolean {
  const exportName = serviceLinkedRoleExportName(service);
  return Object.values(template.Outputs ?? {})
    .some((output) => JSON.stringify(output.Value) === JSON.stringify({ 'Fn::ImportValue': exportName }));
}
