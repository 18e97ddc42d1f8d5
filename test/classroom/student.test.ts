import {
  cdkArgumentsOf, labStackName, MAX_STUDENT_NAME_LENGTH, parseLabStackName, parseStudentName, STUDENT_NAME_RULE,
} from '../../lib/classroom/student';

describe('parseStudentName', () => {
  test.each(['a', 'alice', 'team-3', 'a1', 'alice-', 'a--b', 'abcdefghijklmnopqrst'])('accepts %j', (name) => {
    expect(parseStudentName(name)).toBe(name);
  });

  test('the longest name is 20 characters', () => {
    expect(MAX_STUDENT_NAME_LENGTH).toBe(20);
    expect(parseStudentName('a'.repeat(20))).toBe('a'.repeat(20));
    expect(() => parseStudentName('a'.repeat(21))).toThrow(STUDENT_NAME_RULE);
  });

  test.each(['', 'Alice', 'aLice', '1alice', '-alice', 'team_3', 'alice.b', 'alice b', ' alice', 'élève', 'alice\n'])(
    'rejects %j, saying what is allowed and what it got', (name) => {
      expect(() => parseStudentName(name)).toThrow(`${STUDENT_NAME_RULE} (for example alice or team-3), `
        + `got ${JSON.stringify(name)}`);
    });
});

describe('labStackName', () => {
  test('is the lab itself without a student', () => {
    expect(labStackName('LambdaUsersLab')).toBe('LambdaUsersLab');
  });

  test('is <student>-<Lab> with one', () => {
    expect(labStackName('LambdaUsersLab', 'alice')).toBe('alice-LambdaUsersLab');
    expect(labStackName('SqsWorkersLab', 'team-3')).toBe('team-3-SqsWorkersLab');
  });

  test('checks the student name', () => {
    expect(() => labStackName('LambdaUsersLab', 'Alice')).toThrow(STUDENT_NAME_RULE);
    expect(() => labStackName('LambdaUsersLab', '')).toThrow(STUDENT_NAME_RULE);
  });
});

describe('parseLabStackName', () => {
  test('reads a lab\'s own stack', () => {
    expect(parseLabStackName('LambdaUsersLab')).toEqual({ lab: 'LambdaUsersLab' });
  });

  test('reads a student\'s stack, also when the student name has hyphens', () => {
    expect(parseLabStackName('alice-LambdaUsersLab')).toEqual({ lab: 'LambdaUsersLab', student: 'alice' });
    expect(parseLabStackName('team-3-SqsWorkersLab')).toEqual({ lab: 'SqsWorkersLab', student: 'team-3' });
    expect(parseLabStackName(`${'a'.repeat(20)}-S3UploadsLab`))
      .toEqual({ lab: 'S3UploadsLab', student: 'a'.repeat(20) });
  });

  test('is the inverse of labStackName for every lab', () => {
    for (const lab of ['Ec2WebServerLab', 'BeanstalkAppLab'] as const) {
      expect(parseLabStackName(labStackName(lab, 'bob'))).toEqual({ lab, student: 'bob' });
    }
  });

  test.each([
    'ClassroomSetup', 'LambdaUsersLabX', 'lambdausersLab', 'Alice-LambdaUsersLab', '1a-LambdaUsersLab',
    '-LambdaUsersLab', `${'a'.repeat(21)}-LambdaUsersLab`, 'alice-', 'alice-Other', 'CDKToolkit', '',
  ])('is undefined for %j, which is no lab\'s stack', (stackName) => {
    expect(parseLabStackName(stackName)).toBeUndefined();
  });
});

describe('cdkArgumentsOf', () => {
  test('is the stack name of a lab\'s own stack, and of a stack that is no lab\'s', () => {
    expect(cdkArgumentsOf('LambdaUsersLab')).toBe('LambdaUsersLab');
    expect(cdkArgumentsOf('Alice-LambdaUsersLab')).toBe('Alice-LambdaUsersLab');
  });

  test('is the lab and the student for a student\'s stack', () => {
    expect(cdkArgumentsOf('team-3-SqsWorkersLab')).toBe('SqsWorkersLab -c student=team-3');
  });
});
