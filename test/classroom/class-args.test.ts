import { studentFromEnvironment, studentOption } from '../../lib/classroom/class-args';
import { STUDENT_NAME_RULE } from '../../lib/classroom/student';

// The tools' --student option and the STUDENT variable, checked the same way as -c student.

describe('studentOption', () => {
  test.each(['a', 'alice', 'team-3', 'a'.repeat(20)])('takes --student %j as it is', (name) => {
    expect(studentOption(name)).toBe(name);
  });

  test('fails on --student without a name, saying what a name is', () => {
    expect(() => studentOption(undefined)).toThrow(`--student needs a name: ${STUDENT_NAME_RULE}`);
  });

  test.each(['', 'Alice', '1a', 'a'.repeat(21), '--help'])('fails on --student %j, quoting it and the rule', (name) => {
    expect(() => studentOption(name))
      .toThrow(`A student name is ${STUDENT_NAME_RULE} (for example alice or team-3), got ${JSON.stringify(name)}`);
  });
});

describe('studentFromEnvironment', () => {
  test('reads only STUDENT, not another variable', () => {
    expect(studentFromEnvironment({ USER: 'alice', student: 'bob' })).toBeUndefined();
    expect(studentFromEnvironment({ STUDENT: 'a', USER: 'alice' })).toBe('a');
  });

  test('quotes the variable and its value before the rule, once', () => {
    let message = '';
    try {
      studentFromEnvironment({ STUDENT: 'Bob' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(`STUDENT="Bob" in the environment: A student name is ${STUDENT_NAME_RULE} `
      + '(for example alice or team-3), got "Bob"');
  });

  test('takes a whitespace-only STUDENT as a mistake, not as no student', () => {
    expect(() => studentFromEnvironment({ STUDENT: ' ' })).toThrow('STUDENT=" " in the environment');
  });
});
