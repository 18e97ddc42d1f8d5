import { CannotRunError } from '../cli';

const NO_CREDENTIALS = 'No AWS credentials found. Sign in the way the AWS CLI does (`aws configure`, `aws sso login`, '
  + 'or AWS_PROFILE=<profile>), check with `aws sts get-caller-identity`, then run this again.';

/**
 * Turns the AWS SDK's errors about the caller's set-up (no credentials, no region, expired or invalid credentials,
 * no permission) into a CannotRunError that says what to do; other errors are returned unchanged.
 */
export function explainAwsError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const name = error.name;
  if (name === 'CredentialsProviderError' || /Could not load credentials/.test(error.message)) {
    return new CannotRunError(NO_CREDENTIALS);
  }
  if (/Region is missing/i.test(error.message)) {
    return new CannotRunError('No AWS region set. '
      + 'Set AWS_REGION (e.g. `export AWS_REGION=us-east-1`) or a region in your profile, '
      + 'the one you deployed the lab to, then run this again.');
  }
  if (['ExpiredToken', 'ExpiredTokenException', 'TokenRefreshRequired'].includes(name)
    || /token.*expired/i.test(error.message)) {
    return new CannotRunError(`Your AWS credentials have expired (${name}). `
      + 'Sign in again (e.g. `aws sso login`), then run this again.');
  }
  if (['InvalidClientTokenId', 'UnrecognizedClientException', 'SignatureDoesNotMatch'].includes(name)) {
    return new CannotRunError(`AWS rejected your credentials (${name}): `
      + 'check the access key and profile, then run this again.');
  }
  if (['AccessDenied', 'AccessDeniedException'].includes(name)) {
    return new CannotRunError(`Your AWS identity may not do this: ${error.message}`);
  }
  return error;
}
