import { parseStudentName, STUDENT_NAME_RULE } from './student';

/**
 * The value of a tool's `--student` option, checked: a name that could not be a student's is a mistake on the command
 * line (the tools report it with their usage, exit 2), never a stack that is merely not there.
 */
export function studentOption(value: string | undefined): string {
  if (value === undefined) throw new Error(`--student needs a name: ${STUDENT_NAME_RULE}`);
  return parseStudentName(value);
}

/**
 * The environment variable that names the student in a class: `export STUDENT=alice` once, and every `npx cdk` command
 * (bin/labs.ts), every tool and the guides' `aws` commands act on alice's copies of the labs.
 */
export const STUDENT_ENV = 'STUDENT';

/** The student the environment names (`STUDENT`), checked, or undefined when it names none (unset or empty). */
export function studentFromEnvironment(env: NodeJS.ProcessEnv): string | undefined {
  const value = env[STUDENT_ENV];
  if (value === undefined || value === '') return undefined;
  try {
    return parseStudentName(value);
  } catch (error) {
    throw new Error(`${STUDENT_ENV}=${JSON.stringify(value)} in the environment: ${(error as Error).message}`);
  }
}
