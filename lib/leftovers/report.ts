import { Leftover, LeftoverReport } from './find-leftovers';

/** Whether anything of the lab's remains: its stack, or a resource of its. */
export const hasLeftovers = (report: LeftoverReport) => report.stackStatus !== undefined || report.leftovers.length > 0;

/** The report as a student reads it at the terminal: what remains, how to delete it, and what is shared. */
export function formatLeftovers(report: LeftoverReport): string {
  const lines: string[] = [];
  if (report.stackStatus !== undefined) {
    lines.push(`The stack ${report.lab} still exists in ${report.region} (${report.stackStatus}): `
      + `run \`npx cdk destroy ${report.lab}\` first.`);
  }
  if (report.leftovers.length > 0) {
    lines.push(
      `Left over from ${report.lab} in ${report.region} (${report.leftovers.length}):`,
      ...report.leftovers.flatMap(item),
    );
  } else {
    lines.push(`Nothing of ${report.lab} is left in ${report.region}: `
      + `no resource tagged lab=${report.lab}, no log group or AMI named after it.`);
  }
  if (report.shared.length > 0) {
    lines.push('', 'Shared, not the lab\'s (left in place on purpose):', ...report.shared.flatMap(item));
  }
  return lines.join('\n');
}

function item(leftover: Leftover): string[] {
  return [
    `  ${leftover.arn}`,
    `      ${leftover.why}`,
    ...(leftover.deleteWith ? [`      delete: ${leftover.deleteWith}`] : []),
  ];
}
