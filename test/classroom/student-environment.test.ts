import { appPropsFromEnvironment } from '../../bin/labs';
import { parseArgs as parseCostArgs } from '../../bin/cost';
import { parseArgs as parseLeftoversArgs } from '../../bin/leftovers';
import { parseArgs as parsePreflightArgs } from '../../bin/preflight';
import { parseArgs as parseVerifyArgs } from '../../bin/verify';
import { STUDENT_ENV, studentFromEnvironment } from '../../lib/classroom/class-args';
import { STUDENT_NAME_RULE } from '../../lib/classroom/student';

describe('studentFromEnvironment', () => {
  test('reads STUDENT', () => {
    expect(STUDENT_ENV).toBe('STUDENT');
    expect(studentFromEnvironment({ STUDENT: 'alice' })).toBe('alice');
  });

  test('names no student when STUDENT is unset or empty', () => {
    expect(studentFromEnvironment({})).toBeUndefined();
    expect(studentFromEnvironment({ STUDENT: '' })).toBeUndefined();
  });

  test.each(['Alice', '1a', 'a'.repeat(21), ' alice'])('rejects STUDENT=%j, naming it and the rule', (name) => {
    expect(() => studentFromEnvironment({ STUDENT: name }))
      .toThrow(`STUDENT=${JSON.stringify(name)} in the environment: A student name is ${STUDENT_NAME_RULE}`);
  });
});

describe('the app takes STUDENT as the default of -c student', () => {
  test('sets the context value from STUDENT', () => {
    expect(appPropsFromEnvironment({ STUDENT: 'alice' })).toEqual({ context: { student: 'alice' } });
  });

  test('sets nothing without STUDENT, or with an empty one', () => {
    expect(appPropsFromEnvironment({})).toEqual({});
    expect(appPropsFromEnvironment({ STUDENT: '' })).toEqual({});
  });

  test('refuses a STUDENT that is no student name', () => {
    expect(() => appPropsFromEnvironment({ STUDENT: 'Bob' })).toThrow(STUDENT_NAME_RULE);
  });
});

describe('each tool takes STUDENT as the default of --student, and --student wins', () => {
  const env = { STUDENT: 'alice' };

  test.each([
    ['leftovers', () => parseLeftoversArgs(['LambdaUsersLab'], env), () => parseLeftoversArgs(['LambdaUsersLab'])],
    ['preflight', () => parsePreflightArgs(['LambdaUsersLab'], env), () => parsePreflightArgs(['LambdaUsersLab'])],
    ['verify', () => parseVerifyArgs(['LambdaUsersLab'], env), () => parseVerifyArgs(['LambdaUsersLab'], {})],
    ['cost', () => parseCostArgs([], env), () => parseCostArgs([])],
  ])('%s', (_tool, withStudent, without) => {
    expect(withStudent()).toMatchObject({ student: 'alice' });
    expect(without()).not.toHaveProperty('student');
  });

  test('an explicit --student wins over STUDENT', () => {
    expect(parseLeftoversArgs(['LambdaUsersLab', '--student', 'bob'], env)).toMatchObject({ student: 'bob' });
    expect(parsePreflightArgs(['LambdaUsersLab', '--student', 'bob'], env)).toMatchObject({ student: 'bob' });
    expect(parseVerifyArgs(['LambdaUsersLab', '--student', 'bob'], env)).toMatchObject({ student: 'bob' });
    expect(parseCostArgs(['--student', 'bob'], env)).toMatchObject({ student: 'bob' });
  });

  test('verify --local leaves STUDENT aside: npm run local has no student', () => {
    expect(parseVerifyArgs(['LambdaUsersLab', '--local'], env)).not.toHaveProperty('student');
  });

  test('a STUDENT that is no student name is a usage error of every tool', () => {
    const bad = { STUDENT: 'Alice' };
    expect(() => parseLeftoversArgs(['LambdaUsersLab'], bad)).toThrow(/STUDENT="Alice" in the environment/);
    expect(() => parsePreflightArgs(['LambdaUsersLab'], bad)).toThrow(/STUDENT="Alice" in the environment/);
    expect(() => parseVerifyArgs(['LambdaUsersLab'], bad)).toThrow(/STUDENT="Alice" in the environment/);
    expect(() => parseCostArgs([], bad)).toThrow(/STUDENT="Alice" in the environment/);
  });
});
