import { paginateListExports } from '@aws-sdk/client-cloudformation';
import { describeStack } from '../aws/stack-outputs';
import { CLASSROOM_SETUP_STACK, DEADLINE_OUTPUT } from '../classroom/student';
import { CheckLine, guarded, line, PreflightClients } from './check-line';
import { LabNeeds } from './lab-needs';

const SETUP = `${CLASSROOM_SETUP_STACK} stack`;
const DEPLOY_SETUP = `\`npx cdk deploy ${CLASSROOM_SETUP_STACK}\``;
const COMPLETE = ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'IMPORT_COMPLETE'];
/** A failed update that rolled back: the stack and its exports are those of the deploy before. */
const ROLLED_BACK = ['UPDATE_ROLLBACK_COMPLETE', 'IMPORT_ROLLBACK_COMPLETE'];

export interface ClassroomSetupCheck {
  readonly lines: CheckLine[];
  /** Whether ClassroomSetup exists; undefined when it could not be looked at. */
  readonly deployed?: boolean;
}

/**
 * Whether the instructor's ClassroomSetup stack is deployed and complete, and exports every name the student's
 * template imports: without it a student's stack cannot deploy. `required` (a student's own check) makes a missing
 * or broken stack a FAIL; for the instructor's count before class (`--students` alone) it is a WARN, something still
 * to do.
 */
export async function classroomSetup(
  { cloudFormation }: PreflightClients, needs: LabNeeds, required: boolean,
): Promise<ClassroomSetupCheck> {
  let deployed: boolean | undefined;
  const problem = required ? 'FAIL' : 'WARN';
  const lines = await guarded(SETUP, ['cloudformation:DescribeStacks', 'cloudformation:ListExports'], async () => {
    const stack = await describeStack(cloudFormation, CLASSROOM_SETUP_STACK);
    deployed = stack !== undefined;
    if (!stack) {
      return [line(problem, SETUP, `not deployed in this account and region: the instructor deploys it once, before `
        + `the class, with ${DEPLOY_SETUP} (no -c student); each student's stack imports the class's network and `
        + 'account-wide settings from it, and cannot deploy without it')];
    }
    const status = stack.StackStatus ?? 'UNKNOWN';
    if (status.endsWith('_IN_PROGRESS')) {
      return [line(problem, SETUP, `${status}: wait until the instructor's ${DEPLOY_SETUP} has finished`)];
    }
    if (!COMPLETE.includes(status) && !ROLLED_BACK.includes(status)) {
      return [line(problem, SETUP, `${status}: it did not deploy; the instructor reads why in its events `
        + `(\`aws cloudformation describe-stack-events --stack-name ${CLASSROOM_SETUP_STACK}\`) and deploys it again`)];
    }
    const wanted = needs.imports.filter((name) => name.startsWith(`${CLASSROOM_SETUP_STACK}-`));
    const exported = new Set<string>();
    if (wanted.length > 0) {
      for await (const page of paginateListExports({ client: cloudFormation }, {})) {
        for (const item of page.Exports ?? []) {
          if (item.ExportingStackId === stack.StackId && item.Name) exported.add(item.Name);
        }
      }
    }
    const missing = wanted.filter((name) => !exported.has(name));
    if (missing.length > 0) {
      return [line(problem, SETUP, `${status}, but it does not export ${missing.join(', ')}, which the lab imports: `
        + 'it was deployed from an older version of this repository; the instructor deploys it again '
        + `(${DEPLOY_SETUP})`)];
    }
    const exports = wanted.length > 0 ? `, exporting the ${wanted.length} value(s) the lab imports` : '';
    return ROLLED_BACK.includes(status)
      ? [line('WARN', SETUP, `${status}: its last update failed and was rolled back; it stands as deployed before`
        + `${exports}. The instructor reads why in its events before the class`)]
      : [line('PASS', SETUP, `${status}${exports}`)];
  });
  return { lines, deployed };
}

/**
 * For a deployed stack with a time-to-live (a `Deadline` output): whether it has a CloudFormation service role. The
 * schedule's DeleteStack runs with it; without one the deletion has only the schedule role's rights, which delete
 * nothing, and the stack ends DELETE_FAILED at its deadline and keeps costing.
 */
export async function selfDeletion(
  { cloudFormation }: PreflightClients, stackName: string, deploy: string,
): Promise<CheckLine[]> {
  const name = 'time-to-live';
  return guarded(name, ['cloudformation:DescribeStacks'], async () => {
    const stack = await describeStack(cloudFormation, stackName);
    const deadline = stack?.Outputs?.find((output) => output.OutputKey === DEADLINE_OUTPUT)?.OutputValue;
    if (!stack || deadline === undefined) return [];
    if (stack.RoleARN) {
      return [line('PASS', name, `${stackName} deletes itself at ${deadline} (UTC) with its CloudFormation service `
        + `role ${stack.RoleARN}`)];
    }
    return [line('WARN', name, `${stackName} is to delete itself at ${deadline} (UTC), but it has no CloudFormation `
      + 'service role: the deletion would run with the schedule role\'s rights alone, which delete nothing, and the '
      + 'stack would end DELETE_FAILED and keep costing. It was deployed without the CDK bootstrap roles; deploy it '
      + `again through them (\`${deploy}\` with the default bootstrap), or destroy it yourself before the deadline`)];
  });
}
