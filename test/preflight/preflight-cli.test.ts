import { LABS } from '../../bin/labs';
import { parseArgs } from '../../bin/preflight';
import { environmentWithoutAws, runCommand } from '../helpers/run-command';

// npm run preflight as a student runs it, in a process of its own, on the real AWS SDK credential chain.
jest.setTimeout(30_000);

test('fails with what to do, not a stack trace, when there are no AWS credentials', async () => {
  const { code, stdout, stderr } = await runCommand(
    'bin/preflight.ts',
    ['LambdaUsersLab'],
    environmentWithoutAws({ AWS_REGION: 'us-east-1' }),
  );
  expect(stderr).toContain('No AWS credentials found. Sign in the way the AWS CLI does');
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stdout).toBe('');
  expect(code).toBe(2);
});

test('fails with what to do when no region is set', async () => {
  const { code, stderr } = await runCommand('bin/preflight.ts', ['Ec2WebServerLab'], environmentWithoutAws());
  expect(stderr).toContain('No AWS region set. Set AWS_REGION');
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(code).toBe(2);
});

test('fails on an unknown lab, listing the labs', async () => {
  const { code, stderr } = await runCommand('bin/preflight.ts', ['UsersLab'], environmentWithoutAws());
  expect(stderr).toMatch(/^unknown lab "UsersLab"\n\nUsage: npm run preflight -- <LabStack>/);
  expect(stderr).toContain(`<LabStack>   ${Object.keys(LABS).join(', ')}`);
  expect(code).toBe(2);
});

test('reads one lab, and --help', () => {
  expect(parseArgs(['FargateServiceLab'])).toBe('FargateServiceLab');
  expect(parseArgs(['--help'])).toBe('help');
  expect(parseArgs(['LambdaUsersLab', '-h'])).toBe('help');
});

test('fails on no lab, two labs, an unknown lab or an unknown option, saying what is allowed', () => {
  expect(() => parseArgs([])).toThrow('which lab? Name its stack');
  expect(() => parseArgs(['LambdaUsersLab', 'Ec2WebServerLab']))
    .toThrow('one lab at a time: got LambdaUsersLab and Ec2WebServerLab');
  expect(() => parseArgs(['Ec2Lab'])).toThrow('unknown lab "Ec2Lab"');
  expect(() => parseArgs(['toString'])).toThrow('unknown lab "toString"'); // a property of every object, not a lab
  expect(() => parseArgs(['LambdaUsersLab', '--region'])).toThrow('unknown option --region');
});
