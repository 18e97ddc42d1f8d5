import { LABS } from '../../bin/labs';
import { parseArgs } from '../../bin/leftovers';
import { environmentWithoutAws, runCommand } from '../helpers/run-command';

// npm run leftovers as a student runs it, in a process of its own, on the real AWS SDK credential chain.
jest.setTimeout(30_000);

test('fails with what to do, not a stack trace, when there are no AWS credentials', async () => {
  const { code, stderr } = await runCommand(
    'bin/leftovers.ts',
    ['LambdaUsersLab'],
    environmentWithoutAws({ AWS_REGION: 'us-east-1' }),
  );
  expect(stderr).toContain('No AWS credentials found. Sign in the way the AWS CLI does');
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(code).toBe(2);
});

test('fails on an unknown lab, listing the labs', async () => {
  const { code, stderr } = await runCommand('bin/leftovers.ts', ['UsersLab'], environmentWithoutAws());
  expect(stderr).toMatch(/^unknown lab "UsersLab"\n\nUsage: npm run leftovers -- <LabStack>/);
  expect(stderr).toContain(`<LabStack>   ${Object.keys(LABS).join(', ')}`);
  expect(code).toBe(2);
});

test('reads one lab, and refuses none or two', () => {
  expect(parseArgs(['LambdaUsersLab'])).toEqual({ lab: 'LambdaUsersLab' });
  expect(parseArgs(['--help'])).toBe('help');
  expect(() => parseArgs([])).toThrow('which lab? Name its stack');
  expect(() => parseArgs(['LambdaUsersLab', 'Ec2WebServerLab']))
    .toThrow('unknown lab "LambdaUsersLab Ec2WebServerLab"');
  expect(() => parseArgs(['toString'])).toThrow('unknown lab "toString"'); // a property of every object, not a lab
});
