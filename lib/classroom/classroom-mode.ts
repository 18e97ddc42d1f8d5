import { CfnOutput, Fn } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { CLASSROOM_SETUP_STACK, parseStudentName } from './student';

/** The context key of classroom mode: `-c student=<name>`. */
export const STUDENT_CONTEXT_KEY = 'student';

/**
 * The student whose copy of a lab this construct is in (`-c student=<name>`), or undefined outside classroom mode.
 * Constructs read it to leave account-wide things (a VPC per student, service-linked roles, API Gateway's account
 * setting) to the ClassroomSetup stack.
 */
export function studentOf(scope: IConstruct): string | undefined {
  const value: unknown = scope.node.tryGetContext(STUDENT_CONTEXT_KEY);
  if (value === undefined || value === null) return undefined;
  return parseStudentName(String(value));
}

/**
 * Imports a value ClassroomSetup exports into an output of the student's stack. The import is the point: the stack
 * cannot deploy before ClassroomSetup has made what it needs, and ClassroomSetup cannot be deleted while the stack
 * uses it.
 */
export function requireClassroomExport(scope: IConstruct, id: string, exportName: string, why: string): string {
  const value = Fn.importValue(exportName);
  new CfnOutput(scope, id, { value, description: `From ${CLASSROOM_SETUP_STACK}: ${why}` });
  return value;
}
