import {
  CloudFormationClient, DescribeStacksCommand, ListStacksCommand, type StackSummary,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { awsClients } from '../../lib/aws/clients';
import { type ClassStack, formatClassStatus, type IdleCosts, readClassStatus } from '../../lib/classroom/status';

// npm run class -- status, the details around the edges: how many stacks it describes at once, what it makes of
// an answer with parts missing, the order of the stacks, and the class's totals in the singular and the plural.
// CloudFormation's answers are mocked: there is no AWS account here.

const cloudFormation = mockClient(CloudFormationClient);
beforeEach(() => cloudFormation.reset());

const NOW = new Date('2026-11-28T06:18:00Z');
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
const client = () => awsClients({
  region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
}).cloudFormation;
const listed = (name: string): StackSummary => ({
  StackName: name, StackStatus: 'CREATE_COMPLETE', CreationTime: minutesAgo(5),
});

describe('reading the account (mocked AWS)', () => {
  test('describes at most four stacks at once, and every lab stack once', async () => {
    const names = Array.from({ length: 9 }, (_, i) => `s${i}-LambdaUsersLab`);
    cloudFormation.on(ListStacksCommand).resolves({ StackSummaries: names.map(listed) });
    let inFlight = 0;
    let most = 0;
    cloudFormation.on(DescribeStacksCommand).callsFake(async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return { Stacks: [] };
    });
    const status = await readClassStatus(client());
    expect(status.stacks.map((stack) => stack.stackName)).toEqual(names);
    expect(cloudFormation.commandCalls(DescribeStacksCommand).map((call) => call.args[0].input.StackName).sort())
      .toEqual(names);
    expect(most).toBe(4);
  });

  test('takes a page without stacks as empty, a stack without a status as UNKNOWN, and a stack without a name as '
    + 'no lab\'s', async () => {
    cloudFormation.on(ListStacksCommand).resolvesOnce({ NextToken: 'next' }).resolves({
      StackSummaries: [
        { StackName: 'alice-LambdaUsersLab', CreationTime: minutesAgo(5) } as StackSummary,
        { StackStatus: 'CREATE_COMPLETE', CreationTime: minutesAgo(5) } as StackSummary,
      ],
    });
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [] });
    const status = await readClassStatus(client());
    expect(status).toEqual({
      region: 'eu-west-1',
      stacks: [{
        stackName: 'alice-LambdaUsersLab', lab: 'LambdaUsersLab', student: 'alice', status: 'UNKNOWN',
        created: minutesAgo(5), deployed: minutesAgo(5),
      }],
    });
    expect(cloudFormation.commandCalls(DescribeStacksCommand)).toHaveLength(1);
  });

  test('reads no deadline from a stack without outputs, or with a Deadline-like output of another name', async () => {
    cloudFormation.on(ListStacksCommand).resolves({
      StackSummaries: [listed('alice-LambdaUsersLab'), listed('bob-LambdaUsersLab')],
    });
    cloudFormation.on(DescribeStacksCommand, { StackName: 'alice-LambdaUsersLab' })
      .resolves({ Stacks: [{ StackName: 'alice-LambdaUsersLab', StackStatus: 'CREATE_COMPLETE',
        CreationTime: minutesAgo(5) }] });
    cloudFormation.on(DescribeStacksCommand, { StackName: 'bob-LambdaUsersLab' })
      .resolves({ Stacks: [{ StackName: 'bob-LambdaUsersLab', StackStatus: 'CREATE_COMPLETE',
        CreationTime: minutesAgo(5), Outputs: [{ OutputKey: 'deadline', OutputValue: '2026-11-28T07:30:00Z' }] }] });
    const status = await readClassStatus(client());
    expect(status.stacks.map((stack) => 'deadline' in stack)).toEqual([false, false]);
    expect(status.stacks.map((stack) => 'student' in stack)).toEqual([true, true]);
  });

  test('leaves the student out, as a key, of a lab deployed without one', async () => {
    cloudFormation.on(ListStacksCommand).resolves({ StackSummaries: [listed('LambdaUsersLab')] });
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [] });
    const [stack] = (await readClassStatus(client())).stacks;
    expect(Object.keys(stack).sort()).toEqual(['created', 'deployed', 'lab', 'stackName', 'status']);
  });

  test.each([
    ['students in reverse', ['carol-SqsWorkersLab', 'bob-SqsWorkersLab', 'alice-SqsWorkersLab'],
      ['alice-SqsWorkersLab', 'bob-SqsWorkersLab', 'carol-SqsWorkersLab']],
    ['the labs without a student first', ['SqsWorkersLab', 'Ec2AsgAlbLab', 'bob-SqsWorkersLab', 'alice-Ec2AsgAlbLab'],
      ['alice-Ec2AsgAlbLab', 'bob-SqsWorkersLab', 'Ec2AsgAlbLab', 'SqsWorkersLab']],
    ['the labs without a student between', ['bob-SqsWorkersLab', 'SqsWorkersLab', 'alice-Ec2AsgAlbLab'],
      ['alice-Ec2AsgAlbLab', 'bob-SqsWorkersLab', 'SqsWorkersLab']],
    ['one student\'s labs in reverse', ['alice-SqsWorkersLab', 'alice-LambdaUsersLab', 'alice-Ec2AsgAlbLab'],
      ['alice-Ec2AsgAlbLab', 'alice-LambdaUsersLab', 'alice-SqsWorkersLab']],
    // A name after "undefined" in the alphabet: a missing student must not be compared as a name.
    ['a student named after the word undefined, then a lab without one', ['zed-SqsWorkersLab', 'SqsWorkersLab'],
      ['zed-SqsWorkersLab', 'SqsWorkersLab']],
    ['a lab without a student, then a student named after the word undefined', ['SqsWorkersLab', 'zed-SqsWorkersLab'],
      ['zed-SqsWorkersLab', 'SqsWorkersLab']],
  ])('sorts by student, then lab, the labs without a student last, from %s', async (_name, names, expected) => {
    cloudFormation.on(ListStacksCommand).resolves({ StackSummaries: names.map(listed) });
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [] });
    expect((await readClassStatus(client())).stacks.map((stack) => stack.stackName)).toEqual(expected);
  });
});

const NO_COSTS: IdleCosts = { classroom: new Map(), withoutStudent: new Map() };
const stack = (stackName: string, extra: Partial<ClassStack> = {}): ClassStack => {
  const [student, lab] = stackName.includes('-') ? stackName.split('-') : [undefined, stackName];
  return {
    stackName, lab: lab as ClassStack['lab'], ...student === undefined ? {} : { student },
    status: 'CREATE_COMPLETE', created: minutesAgo(10), deployed: minutesAgo(10), ...extra,
  };
};
const classLine = (stacks: ClassStack[]) => formatClassStatus({ region: 'eu-west-1', stacks }, NO_COSTS, NOW)
  .split('\n').find((line) => line.startsWith('Class: '));

describe('the class\'s totals (clock fixed)', () => {
  test('counts one lab stack in the singular', () => {
    expect(classLine([stack('alice-LambdaUsersLab')])).toBe('Class: 1 lab stack of 1 student, idle $0.0000/h '
      + '($0.00 per day).');
  });

  test('counts the labs deployed without a student apart from the students, and no student in the plural', () => {
    expect(classLine([stack('LambdaUsersLab'), stack('Ec2WebServerLab')])).toBe('Class: 2 lab stacks of 0 students '
      + 'and the labs deployed without one, idle $0.0000/h ($0.00 per day).');
  });

  test('counts a stack whose lab has no figure in its student\'s stacks, not in the idle cost', () => {
    const text = formatClassStatus({ region: 'eu-west-1', stacks: [stack('alice-LambdaUsersLab')] }, NO_COSTS, NOW);
    expect(text.split('\n')).toEqual(expect.arrayContaining([
      'alice    1       $0.0000/h',
      '(- in idle $/h: nothing of the stack is deployed, or its lab has no figure; not counted.)',
    ]));
  });

  test('writes the time it was taken to the second, without milliseconds', () => {
    const text = formatClassStatus({ region: 'eu-west-1', stacks: [stack('alice-LambdaUsersLab')] }, NO_COSTS,
      new Date('2026-11-28T06:18:07.123Z'));
    expect(text.split('\n')[0]).toBe('Lab stacks in eu-west-1 at 2026-11-28T06:18:07Z:');
  });

  test('pads each column to its widest cell, the header\'s too, and not the last one', () => {
    const text = formatClassStatus({ region: 'eu-west-1', stacks: [stack('abcdefghijklmnopqrst-LambdaUsersLab')] },
      NO_COSTS, NOW);
    expect(text.split('\n').slice(2, 4)).toEqual([
      'student               lab             status           age     last deploy  deadline  idle $/h',
      'abcdefghijklmnopqrst  LambdaUsersLab  CREATE_COMPLETE  10 min  10 min ago   -         -',
    ]);
  });
});
