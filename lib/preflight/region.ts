import { ListPlatformVersionsCommand } from '@aws-sdk/client-elastic-beanstalk';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { explainAwsError } from '../aws/errors';
import { recommendedVersionFilters } from '../constructs/beanstalk-platform';
import { CannotRunError } from '../cli';
import { CheckLine, guarded, isAwsError, line, PreflightClients } from './check-line';
import { LabNeeds } from './lab-needs';

export interface Identity {
  readonly account: string;
  readonly arn: string;
  readonly region: string;
}

/**
 * Who the credentials belong to, and the region: the one check without which nothing else can be checked. No
 * credentials, no region or throttling stop the run with what to do.
 */
export async function callerIdentity({ sts }: Pick<PreflightClients, 'sts'>): Promise<Identity> {
  try {
    const region = await sts.config.region();
    const { Account, Arn } = await sts.send(new GetCallerIdentityCommand({}));
    return { account: Account!, arn: Arn!, region };
  } catch (error) {
    const { code, hostname } = error as { code?: string; hostname?: string };
    if (['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT'].includes(code ?? '')
      || (error as Error).name === 'TimeoutError') {
      throw new CannotRunError('Could not reach AWS '
        + `(${[code ?? (error as Error).name, hostname].filter(Boolean).join(' ')}): check your network connection `
        + 'or proxy, then run this again.');
    }
    if (['Throttling', 'ThrottlingException'].includes((error as Error).name)) {
      throw new CannotRunError(`AWS throttled sts:GetCallerIdentity (${(error as Error).name}) `
        + `after the SDK's retries. Wait a minute, then run this again.`);
    }
    throw explainAwsError(error);
  }
}

export const identityLine = ({ account, arn, region }: Identity): CheckLine =>
  line('PASS', 'credentials and region', `account ${account} as ${arn}, region ${region}`);

/**
 * Whether the region offers every service the lab uses, from the public SSM parameters of AWS's global
 * infrastructure.
 */
export async function regionServices({ ssm }: PreflightClients, needs: LabNeeds, region: string): Promise<CheckLine[]> {
  if (needs.services.length === 0) return [];
  const name = `${region} offers the lab's services`;
  return guarded(name, ['ssm:GetParameter'], async () => {
    const missing: string[] = [];
    const unknown: string[] = [];
    for (const service of needs.services) {
      if (await hasParameter(ssm, `/aws/service/global-infrastructure/regions/${region}/services/${service}`)) continue;
      // A code AWS does not list at all is this project's mistake, not the region's: say so rather than fail.
      const known = await hasParameter(ssm, `/aws/service/global-infrastructure/services/${service}`);
      (known ? missing : unknown).push(service);
    }
    const offered = needs.services.filter((service) => !missing.includes(service) && !unknown.includes(service));
    const source = `(AWS's public SSM parameters /aws/service/global-infrastructure/regions/${region}/services/...)`;
    if (missing.length > 0) {
      return [line('FAIL', name, `${region} does not offer ${missing.join(', ')} ${source}. `
        + 'Deploy to a region that does, e.g. `export AWS_REGION=us-east-1`')];
    }
    if (unknown.length > 0) {
      return [line('WARN', name, `${offered.join(', ')} ${source}; not checked: ${unknown.join(', ')}, which AWS's `
        + 'list of service codes (/aws/service/global-infrastructure/services) does not have')];
    }
    return [line('PASS', name, `${needs.services.join(', ')} ${source}`)];
  });
}

async function hasParameter(ssm: PreflightClients['ssm'], parameter: string): Promise<boolean> {
  try {
    await ssm.send(new GetParameterCommand({ Name: parameter }));
    return true;
  } catch (error) {
    if (!isAwsError(error, 'ParameterNotFound')) throw error;
    return false;
  }
}

/**
 * No read-only API lists the runtimes or architectures Lambda offers in a region: say so, and what the deploy would
 * say.
 */
export function lambdaRuntimes(needs: LabNeeds): CheckLine[] {
  if (needs.lambdaRuntimes.length === 0) return [];
  return [line('INFO', 'Lambda runtimes', `the lab's functions run ${needs.lambdaRuntimes.join(', ')}. `
    + 'No read-only AWS API lists the runtimes and architectures a region offers, so this is not checked; '
    + 'if the deploy says one is not supported, deploy to another region')];
}

/**
 * Whether each Beanstalk platform branch the lab uses has a recommended, ready version in the region (what the deploy
 * looks up).
 */
export async function beanstalkBranches(
  { elasticBeanstalk }: PreflightClients, needs: LabNeeds, region: string,
): Promise<CheckLine[]> {
  const lines: CheckLine[] = [];
  for (const branch of needs.beanstalkBranches) {
    const name = `Elastic Beanstalk platform branch "${branch}"`;
    lines.push(...await guarded(name, ['elasticbeanstalk:ListPlatformVersions'], async () => {
      const { PlatformSummaryList = [] } = await elasticBeanstalk.send(new ListPlatformVersionsCommand({
        Filters: recommendedVersionFilters(branch),
      }));
      const arn = PlatformSummaryList[0]?.PlatformArn;
      if (!arn) {
        return [line('FAIL', name, `no recommended version in ${region}: the deploy's platform lookup would find none. `
          + 'Pick a current branch (`aws elasticbeanstalk list-platform-branches`) and deploy with '
          + '`-c platformBranch="<branch>"`, or use another region')];
      }
      return [line('PASS', name, `recommended version ${arn.split('/').slice(-2).join(' ')} in ${region}`)];
    }));
  }
  return lines;
}
