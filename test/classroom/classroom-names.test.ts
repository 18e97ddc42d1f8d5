import { deadlineState } from '../../lib/classroom/class-time';
import { studentActions, type StudentStatement } from '../../lib/classroom/student-policy';
import {
  CLASSROOM_SETUP_STACK, DEADLINE_OUTPUT, MAX_STUDENT_NAME_LENGTH, parseLabStackName, STUDENT_NAME_RULE, STUDENT_TAG,
} from '../../lib/classroom/student';
import { MAX_TIME_TO_LIVE, MIN_TIME_TO_LIVE, TTL_CONTEXT_KEY } from '../../lib/classroom/time-to-live';

// The names classroom mode shares with the world outside the code: what the guides tell an instructor and the
// students to type, and what AWS shows them. A change here breaks a command in a guide or a stack in the account.

test('names the context keys student and ttl, as the guides write -c student=alice -c ttl=90m', () => {
  expect(TTL_CONTEXT_KEY).toBe('ttl');
});

test('tags a student\'s resources student, names the class\'s stack ClassroomSetup and the deadline Deadline', () => {
  expect(STUDENT_TAG).toBe('student');
  expect(CLASSROOM_SETUP_STACK).toBe('ClassroomSetup');
  expect(DEADLINE_OUTPUT).toBe('Deadline');
});

test('says what a student name may be, in the words of the error message', () => {
  expect(STUDENT_NAME_RULE).toBe('1-20 lowercase letters, digits or hyphens, starting with a letter');
  expect(MAX_STUDENT_NAME_LENGTH).toBe(20);
});

test('keeps a time-to-live from 15 minutes to 7 days', () => {
  expect(MIN_TIME_TO_LIVE.toSeconds()).toBe(15 * 60);
  expect(MAX_TIME_TO_LIVE.toSeconds()).toBe(7 * 24 * 3600);
});

describe('parseLabStackName, at the hyphens', () => {
  test('splits at the last hyphen, so a student name may end in one', () => {
    expect(parseLabStackName('alice--LambdaUsersLab')).toEqual({ lab: 'LambdaUsersLab', student: 'alice-' });
  });

  test('is undefined for a name that is all student and no lab', () => {
    expect(parseLabStackName('alice')).toBeUndefined();
    expect(parseLabStackName('alice-bob')).toBeUndefined();
  });
});

describe('a deadline in another form than the Deadline output\'s', () => {
  // Date.parse reads these, and they print back as themselves: only the form keeps them out.
  test.each([
    ['a six-digit year', '+010000-01-01T00:00:00Z'],
    ['a negative year', '-000001-01-01T00:00:00Z'],
  ])('is unreadable with %s (%s)', (_name, deadline) => {
    expect(deadlineState(deadline, new Date('2026-11-28T06:00:00Z'))).toEqual({ state: 'unreadable', deadline });
  });
});

describe('studentActions', () => {
  test('lists the students\' actions sorted, once each', () => {
    const actions = studentActions();
    expect(actions).toEqual([...new Set(actions)].sort());
    expect(actions).toContain('sts:AssumeRole');
  });

  test('sorts and deduplicates across statements', () => {
    const policy: StudentStatement[] = [
      { sid: 'B', actions: ['sqs:SendMessage', 'iam:GetRole'], resources: ['*'], why: 'x' },
      { sid: 'A', actions: ['iam:GetRole', 'dynamodb:Query'], resources: ['*'], why: 'x' },
    ];
    expect(studentActions(policy)).toEqual(['dynamodb:Query', 'iam:GetRole', 'sqs:SendMessage']);
    expect(studentActions([])).toEqual([]);
  });
});
