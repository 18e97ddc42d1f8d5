import { LABS } from '../../bin/labs';
import { MAX_STUDENTS, parseArgs } from '../../bin/preflight';
import { STUDENT_NAME_RULE } from '../../lib/classroom/student';
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
  expect(stderr).toContain(`  <LabStack>         ${Object.keys(LABS).join(', ')}\n`);
  expect(code).toBe(2);
});

test('reads one lab, and --help', () => {
  expect(parseArgs(['FargateServiceLab'])).toEqual({ lab: 'FargateServiceLab' });
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

describe('classroom mode', () => {
  test('reads --student, --students, or both, before or after the lab', () => {
    expect(parseArgs(['BeanstalkAppLab', '--student', 'alice'])).toEqual({ lab: 'BeanstalkAppLab', student: 'alice' });
    expect(parseArgs(['--students', '30', 'BeanstalkAppLab'])).toEqual({ lab: 'BeanstalkAppLab', students: 30 });
    expect(parseArgs(['BeanstalkAppLab', '--students', '30', '--student', 'team-3']))
      .toEqual({ lab: 'BeanstalkAppLab', student: 'team-3', students: 30 });
  });

  test('takes a class of 1 and of 100 students', () => {
    expect(parseArgs(['Ec2AsgAlbLab', '--students', '1'])).toEqual({ lab: 'Ec2AsgAlbLab', students: 1 });
    expect(parseArgs(['Ec2AsgAlbLab', '--students', String(MAX_STUDENTS)]))
      .toEqual({ lab: 'Ec2AsgAlbLab', students: 100 });
  });

  test.each([['0'], ['101'], ['-1'], ['1.5'], ['030'], ['thirty'], ['']])(
    'fails on --students %j, saying what is allowed', (value) => {
      expect(() => parseArgs(['Ec2AsgAlbLab', '--students', value]))
        .toThrow(`--students must be a whole number from 1 to 100, got ${JSON.stringify(value)}`);
    },
  );

  test('fails on --students or --student without a value', () => {
    expect(() => parseArgs(['Ec2AsgAlbLab', '--students'])).toThrow('--students must be a whole number from 1 to 100');
    expect(() => parseArgs(['Ec2AsgAlbLab', '--student'])).toThrow(`--student needs a name: ${STUDENT_NAME_RULE}`);
  });

  test('fails on a name that could not be a student\'s, saying what is allowed', () => {
    expect(() => parseArgs(['Ec2AsgAlbLab', '--student', 'Alice'])).toThrow(STUDENT_NAME_RULE);
    expect(() => parseArgs(['Ec2AsgAlbLab', '--student', 'a'.repeat(21)])).toThrow(STUDENT_NAME_RULE);
  });

  test('fails with its usage on a bad --students, before any AWS call', async () => {
    const { code, stdout, stderr } = await runCommand(
      'bin/preflight.ts', ['SqsWorkersLab', '--students', '0'], environmentWithoutAws(),
    );
    expect(stderr).toMatch(/^--students must be a whole number from 1 to 100, got "0"\n\nUsage: npm run preflight/);
    expect(stderr).toContain('--students N       count the quotas of N students\' copies, 1 to 100');
    expect(stdout).toBe('');
    expect(code).toBe(2);
  });
});
