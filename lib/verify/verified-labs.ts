/**
 * The labs `npm run verify` checks, in the order its usage lists them (VERIFIERS in verifiers.ts has exactly these
 * keys), and those `--local` can check. Apart from the verifiers, which load the AWS SDK, so that `--help` and a bad
 * argument answer without loading it.
 */
export const VERIFIED_LABS = [
  'Ec2WebServerLab', 'Ec2AsgAlbLab', 'LambdaUsersLab', 'FargateServiceLab', 'BeanstalkAppLab', 'S3UploadsLab',
  'EcsEventTasksLab', 'SqsWorkersLab',
] as const;

export type VerifiedLab = (typeof VERIFIED_LABS)[number];

export function isVerifiedLab(name: string): name is VerifiedLab {
  return (VERIFIED_LABS as readonly string[]).includes(name);
}

/** The labs `npm run local` serves, and so `--local` can check. */
export const LOCAL_LABS: readonly string[] = ['LambdaUsersLab', 'S3UploadsLab'];
