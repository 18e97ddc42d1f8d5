import { DescribeEnvironmentsCommand, DescribePlatformVersionCommand } from '@aws-sdk/client-elastic-beanstalk';
import { describeStack } from '../aws/stack-outputs';
import { CheckLine, guarded, line, PreflightClients } from './check-line';
import { LabNeeds } from './lab-needs';

const NAME = 'deployed environment\'s platform version';

/**
 * For a lab already deployed (`stackName`, which `deploy` deploys): whether its Beanstalk environment still runs its
 * branch's recommended platform version. AWS retires versions; a stack update onto a retired one fails, so move it
 * before the next deploy.
 */
export async function deployedBeanstalkPlatform(
  { cloudFormation, elasticBeanstalk }: PreflightClients, needs: LabNeeds, stackName: string, deploy: string,
): Promise<CheckLine[]> {
  if (!needs.beanstalkEnvironment) return [];
  return guarded(NAME, [
    'cloudformation:DescribeStacks',
    'elasticbeanstalk:DescribeEnvironments',
    'elasticbeanstalk:DescribePlatformVersion',
  ], async () => {
    const stack = await describeStack(cloudFormation, stackName);
    if (!stack) return [];
    const output = (key: string) => stack.Outputs?.find((candidate) => candidate.OutputKey === key)?.OutputValue;
    const { Environments = [] } = await elasticBeanstalk.send(new DescribeEnvironmentsCommand({
      ApplicationName: output('ApplicationName'),
      ...(output('EnvironmentName') ? { EnvironmentNames: [output('EnvironmentName')!] } : {}),
      IncludeDeleted: false,
    }));
    const lines: CheckLine[] = [];
    for (const environment of Environments) {
      if (!environment.PlatformArn) continue;
      const { PlatformDescription } = await elasticBeanstalk.send(new DescribePlatformVersionCommand({
        PlatformArn: environment.PlatformArn,
      }));
      const version = `${PlatformDescription?.PlatformBranchName ?? environment.PlatformArn} ${
        PlatformDescription?.PlatformVersion ?? ''}`.trim();
      const state = PlatformDescription?.PlatformLifecycleState;
      lines.push(state === 'recommended'
        ? line('PASS', NAME, `${environment.EnvironmentName} runs ${version}, the recommended version`)
        : line('WARN', NAME, `${environment.EnvironmentName} runs ${version}, no longer the recommended version`
          + `${state ? ` (${state})` : ''}. `
          + `Move it with \`${deploy} -c platformLookup=$(date +%F)\``));
    }
    return lines;
  });
}
