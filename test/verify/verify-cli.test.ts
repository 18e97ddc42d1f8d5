import { parseArgs } from '../../bin/verify';
import { environmentWithoutAws, runCommand } from '../helpers/run-command';

// npm run verify as a student runs it, in a process of its own, on the real AWS SDK credential chain.
jest.setTimeout(30_000);

test('fails with what to do, not a stack trace, when there are no AWS credentials', async () => {
  const { code, stderr } = await runCommand(
    'bin/verify.ts',
    ['Ec2WebServerLab'],
    environmentWithoutAws({ AWS_REGION: 'us-east-1' }),
  );
  expect(stderr).toContain('No AWS credentials found. Sign in the way the AWS CLI does');
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(code).toBe(2);
});

test('fails with what to do when no region is set', async () => {
  const { code, stderr } = await runCommand('bin/verify.ts', ['Ec2WebServerLab'], environmentWithoutAws());
  expect(stderr).toContain('No AWS region set. Set AWS_REGION');
  expect(code).toBe(2);
});

test('fails with how to start it when nothing serves the lab locally', async () => {
  const { code, stderr } = await runCommand(
    'bin/verify.ts',
    ['LambdaUsersLab', '--local', '--port', '9', '--time-limit', '0'],
    environmentWithoutAws(),
  );
  expect(stderr).toMatch(
    /^Nothing answers the Lambda API at http:\/\/127\.0\.0\.1:9 \(.*\)\. Start the users API with `npm run local`/m,
  );
  expect(code).toBe(2);
});

test('reads the lab, --local, --port (or PORT) and --time-limit', () => {
  expect(parseArgs(['FargateServiceLab'], {}))
    .toEqual({ stackName: 'FargateServiceLab', localOrigin: undefined, timeLimitMs: 600_000 });
  expect(parseArgs(['LambdaUsersLab', '--local'], { PORT: '3100' })).toEqual({ stackName: 'LambdaUsersLab', localOrigin: 'http://127.0.0.1:3100', timeLimitMs: 60_000 });
  expect(parseArgs(['LambdaUsersLab', '--local', '--port', '3200', '--time-limit', '5'], {})).toEqual({ stackName: 'LambdaUsersLab', localOrigin: 'http://127.0.0.1:3200', timeLimitMs: 5_000 });
  expect(parseArgs(['--help'], {})).toBe('help');
});

test('reads --wait-scale-in for SqsWorkersLab, with a longer default time limit, and refuses it elsewhere', () => {
  expect(parseArgs(['SqsWorkersLab', '--wait-scale-in'], {}))
    .toEqual({ stackName: 'SqsWorkersLab', localOrigin: undefined, timeLimitMs: 1_200_000, waitScaleIn: true });
  expect(parseArgs(['SqsWorkersLab', '--wait-scale-in', '--time-limit', '30'], {}))
    .toEqual({ stackName: 'SqsWorkersLab', localOrigin: undefined, timeLimitMs: 30_000, waitScaleIn: true });
  expect(parseArgs(['SqsWorkersLab'], {}))
    .toEqual({ stackName: 'SqsWorkersLab', localOrigin: undefined, timeLimitMs: 600_000 });
  expect(() => parseArgs(['FargateServiceLab', '--wait-scale-in'], {}))
    .toThrow('--wait-scale-in is for SqsWorkersLab in AWS, whose workers scale back to 0, got FargateServiceLab');
  expect(() => parseArgs(['SqsWorkersLab', '--wait-scale-in', '--local'], {}))
    .toThrow('--wait-scale-in is for SqsWorkersLab in AWS, whose workers scale back to 0, got SqsWorkersLab --local');
});

test('fails on a missing or unknown lab and bad options, saying what is allowed', () => {
  expect(() => parseArgs([], {})).toThrow('which lab? Name its stack');
  expect(() => parseArgs(['Ec2Lab'], {})).toThrow('unknown lab "Ec2Lab"');
  expect(() => parseArgs(['toString'], {})).toThrow('unknown lab "toString"'); // a property of every object, not a lab
  expect(() => parseArgs(['LambdaUsersLab', 'Ec2WebServerLab'], {}))
    .toThrow('one lab at a time: got LambdaUsersLab and Ec2WebServerLab');
  expect(() => parseArgs(['LambdaUsersLab', '--time-limit', '1m'], {}))
    .toThrow('--time-limit must be a whole number of seconds, got "1m"');
  expect(() => parseArgs(['LambdaUsersLab', '--local', '--port', '70000'], {}))
    .toThrow('--port (or PORT) must be a whole number from 1 to 65535, got "70000"');
  expect(() => parseArgs(['LambdaUsersLab', '--verbose'], {})).toThrow('unknown option --verbose');
});

test('refuses --local for a lab that npm run local does not serve', async () => {
  const { code, stderr } = await runCommand('bin/verify.ts', ['FargateServiceLab', '--local'], environmentWithoutAws());
  expect(stderr).toContain('--local checks LambdaUsersLab, S3UploadsLab only: npm run local serves no other lab.');
  expect(code).toBe(2);
});
