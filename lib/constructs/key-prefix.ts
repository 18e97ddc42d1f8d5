import { Token } from 'aws-cdk-lib';

// S3's safe key characters (no encoding in the notification filter) without `*`, which IAM reads as a wildcard.
const SAFE_PREFIX = /^[A-Za-z0-9!\-_.'()/]+$/;

/**
 * Throws unless the prefix names a folder of S3 keys that both an S3 filter and an IAM resource can hold as written.
 */
export function checkKeyPrefix(keyPrefix: string): void {
  if (Token.isUnresolved(keyPrefix)) {
    throw new Error('keyPrefix must be a string known at synth time (it names the IAM resource and is checked here), '
      + `got the token ${keyPrefix}`);
  }
  const allowed = 'letters, digits, / and ! - _ . \' ( ), ending with / and not starting with /';
  if (keyPrefix === '') throw new Error(`keyPrefix must not be empty (use ${allowed}, e.g. 'uploads/'), got ''`);
  if (keyPrefix.startsWith('/')) throw new Error(
    `keyPrefix must not start with / (S3 keys have no leading slash), got '${keyPrefix}'`);
  if (!keyPrefix.endsWith('/')) throw new Error(
    `keyPrefix must end with / (a folder, so 'uploads' does not also match 'uploads-old/...'), got '${keyPrefix}'`);
  if (!SAFE_PREFIX.test(keyPrefix)) {
    throw new Error(`keyPrefix may contain only ${allowed} (no character S3 would need encoded in the filter, `
      + `no * or ? that IAM reads as wildcards), got '${keyPrefix}'`);
  }
}
