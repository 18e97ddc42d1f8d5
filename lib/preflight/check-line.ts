import type { AwsClients } from '../aws/clients';
import { explainAwsError } from '../aws/errors';
import { CannotRunError } from '../cli';

/** The clients preflight calls: read-only calls only. */
export type PreflightClients = Pick<
  AwsClients, 'sts' | 'ssm' | 'iam' | 'ec2' | 'elbv2' | 'serviceQuotas' | 'elasticBeanstalk' | 'cloudFormation'
>;

/** PASS, WARN (look at it, the deploy may still work), FAIL (the deploy will fail), INFO (nothing to decide). */
export type CheckStatus = 'PASS' | 'WARN' | 'FAIL' | 'INFO';

/** One line of the preflight report: what was checked, what was seen, and what to do about it. */
export interface CheckLine {
  readonly status: CheckStatus;
  readonly name: string;
  readonly detail: string;
}

export const line = (status: CheckStatus, name: string, detail: string): CheckLine => ({ status, name, detail });

/** `PASS  CDK bootstrap stack: version 30 (the lab needs 6 or newer)` */
export const formatLine = ({ status, name, detail }: CheckLine) => `${status}  ${name}: ${detail}`;

const ACCESS_DENIED = ['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError'];
const THROTTLED = ['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded'];

/**
 * Runs one check so that its failure to look stays its own: a missing permission or throttling makes it a WARN
 * that names the action or says to wait, and the other checks still run. Missing, expired or rejected credentials
 * and a missing region stop the whole run with what to do (a CannotRunError).
 */
export async function guarded(
  name: string, actions: readonly string[], check: () => Promise<CheckLine[]>,
): Promise<CheckLine[]> {
  try {
    return await check();
  } catch (error) {
    const { name: errorName = 'Error', message = String(error) } = error as Error;
    if (ACCESS_DENIED.includes(errorName)) {
      const action = /perform: ([\w-]+:\w+)/.exec(message)?.[1] ?? actions.join(', ');
      return [line('WARN', name, `not checked: your AWS identity may not call ${action} (${errorName}). `
        + 'Ask for that read-only permission, or check it yourself before deploying')];
    }
    if (THROTTLED.includes(errorName)) {
      return [line('WARN', name, `not checked: AWS throttled the calls (${errorName}) after the SDK's retries. `
        + 'Wait a minute and run preflight again')];
    }
    const explained = explainAwsError(error);
    if (explained instanceof CannotRunError) throw explained;
    return [line('WARN', name, `not checked: ${errorName}: ${message}`)];
  }
}

/** True when AWS answered with one of these errors (ParameterNotFound, NoSuchEntityException, ...). */
export const isAwsError = (error: unknown, ...names: string[]) => names.includes((error as Error)?.name);
