import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { requireClassroomExport, STUDENT_CONTEXT_KEY, studentOf } from '../../lib/classroom/classroom-mode';
import { STUDENT_NAME_RULE } from '../../lib/classroom/student';
import { testAppProps } from '../helpers/synth';

// How a construct learns that it is in a student's copy of a lab, and imports what ClassroomSetup made.

const stackWith = (context: Record<string, unknown>) => new Stack(new App(testAppProps({ context })), 'Lab');

describe('studentOf', () => {
  test('reads -c student', () => {
    expect(STUDENT_CONTEXT_KEY).toBe('student');
    expect(studentOf(stackWith({ student: 'alice' }))).toBe('alice');
  });

  test('is undefined outside classroom mode: no value, or null', () => {
    expect(studentOf(stackWith({}))).toBeUndefined();
    expect(studentOf(stackWith({ student: null }))).toBeUndefined();
    expect(studentOf(stackWith({ students: 'alice' }))).toBeUndefined();
  });

  test('fails on a value that is no student name, saying the rule', () => {
    expect(() => studentOf(stackWith({ student: 'Alice' }))).toThrow(STUDENT_NAME_RULE);
    expect(() => studentOf(stackWith({ student: '' }))).toThrow(`${STUDENT_NAME_RULE} (for example alice or team-3), `
      + 'got ""');
  });

  test('reads a value that is not a string as its text', () => {
    expect(() => studentOf(stackWith({ student: 3 }))).toThrow('got "3"');
  });
});

describe('requireClassroomExport', () => {
  test('imports the export, and shows the import in an output that says where it comes from and why', () => {
    const stack = stackWith({ student: 'alice' });
    const value = requireClassroomExport(stack, 'ClassroomVpc', 'ClassroomSetup-VpcId', 'the class\'s network');
    expect(stack.resolve(value)).toEqual({ 'Fn::ImportValue': 'ClassroomSetup-VpcId' });
    expect(Template.fromStack(stack).toJSON().Outputs).toEqual({
      ClassroomVpc: {
        Value: { 'Fn::ImportValue': 'ClassroomSetup-VpcId' },
        Description: 'From ClassroomSetup: the class\'s network',
      },
    });
  });
});
