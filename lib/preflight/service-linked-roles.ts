import { GetRoleCommand } from '@aws-sdk/client-iam';
import { CheckLine, guarded, isAwsError, line, PreflightClients } from './check-line';
import { LabNeeds, ServiceLinkedRoleNeed } from './lab-needs';

/**
 * Whether each service-linked role the lab's resources need exists; if not, who creates it on the first deploy.
 * ECS does not create its role in time for a first cluster in a new account, so a lab with ECS creates it itself,
 * before the cluster.
 */
export async function serviceLinkedRoles({ iam }: PreflightClients, needs: LabNeeds): Promise<CheckLine[]> {
  const lines: CheckLine[] = [];
  for (const role of needs.serviceLinkedRoles) {
    const name = `service-linked role ${role.roleName}`;
    lines.push(...await guarded(name, ['iam:GetRole'], async () => {
      try {
        const { Role } = await iam.send(new GetRoleCommand({ RoleName: role.roleName }));
        return [line('PASS', name,
          `present${Role?.CreateDate ? ` since ${Role.CreateDate.toISOString().slice(0, 10)}` : ''}, `
          + `for ${role.neededBy.join(', ')}`)];
      } catch (error) {
        if (!isAwsError(error, 'NoSuchEntityException')) throw error;
        return [absent(name, role)];
      }
    }));
  }
  return lines;
}

function absent(name: string, role: ServiceLinkedRoleNeed): CheckLine {
  const create = `\`aws iam create-service-linked-role --aws-service-name ${role.service}\``;
  const stays = 'it stays in the account after `cdk destroy`';
  if (role.createdBy && role.createdFirst) {
    return line('PASS', name,
      `absent: the deploy creates it (${role.createdBy}) before ${role.before.join(', ')}; ${stays}`);
  }
  if (role.createdBy) {
    return line('WARN', name, `absent: the lab creates it (${role.createdBy}), `
      + `but not before ${role.before.join(', ')}, so the first deploy may fail. Create it first: ${create}`);
  }
  if (role.roleName === 'AWSServiceRoleForECS') {
    return line('WARN', name, 'absent, and the lab does not create it: the first ECS deploy in an account can fail '
      + `with "Unable to assume the service linked role". Create it first: ${create}`);
  }
  return line('PASS', name, `absent: ${serviceName(role.service)} creates it on the first deploy `
    + `(your identity needs iam:CreateServiceLinkedRole); ${stays}`);
}

/**
 * The service that creates a role, from its principal: `autoscaling.amazonaws.com` -> `autoscaling`,
 * `ecs.application-autoscaling.amazonaws.com` -> `application-autoscaling` (ECS's role of Application Auto Scaling).
 */
const serviceName = (principal: string) => principal.replace(/\.amazonaws\.com$/, '').split('.').pop();

/**
 * The account's API Gateway CloudWatch role, which the lab sets. Reading it needs apigateway:GET on /account, and
 * this project has no API Gateway client: say how to look.
 */
export function apiGatewayAccount(needs: LabNeeds, lab: string): CheckLine[] {
  if (!needs.setsApiGatewayAccount) return [];
  return [line('INFO', 'API Gateway CloudWatch role (account setting)',
    'not checked: the lab sets it for the whole account. See whether your account already has one with '
    + '`aws apigateway get-account` (cloudwatchRoleArn); if it does, deploy with '
    + `\`npx cdk deploy ${lab} -c createApiGatewayLoggingRole=false\` to leave it alone`)];
}
