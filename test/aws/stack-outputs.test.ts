import { CloudFormationClient, DescribeStacksCommand, StackStatus } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { CannotRunError } from '../../lib/cli';
import { readStackOutputs } from '../../lib/aws/stack-outputs';

const cloudFormation = mockClient(CloudFormationClient);
const client = () => new CloudFormationClient({
  region: 'eu-west-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const awsError = (name: string, message: string) => Object.assign(new Error(message), { name });
const stack = (StackStatus: StackStatus, outputs: Record<string, string> = {}) => ({
  Stacks: [{
    StackName: 'LambdaUsersLab',
    StackStatus,
    CreationTime: new Date(),
    Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
  }],
});

beforeEach(() => cloudFormation.reset());

test('reads the outputs of a deployed stack (AWS API mocked)', async () => {
  cloudFormation.on(DescribeStacksCommand, { StackName: 'LambdaUsersLab' }).resolves(stack('UPDATE_COMPLETE', { UsersUrl: 'https://example/prod/users', FunctionName: 'f' }));
  await expect(readStackOutputs(client(), 'LambdaUsersLab', ['UsersUrl', 'FunctionName'])).resolves.toEqual({ UsersUrl: 'https://example/prod/users', FunctionName: 'f' });
});

test('fails with what to do when the stack is not deployed in the region (AWS API mocked)', async () => {
  cloudFormation.on(DescribeStacksCommand)
    .rejects(awsError('ValidationError', 'Stack with id LambdaUsersLab does not exist'));
  const error = await readStackOutputs(client(), 'LambdaUsersLab', []).catch((e) => e);
  expect(error).toBeInstanceOf(CannotRunError);
  expect(error.message).toBe('LambdaUsersLab is not deployed in eu-west-1. '
    + 'Deploy it with `npx cdk deploy LambdaUsersLab`, '
    + 'or point AWS_REGION / AWS_PROFILE at the account and region you deployed it to.');
});

test('fails with "wait" while the stack is still deploying or being deleted (AWS API mocked)', async () => {
  cloudFormation.on(DescribeStacksCommand)
    .resolvesOnce(stack('CREATE_IN_PROGRESS'))
    .resolvesOnce(stack('DELETE_IN_PROGRESS'));
  await expect(readStackOutputs(client(), 'LambdaUsersLab', []))
    .rejects.toThrow('LambdaUsersLab is still deploying (CREATE_IN_PROGRESS). Wait until');
  await expect(readStackOutputs(client(), 'LambdaUsersLab', []))
    .rejects.toThrow('LambdaUsersLab is being deleted (DELETE_IN_PROGRESS)');
});

test('fails with where to read why when the deploy failed (AWS API mocked)', async () => {
  cloudFormation.on(DescribeStacksCommand).resolves(stack('ROLLBACK_COMPLETE'));
  await expect(readStackOutputs(client(), 'LambdaUsersLab', []))
    .rejects.toThrow(/did not deploy successfully \(ROLLBACK_COMPLETE\).*describe-stack-events/);
});

test('fails asking to redeploy when an output the checks need is missing (AWS API mocked)', async () => {
  cloudFormation.on(DescribeStacksCommand).resolves(stack('CREATE_COMPLETE', { UsersUrl: 'u' }));
  await expect(readStackOutputs(client(), 'LambdaUsersLab', ['UsersUrl', 'FunctionName']))
    .rejects.toThrow('LambdaUsersLab has no output FunctionName');
});

test('turns missing and expired credentials into what to do (AWS API mocked)', async () => {
  cloudFormation.on(DescribeStacksCommand)
    .rejectsOnce(awsError('CredentialsProviderError', 'Could not load credentials from any providers'))
    .rejectsOnce(awsError('ExpiredToken', 'The security token included in the request is expired'));
  await expect(readStackOutputs(client(), 'LambdaUsersLab', []))
    .rejects.toThrow(/^No AWS credentials found\. .*aws sso login/);
  await expect(readStackOutputs(client(), 'LambdaUsersLab', []))
    .rejects.toThrow(/^Your AWS credentials have expired \(ExpiredToken\)/);
});

test('names a student\'s stack by lab and student in the cdk commands it suggests (AWS API mocked)', async () => {
  cloudFormation.on(DescribeStacksCommand)
    .rejects(awsError('ValidationError', 'Stack with id alice-LambdaUsersLab does not exist'));
  await expect(readStackOutputs(client(), 'alice-LambdaUsersLab', []))
    .rejects.toThrow('Deploy it with `npx cdk deploy LambdaUsersLab -c student=alice`');
  cloudFormation.reset();
  cloudFormation.on(DescribeStacksCommand).resolves(stack('ROLLBACK_COMPLETE'));
  await expect(readStackOutputs(client(), 'alice-LambdaUsersLab', []))
    .rejects.toThrow('`npx cdk destroy LambdaUsersLab -c student=alice` first if it is ROLLBACK_COMPLETE');
});
