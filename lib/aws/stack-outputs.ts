import { CloudFormationClient, DescribeStacksCommand, Stack } from '@aws-sdk/client-cloudformation';
import { cdkArgumentsOf } from '../classroom/student';
import { CannotRunError } from '../cli';
import { explainAwsError } from './errors';

export type StackOutputs = Readonly<Record<string, string>>;

/**
 * A stack, or undefined when it does not exist; other errors stay as AWS answered them (preflight turns a missing
 * permission into a warning on one check).
 */
export async function describeStack(
  cloudFormation: CloudFormationClient, stackName: string,
): Promise<Stack | undefined> {
  try {
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    return Stacks?.[0];
  } catch (error) {
    // CloudFormation answers a missing stack with a ValidationError, not a NotFound.
    if ((error as Error).name === 'ValidationError'
      && /does not exist/.test((error as Error).message)) return undefined;
    throw error;
  }
}

/**
 * A deployed lab stack, or undefined; an error about the caller's set-up becomes a CannotRunError that says what to
 * do.
 */
export async function readStack(cloudFormation: CloudFormationClient, stackName: string): Promise<Stack | undefined> {
  try {
    return await describeStack(cloudFormation, stackName);
  } catch (error) {
    throw explainAwsError(error);
  }
}

/** The outputs of a stack that deployed successfully, after checking it is in a state to be checked. */
export async function readStackOutputs(
  cloudFormation: CloudFormationClient, stackName: string, required: readonly string[],
): Promise<StackOutputs> {
  const stack = await readStack(cloudFormation, stackName);
  const region = await cloudFormation.config.region();
  const cdkArguments = cdkArgumentsOf(stackName);
  if (!stack) {
    throw new CannotRunError(`${stackName} is not deployed in ${region}. `
      + `Deploy it with \`npx cdk deploy ${cdkArguments}\`, `
      + 'or point AWS_REGION / AWS_PROFILE at the account and region you deployed it to.');
  }
  const status = stack.StackStatus ?? 'UNKNOWN';
  if (status.endsWith('_IN_PROGRESS')) {
    const doing = status.startsWith('DELETE') ? 'is being deleted' : 'is still deploying';
    throw new CannotRunError(`${stackName} ${doing} (${status}). `
      + `Wait until \`npx cdk deploy ${cdkArguments}\` has finished, then run this again.`);
  }
  if (!['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'IMPORT_COMPLETE'].includes(status)) {
    throw new CannotRunError(`${stackName} did not deploy successfully (${status}). Read why in its events `
      + `(\`aws cloudformation describe-stack-events --stack-name ${stackName}\`), fix it, and deploy again; `
      + `\`npx cdk destroy ${cdkArguments}\` first if it is ROLLBACK_COMPLETE.`);
  }
  const outputs = Object.fromEntries(
    (stack.Outputs ?? []).map((output) => [output.OutputKey!, output.OutputValue ?? '']),
  );
  const missing = required.filter((key) => !(key in outputs));
  if (missing.length > 0) {
    throw new CannotRunError(`${stackName} has no output ${missing.join(', ')}: `
      + 'it was deployed from an older version of this '
      + `repository. Deploy it again with \`npx cdk deploy ${cdkArguments}\`.`);
  }
  return outputs;
}
