/**
 * Every lab's stack name, in the order of LABS in bin/labs.ts (which does not compile if a name is missing from or
 * extra to either). It lives apart from the CDK app so that the tools' usage and argument checks can name the labs
 * without loading aws-cdk-lib and every lab stack: `--help` and a bad argument answer at once.
 */
export const LAB_NAMES = [
  'Ec2WebServerLab',
  'Ec2AsgAlbLab',
  'FargateServiceLab',
  'BeanstalkAppLab',
  'LambdaUsersLab',
  'S3UploadsLab',
  'EcsEventTasksLab',
  'SqsWorkersLab',
] as const;

/** A lab's stack name. */
export type LabName = (typeof LAB_NAMES)[number];

/** Whether the name is a lab's stack name. */
export function isLabName(name: string): name is LabName {
  return (LAB_NAMES as readonly string[]).includes(name);
}
