import { parseStudentName, STUDENT_NAME_RULE } from './student';

/**
 * The value of a tool's `--student` option, checked: a name that could not be a student's is a mistake on the command
 * line (the tools report it with their usage, exit 2), never a stack that is merely not there.
 */
export function studentOption(value: string | undefined): string {
  if (value === undefined) throw new Error(`--student needs a name: ${STUDENT_NAME_RULE}`);
  return parseStudentName(value);
}
