import { ContextEntry, GetRoleCommand, paginateSimulatePrincipalPolicy } from '@aws-sdk/client-iam';
import { resolvePlaceholders, STUDENT_POLICY, studentActions, StudentStatement } from '../classroom/student-policy';
import { CheckLine, guarded, isAwsError, line, PreflightClients } from './check-line';
import { Identity } from './region';

const NAME = 'your permissions for the class';

/** The IAM principal whose policies IAM can simulate for a caller, or why there is none. */
export type Principal =
  | { readonly kind: 'user' | 'role'; readonly arn: string; readonly roleName?: string }
  | { readonly kind: 'root' | 'other'; readonly arn: string };

/**
 * The principal behind a caller's ARN: an IAM user as it is; an assumed-role session
 * (`arn:aws:sts::1:assumed-role/Name/session`) as its role (`arn:aws:iam::1:role/Name`; the role's path, which the
 * session ARN lacks, is looked up if IAM asks for it); the root user and federated users have no policy to simulate.
 */
export function principalOf(callerArn: string): Principal {
  const [, partition, service, , account, resource = ''] = callerArn.split(':');
  if (service === 'iam' && resource === 'root') return { kind: 'root', arn: callerArn };
  if (service === 'iam' && resource.startsWith('user/')) return { kind: 'user', arn: callerArn };
  const role = service === 'sts' ? /^assumed-role\/([^/]+)\/[^/]+$/.exec(resource)?.[1] : undefined;
  if (role) return { kind: 'role', arn: `arn:${partition}:iam::${account}:role/${role}`, roleName: role };
  return { kind: 'other', arn: callerArn };
}

/**
 * Simulates the students' policy (its actions, on its resources, with its conditions) for the caller's own
 * policies (iam:SimulatePrincipalPolicy) and WARNs naming each action the caller may not call, by statement: a
 * student with less than the policy finds out before class, not halfway through a lab.
 */
export async function studentPermissions(
  { iam }: PreflightClients, identity: Identity, policy: readonly StudentStatement[] = STUDENT_POLICY,
): Promise<CheckLine[]> {
  const principal = principalOf(identity.arn);
  if (principal.kind === 'root') {
    return [line('WARN', NAME, 'not checked: you are signed in as the account\'s root user, which may do anything. '
      + 'Students work as IAM users or roles with the students\' policy that ClassroomSetup creates')];
  }
  if (principal.kind === 'other') {
    return [line('WARN', NAME, `not checked: IAM cannot simulate the policies of ${identity.arn} `
      + '(only of IAM users and roles). Sign in as the IAM user or role the class uses')];
  }
  const roleName = 'roleName' in principal ? principal.roleName : undefined;
  return guarded(NAME, ['iam:SimulatePrincipalPolicy'], async () => {
    let arn = principal.arn;
    const denied: string[] = [];
    for (const statement of policy) {
      let actions: string[];
      try {
        actions = await deniedActions(iam, arn, statement, identity);
      } catch (error) {
        // A role with a path (IAM Identity Center's): its session ARN has no path, so IAM does not find the role.
        if (!isAwsError(error, 'NoSuchEntityException', 'InvalidInputException') || roleName === undefined
          || arn !== principal.arn) throw error;
        const { Role } = await iam.send(new GetRoleCommand({ RoleName: roleName }));
        arn = Role!.Arn!;
        actions = await deniedActions(iam, arn, statement, identity);
      }
      if (actions.length > 0) denied.push(`${statement.sid}: ${actions.join(', ')}`);
    }
    const count = studentActions(policy).length;
    if (denied.length === 0) {
      return [line('PASS', NAME, `${arn} may call all ${count} actions of the students' policy, on its resources `
        + '(simulated)')];
    }
    return [line('WARN', NAME, `${arn} may not call ${denied.join('; ')} (simulated with the students' policy's `
      + 'resources and conditions). What needs them (deploy, verify, leftovers, preflight) will fail there: ask the '
      + 'instructor for the students\' policy that ClassroomSetup creates')];
  });
}

/** The statement's actions that IAM's simulation of the principal's policies does not allow. */
async function deniedActions(
  iam: PreflightClients['iam'], arn: string, statement: StudentStatement, { account, region, arn: caller }: Identity,
): Promise<string[]> {
  const partition = caller.split(':')[1];
  const resolve = (text: string) => resolvePlaceholders(text, { partition, region, account });
  const contextEntries: ContextEntry[] = Object.values(statement.conditions ?? {})
    .flatMap((keys) => Object.entries(keys).map(([key, value]) => ({
      ContextKeyName: key, ContextKeyValues: [resolve(value)], ContextKeyType: 'string',
    })));
  const denied = new Set<string>();
  for await (const page of paginateSimulatePrincipalPolicy({ client: iam }, {
    PolicySourceArn: arn,
    ActionNames: [...statement.actions],
    ResourceArns: statement.resources.map(resolve),
    ...(contextEntries.length > 0 ? { ContextEntries: contextEntries } : {}),
  })) {
    for (const result of page.EvaluationResults ?? []) {
      const everyResource = (result.ResourceSpecificResults ?? [])
        .every((specific) => specific.EvalResourceDecision === 'allowed');
      if (result.EvalDecision !== 'allowed' || !everyResource) denied.add(result.EvalActionName!);
    }
  }
  return statement.actions.filter((action) => denied.has(action));
}
