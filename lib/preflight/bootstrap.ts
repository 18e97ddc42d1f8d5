import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { describeStack } from '../aws/stack-outputs';
import { CheckLine, guarded, isAwsError, line, PreflightClients } from './check-line';
import { LabNeeds } from './lab-needs';
import { Identity } from './region';

const NAME = 'CDK bootstrap';

/**
 * Whether the account and region are bootstrapped with a version the template accepts: the version is the SSM
 * parameter the template's BootstrapVersion parameter reads (what the deploy itself checks), else the CDKToolkit
 * stack's BootstrapVersion output when SSM may not be read.
 */
export async function bootstrapVersion(
  clients: PreflightClients, needs: LabNeeds, { account, region }: Identity,
): Promise<CheckLine[]> {
  const need = needs.bootstrap;
  if (!need) return [];
  const bootstrap = `\`npx cdk bootstrap aws://${account}/${region}\``;
  return guarded(NAME, ['ssm:GetParameter', 'cloudformation:DescribeStacks'], async () => {
    const found = await deployedVersion(clients, need.parameter);
    if (found === undefined) {
      return [line('FAIL', NAME, `${account}/${region} is not bootstrapped (no SSM parameter ${need.parameter}, `
        + `no CDKToolkit stack): run ${bootstrap} once, then deploy`)];
    }
    if (found.version < need.minimum) {
      return [line('FAIL', NAME, `version ${found.version} (${found.from}); the lab needs ${need.minimum} or newer: `
        + `run ${bootstrap} to update it, then deploy`)];
    }
    return [line('PASS', NAME, `version ${found.version} (${found.from}); the lab needs ${need.minimum} or newer`)];
  });
}

async function deployedVersion(
  { ssm, cloudFormation }: PreflightClients, parameter: string,
): Promise<{ version: number; from: string } | undefined> {
  try {
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: parameter }));
    return { version: Number(Parameter?.Value), from: `SSM parameter ${parameter}` };
  } catch (error) {
    if (isAwsError(error, 'ParameterNotFound')) return undefined;
    if (!isAwsError(error, 'AccessDeniedException', 'AccessDenied')) throw error;
  }
  // No permission to read the parameter: the bootstrap stack's output says the same.
  const toolkit = await describeStack(cloudFormation, 'CDKToolkit');
  if (!toolkit) return undefined;
  const output = toolkit.Outputs?.find((candidate) => candidate.OutputKey === 'BootstrapVersion')?.OutputValue;
  return { version: Number(output), from: 'CDKToolkit stack output BootstrapVersion' };
}
