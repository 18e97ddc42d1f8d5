import {
  CloudFormationClient, DescribeStacksCommand, ListStacksCommand, type StackSummary,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { parseArgs } from '../../bin/class';
import { awsClients } from '../../lib/aws/clients';
import {
  ClassStatus, costsByLab, formatClassStatus, IdleCosts, labsToPrice, readClassStatus,
} from '../../lib/classroom/status';
import { CannotRunError } from '../../lib/cli';
import type { LabCost } from '../../lib/cost/report';
import { environmentWithoutAws, runCommand } from '../helpers/run-command';

// npm run class -- status: every lab stack in the account and region, for the instructor. The CloudFormation answers
// are mocked: there is no AWS account here. The clock is fixed.
jest.setTimeout(30_000);

const cloudFormation = mockClient(CloudFormationClient);
beforeEach(() => cloudFormation.reset());

const NOW = new Date('2026-11-28T06:18:00Z');
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
const clients = () => awsClients({
  region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

function summary(name: string, status: string, created: Date, extra: Partial<StackSummary> = {}): StackSummary {
  return { StackName: name, StackStatus: status as StackSummary['StackStatus'], CreationTime: created, ...extra };
}

/** ListStacks answers in pages; DescribeStacks gives each stack's outputs (`deadlines`), or says it is gone. */
function account(pages: StackSummary[][], deadlines: Record<string, string> = {}) {
  pages.forEach((page, i) => {
    cloudFormation.on(ListStacksCommand, i === 0 ? {} : { NextToken: `page-${i}` }).resolves({
      StackSummaries: page,
      ...i < pages.length - 1 ? { NextToken: `page-${i + 1}` } : {},
    });
  });
  if (pages.length === 0) cloudFormation.on(ListStacksCommand).resolves({ StackSummaries: [] });
  cloudFormation.on(DescribeStacksCommand).rejects(
    Object.assign(new Error('Stack with id x does not exist'), { name: 'ValidationError' }));
  for (const page of pages) {
    for (const stack of page) {
      cloudFormation.on(DescribeStacksCommand, { StackName: stack.StackName }).resolves({ Stacks: [{
        StackName: stack.StackName, StackStatus: stack.StackStatus, CreationTime: stack.CreationTime,
        Outputs: stack.StackName! in deadlines
          ? [
            { OutputKey: 'Url', OutputValue: 'x' },
            { OutputKey: 'Deadline', OutputValue: deadlines[stack.StackName!] },
          ]
          : [{ OutputKey: 'Url', OutputValue: 'x' }],
      }] });
    }
  }
}

describe('which stacks it lists (mocked AWS)', () => {
  test('reads every page of ListStacks, and keeps the labs\' stacks and the class\'s own', async () => {
    account([
      [
        summary('alice-LambdaUsersLab', 'CREATE_COMPLETE', minutesAgo(65)),
        summary('CDKToolkit', 'UPDATE_COMPLETE', minutesAgo(9000)),
      ],
      [summary('bob-Ec2WebServerLab', 'CREATE_IN_PROGRESS', minutesAgo(2))],
      [
        summary('ClassroomSetup', 'CREATE_COMPLETE', minutesAgo(200)),
        summary('Ec2WebServerLab', 'UPDATE_COMPLETE', minutesAgo(300), { LastUpdatedTime: minutesAgo(30) }),
      ],
    ]);
    const status = await readClassStatus(clients().cloudFormation);
    // The paginator reuses one input object, so the calls' recorded inputs all hold the last token.
    expect(cloudFormation.commandCalls(ListStacksCommand)).toHaveLength(3);
    expect(status.stacks.map(({ stackName, lab, student }) => [stackName, lab, student])).toEqual([
      ['alice-LambdaUsersLab', 'LambdaUsersLab', 'alice'],
      ['bob-Ec2WebServerLab', 'Ec2WebServerLab', 'bob'],
      ['Ec2WebServerLab', 'Ec2WebServerLab', undefined],
    ]);
    expect(status.stacks[2]).toMatchObject({ created: minutesAgo(300), deployed: minutesAgo(30) });
    expect(status.stacks[0]).toMatchObject({ created: minutesAgo(65), deployed: minutesAgo(65) });
    expect(status.setup).toEqual({
      stackName: 'ClassroomSetup', status: 'CREATE_COMPLETE', created: minutesAgo(200), deployed: minutesAgo(200),
    });
    expect(status.region).toBe('us-east-1');
  });

  test('leaves out deleted stacks, nested stacks, and names that only look like a lab\'s', async () => {
    account([[
      summary('alice-LambdaUsersLab', 'DELETE_COMPLETE', minutesAgo(90), { DeletionTime: minutesAgo(5) }),
      summary('alice-LambdaUsersLab', 'CREATE_COMPLETE', minutesAgo(4)),
      summary('alice-LambdaUsersLab-Nested-1A2B', 'CREATE_COMPLETE', minutesAgo(4), { ParentId: 'arn:x' }),
      summary('bob-LambdaUsersLab', 'CREATE_COMPLETE', minutesAgo(4), { ParentId: 'arn:x' }),
      summary('Alice-LambdaUsersLab', 'CREATE_COMPLETE', minutesAgo(4)),
      summary('LambdaUsersLabX', 'CREATE_COMPLETE', minutesAgo(4)),
      summary('alice-LambdaUsersLabX', 'CREATE_COMPLETE', minutesAgo(4)),
      summary('ClassroomSetup', 'DELETE_COMPLETE', minutesAgo(400)),
    ]]);
    const status = await readClassStatus(clients().cloudFormation);
    expect(status.stacks.map((stack) => [stack.stackName, stack.status]))
      .toEqual([['alice-LambdaUsersLab', 'CREATE_COMPLETE']]);
    expect(status.setup).toBeUndefined();
    expect(cloudFormation.commandCalls(DescribeStacksCommand).map((call) => call.args[0].input.StackName))
      .toEqual(['alice-LambdaUsersLab']);
  });

  test('reads the deadline from the Deadline output, and none from a stack without one or gone meanwhile',
    async () => {
      account([[
        summary('alice-LambdaUsersLab', 'CREATE_COMPLETE', minutesAgo(10)),
        summary('bob-LambdaUsersLab', 'CREATE_COMPLETE', minutesAgo(10)),
        summary('carol-LambdaUsersLab', 'DELETE_IN_PROGRESS', minutesAgo(100)),
      ]], { 'alice-LambdaUsersLab': '2026-11-28T07:30:00Z' });
      cloudFormation.on(DescribeStacksCommand, { StackName: 'carol-LambdaUsersLab' }).rejects(
        Object.assign(new Error('Stack with id carol-LambdaUsersLab does not exist'), { name: 'ValidationError' }));
      const status = await readClassStatus(clients().cloudFormation);
      expect(status.stacks.map((stack) => [stack.student, stack.deadline])).toEqual([
        ['alice', '2026-11-28T07:30:00Z'], ['bob', undefined], ['carol', undefined],
      ]);
    });

  test('sorts by student, then lab, the labs deployed without a student last', async () => {
    account([[
      summary('SqsWorkersLab', 'CREATE_COMPLETE', minutesAgo(1)),
      summary('bob-SqsWorkersLab', 'CREATE_COMPLETE', minutesAgo(1)),
      summary('alice-SqsWorkersLab', 'CREATE_COMPLETE', minutesAgo(1)),
      summary('alice-Ec2AsgAlbLab', 'CREATE_COMPLETE', minutesAgo(1)),
      summary('Ec2AsgAlbLab', 'CREATE_COMPLETE', minutesAgo(1)),
    ]]);
    const status = await readClassStatus(clients().cloudFormation);
    expect(status.stacks.map((stack) => stack.stackName)).toEqual([
      'alice-Ec2AsgAlbLab', 'alice-SqsWorkersLab', 'bob-SqsWorkersLab', 'Ec2AsgAlbLab', 'SqsWorkersLab',
    ]);
  });

  test('fails with what to do when there are no credentials', async () => {
    cloudFormation.on(ListStacksCommand).rejects(Object.assign(
      new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const failure = readClassStatus(clients().cloudFormation);
    await expect(failure).rejects.toEqual(expect.any(CannotRunError));
    await expect(failure).rejects.toThrow(/^No AWS credentials found\./);
  });

  test('fails with what to do when the identity may not list stacks', async () => {
    cloudFormation.on(ListStacksCommand).rejects(Object.assign(
      new Error('User: arn:aws:iam::123456789012:user/s is not authorized to perform: cloudformation:ListStacks'),
      { name: 'AccessDenied' },
    ));
    await expect(readClassStatus(clients().cloudFormation))
      .rejects.toThrow(/^Your AWS identity may not do this: .*cloudformation:ListStacks/);
  });
});

const cost = (lab: string, knownHourly: number, incomplete = false): LabCost => ({
  lab, lines: [], knownHourly, incomplete, perUse: [], taskRuns: [], scaledServices: [],
});
const COSTS: IdleCosts = {
  classroom: new Map([
    ['LambdaUsersLab', cost('alice-LambdaUsersLab', 0)],
    ['Ec2WebServerLab', cost('alice-Ec2WebServerLab', 0.0163)],
    ['BeanstalkAppLab', cost('alice-BeanstalkAppLab', 0.0154, true)],
  ]),
  withoutStudent: new Map([['Ec2WebServerLab', cost('Ec2WebServerLab', 0.0213)]]),
};

function status(stacks: Array<Partial<ClassStatus['stacks'][number]> & { stackName: string }>,
  setup?: ClassStatus['setup']): ClassStatus {
  return {
    region: 'us-east-1',
    stacks: stacks.map((stack) => ({
      lab: stack.stackName.replace(/^.*-/, '') as never,
      status: 'CREATE_COMPLETE',
      created: minutesAgo(10),
      deployed: minutesAgo(10),
      ...stack.stackName.includes('-') ? { student: stack.stackName.replace(/-.*$/, '') } : {},
      ...stack,
    })),
    ...setup ? { setup } : {},
  };
}

describe('the table (clock fixed)', () => {
  test('shows student, lab, status, age, last deploy, deadline and idle cost, one stack a line', () => {
    const text = formatClassStatus(status([
      {
        stackName: 'alice-Ec2WebServerLab', created: minutesAgo(72), deployed: minutesAgo(3),
        deadline: '2026-11-28T07:30:00Z',
      },
      { stackName: 'alice-LambdaUsersLab', status: 'UPDATE_IN_PROGRESS' },
      { stackName: 'bob-Ec2WebServerLab', status: 'ROLLBACK_COMPLETE', deadline: '2026-11-28T06:00:00Z' },
      { stackName: 'Ec2WebServerLab', created: minutesAgo(3 * 24 * 60 + 5 * 60) },
    ]), COSTS, NOW);
    expect(text.split('\n').slice(0, 7)).toEqual([
      'Lab stacks in us-east-1 at 2026-11-28T06:18:00Z:',
      '',
      'student  lab              status              age         last deploy  deadline                                '
        + '  idle $/h',
      'alice    Ec2WebServerLab  CREATE_COMPLETE     1 h 12 min  3 min ago    2026-11-28T07:30:00Z (1 h 12 min left)  '
        + '  $0.0163/h',
      'alice    LambdaUsersLab   UPDATE_IN_PROGRESS  10 min      10 min ago   -                                       '
        + '  $0.0000/h',
      'bob      Ec2WebServerLab  ROLLBACK_COMPLETE   10 min      10 min ago   2026-11-28T06:00:00Z (passed 18 min ago)'
        + '  -',
      '-        Ec2WebServerLab  CREATE_COMPLETE     3 d 5 h     10 min ago   -                                       '
        + '  $0.0213/h',
    ]);
  });

  test('counts an age in whole minutes, hours from the 60th minute on', () => {
    const ages = (minutes: number[]) => formatClassStatus(status(minutes.map((age, i) => ({
      stackName: `s${i}-LambdaUsersLab`, created: minutesAgo(age), deployed: minutesAgo(age),
    }))), COSTS, NOW).split('\n').slice(3, 3 + minutes.length).map((line) => line.split(/ {2,}/)[3]);
    expect(ages([0, 59.999, 60, 60 * 24 - 0.001, 60 * 24]))
      .toEqual(['under 1 min', '59 min', '1 h', '23 h 59 min', '1 d']);
  });

  test('shows a deadline one millisecond ahead as under a minute left, and at the deadline as passed', () => {
    const deadlines = (nowIso: string) => formatClassStatus(status([
      { stackName: 'alice-LambdaUsersLab', deadline: '2026-11-28T07:30:00Z' },
    ]), COSTS, new Date(nowIso)).split('\n')[3].split(/ {2,}/)[5];
    expect(deadlines('2026-11-28T07:29:59.999Z')).toBe('2026-11-28T07:30:00Z (under 1 min left)');
    expect(deadlines('2026-11-28T07:30:00.000Z')).toBe('2026-11-28T07:30:00Z (passed under 1 min ago)');
    expect(formatClassStatus(status([{ stackName: 'alice-LambdaUsersLab', deadline: 'soon' }]), COSTS, NOW))
      .toContain('"soon" (not a UTC time)');
  });

  test('totals each student\'s stacks and the class\'s, leaving out a stack with nothing deployed', () => {
    const text = formatClassStatus(status([
      { stackName: 'alice-Ec2WebServerLab' },
      { stackName: 'alice-LambdaUsersLab' },
      { stackName: 'bob-Ec2WebServerLab' },
      { stackName: 'bob-LambdaUsersLab', status: 'ROLLBACK_COMPLETE' },
      { stackName: 'carol-Ec2WebServerLab', status: 'REVIEW_IN_PROGRESS' },
      { stackName: 'Ec2WebServerLab', status: 'UPDATE_ROLLBACK_COMPLETE' },
    ]), COSTS, NOW);
    const totals = text.split('\n\n')[2].split('\n');
    expect(totals).toEqual([
      'Per student (- stands for the labs deployed without a student):',
      'student  stacks  idle',
      'alice    2       $0.0163/h',
      'bob      2       $0.0163/h',
      'carol    1       $0.0000/h',
      '-        1       $0.0213/h',
    ]);
    expect(text).toContain('Class: 6 lab stacks of 3 students and the labs deployed without one, '
      + 'idle $0.0539/h ($1.29 per day).');
    expect(text).toContain('(- in idle $/h: nothing of the stack is deployed, or its lab has no figure; not counted.)');
  });

  test('says "at least" wherever a lab\'s idle cost is a lower bound, and counts one student in the singular', () => {
    const text = formatClassStatus(status([
      { stackName: 'alice-BeanstalkAppLab' },
      { stackName: 'alice-Ec2WebServerLab' },
    ]), COSTS, NOW);
    expect(text).toContain('alice    2       at least $0.0317/h');
    expect(text).toContain('Class: 2 lab stacks of 1 student, idle at least $0.0317/h (at least $0.76 per day).');
    expect(text).not.toContain('not counted');
  });

  test('shows ClassroomSetup on a line of its own, or that it is not deployed', () => {
    const setup = { stackName: 'ClassroomSetup', status: 'UPDATE_COMPLETE', created: minutesAgo(185),
      deployed: minutesAgo(12) };
    expect(formatClassStatus(status([{ stackName: 'alice-LambdaUsersLab' }], setup), COSTS, NOW).split('\n').at(-1))
      .toBe('ClassroomSetup: UPDATE_COMPLETE, age 3 h 5 min, last deploy 12 min ago');
    expect(formatClassStatus(status([]), COSTS, NOW)).toBe([
      'No lab stacks in us-east-1.',
      '',
      'ClassroomSetup: not deployed in us-east-1 (the students\' stacks use its network)',
    ].join('\n'));
  });
});

describe('the idle costs it needs', () => {
  test('asks for each lab once per mode: the students\' in classroom mode, the others as deployed alone', () => {
    expect(labsToPrice(status([
      { stackName: 'alice-LambdaUsersLab' }, { stackName: 'bob-LambdaUsersLab' }, { stackName: 'bob-S3UploadsLab' },
      { stackName: 'Ec2WebServerLab' },
    ]))).toEqual({ classroom: ['LambdaUsersLab', 'S3UploadsLab'], withoutStudent: ['Ec2WebServerLab'] });
    expect(labsToPrice(status([]))).toEqual({ classroom: [], withoutStudent: [] });
  });

  test('asks for the labs by name, whatever the order of the stacks', () => {
    expect(labsToPrice(status([
      { stackName: 'bob-S3UploadsLab' }, { stackName: 'alice-LambdaUsersLab' }, { stackName: 'SqsWorkersLab' },
      { stackName: 'Ec2WebServerLab' },
    ]))).toEqual({
      classroom: ['LambdaUsersLab', 'S3UploadsLab'], withoutStudent: ['Ec2WebServerLab', 'SqsWorkersLab'],
    });
  });

  test('files each synthesized stack\'s cost under its lab, and leaves out the stacks of no lab', () => {
    const byLab = costsByLab([
      cost('class-status-LambdaUsersLab', 0), cost('Ec2WebServerLab', 0.02), cost('ClassroomSetup', 0.0001),
      cost('LambdaUsersLabX', 1),
    ]);
    // Strict: toEqual would pass a list with an undefined key at its end.
    expect([...byLab.keys()]).toStrictEqual(['LambdaUsersLab', 'Ec2WebServerLab']);
    expect(byLab.get('LambdaUsersLab')?.lab).toBe('class-status-LambdaUsersLab');
  });
});

describe('npm run class', () => {
  test('reads the status command and --help, and refuses anything else, saying what is allowed', () => {
    expect(parseArgs(['status'])).toBe('status');
    expect(parseArgs(['status', '--help'])).toBe('help');
    expect(() => parseArgs([])).toThrow('which command? status');
    expect(() => parseArgs(['stats'])).toThrow('unknown command "stats": status');
    expect(() => parseArgs(['status', 'now'])).toThrow('unknown command "status now": status');
    expect(() => parseArgs(['status', '--student', 'alice'])).toThrow('unknown option --student');
  });

  test('exits 2 with advice, not a stack trace, without credentials', async () => {
    const { code, stdout, stderr } = await runCommand(
      'bin/class.ts', ['status'], environmentWithoutAws({ AWS_REGION: 'us-east-1' }),
    );
    expect(stderr).toContain('No AWS credentials found. Sign in the way the AWS CLI does');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe('');
    expect(code).toBe(2);
  });

  test('exits 2 with advice without a region', async () => {
    const { code, stderr } = await runCommand('bin/class.ts', ['status'], environmentWithoutAws());
    expect(stderr).toContain('No AWS region set. Set AWS_REGION');
    expect(code).toBe(2);
  });
});
