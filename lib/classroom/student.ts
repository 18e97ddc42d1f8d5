import { isLabName, type LabName } from '../lab-names';

/**
 * Classroom mode: with `-c student=<name>`, every lab's stack is `<name>-<Lab>`, tagged `student=<name>`, so thirty
 * students can deploy the same lab in one account and region side by side. This file holds the naming rules that the
 * app and the tools (verify, leftovers, preflight, cost, class status) share; it loads no AWS or CDK code.
 */

/** The tag every resource of a student's stack carries, beside `lab` and `project`. */
export const STUDENT_TAG = 'student';

/** The instructor's stack: the class's network, account-wide settings and the students' policy. */
export const CLASSROOM_SETUP_STACK = 'ClassroomSetup';

/** The output, in UTC, of the time at which a stack with a time-to-live deletes itself. */
export const DEADLINE_OUTPUT = 'Deadline';

export const MAX_STUDENT_NAME_LENGTH = 20;

/**
 * What a student name may be. It starts with a letter because it starts the stack name, and CloudFormation stack
 * names must.
 */
export const STUDENT_NAME_RULE = `1-${MAX_STUDENT_NAME_LENGTH} lowercase letters, digits or hyphens, `
  + 'starting with a letter';

const STUDENT_NAME = new RegExp(`^[a-z][a-z0-9-]{0,${MAX_STUDENT_NAME_LENGTH - 1}}$`);

/** The name, checked; throws with what is allowed. */
export function parseStudentName(name: string): string {
  if (!STUDENT_NAME.test(name)) {
    throw new Error(`A student name is ${STUDENT_NAME_RULE} (for example alice or team-3), `
      + `got ${JSON.stringify(name)}`);
  }
  return name;
}

/** The stack name of a lab: the lab's own name, or `<student>-<Lab>` in classroom mode. */
export function labStackName(lab: LabName, student?: string): string {
  return student === undefined ? lab : `${parseStudentName(student)}-${lab}`;
}

/** The lab and the student of a stack name, or undefined for a stack that is not a lab's. */
export function parseLabStackName(stackName: string): { readonly lab: LabName; readonly student?: string } | undefined {
  if (isLabName(stackName)) return { lab: stackName };
  const split = stackName.lastIndexOf('-');
  if (split < 0) return undefined;
  const student = stackName.slice(0, split);
  const lab = stackName.slice(split + 1);
  return isLabName(lab) && STUDENT_NAME.test(student) ? { lab, student } : undefined;
}

/**
 * What follows `npx cdk deploy` or `npx cdk destroy` for a stack: its name, or for a student's stack the lab and the
 * student (`LambdaUsersLab -c student=alice`), since the CDK app names the stack by its lab.
 */
export function cdkArgumentsOf(stackName: string): string {
  const parsed = parseLabStackName(stackName);
  return parsed?.student === undefined ? stackName : `${parsed.lab} -c student=${parsed.student}`;
}
