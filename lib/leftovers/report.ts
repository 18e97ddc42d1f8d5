import { STUDENT_TAG } from '../classroom/student';
import { Leftover, LeftoverReport } from './find-leftovers';

/** Whether anything of the lab's remains: its stack, or a resource of its. */
export const hasLeftovers = (report: LeftoverReport) => report.stackStatus !== undefined || report.leftovers.length > 0;

/**
 * The report as a student reads it at the terminal: what remains, how to delete it, and what is shared. When some of
 * the remains are students' (classroom mode), they are grouped by student, the others under a heading of their own.
 */
export function formatLeftovers(report: LeftoverReport): string {
  const lines: string[] = [];
  const destroy = report.student === undefined
    ? `npx cdk destroy ${report.lab}`
    : `npx cdk destroy ${report.lab} -c student=${report.student}`;
  if (report.stackStatus !== undefined) {
    lines.push(`The stack ${report.stackName} still exists in ${report.region} (${report.stackStatus}): `
      + `run \`${destroy}\` first.`);
  }
  const byStudent = report.student === undefined && report.leftovers.some((found) => found.student !== undefined);
  if (report.leftovers.length === 0) {
    lines.push(report.student === undefined
      ? `Nothing of ${report.lab} is left in ${report.region}: `
        + `no resource tagged lab=${report.lab}, no log group or AMI named after it.`
      : `Nothing of ${report.stackName} is left in ${report.region}: `
        + `no resource tagged lab=${report.lab} and ${STUDENT_TAG}=${report.student}, no log group named after it.`);
  } else if (byStudent) {
    lines.push(`Left over from ${report.lab} in ${report.region} (${report.leftovers.length}), by student:`);
    for (const [student, leftovers] of groupByStudent(report.leftovers)) {
      lines.push(`${student === undefined ? 'without a student' : `student ${student}`} (${leftovers.length}):`,
        ...leftovers.flatMap(item));
    }
  } else {
    lines.push(
      `Left over from ${report.stackName} in ${report.region} (${report.leftovers.length}):`,
      ...report.leftovers.flatMap(item),
    );
  }
  if (report.shared.length > 0) {
    lines.push('', 'Shared, not the lab\'s (left in place on purpose):', ...report.shared.flatMap(item));
  }
  return lines.join('\n');
}

/** The leftovers by student, in the order of the students' names, those of no student last. */
function groupByStudent(leftovers: readonly Leftover[]): Array<[string | undefined, Leftover[]]> {
  const groups = new Map<string | undefined, Leftover[]>();
  for (const found of leftovers) groups.set(found.student, [...groups.get(found.student) ?? [], found]);
  return [...groups.entries()].sort(([a], [b]) => {
    if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
    return a.localeCompare(b);
  });
}

function item(leftover: Leftover): string[] {
  return [
    `  ${leftover.arn}`,
    `      ${leftover.why}`,
    ...(leftover.deleteWith ? [`      delete: ${leftover.deleteWith}`] : []),
  ];
}
