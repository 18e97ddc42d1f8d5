import { CLASSROOM_SETUP_STACK } from './student';

/**
 * The names of the values ClassroomSetup exports for the students' stacks. CloudFormation export names are unique
 * per account and region, which is why a class has one ClassroomSetup.
 */

/** An export of ClassroomSetup, e.g. `ClassroomSetup-VpcId`. */
export function classroomExportName(name: string): string {
  return `${CLASSROOM_SETUP_STACK}-${name}`;
}

/** The export for the service-linked role of a service, e.g. `ClassroomSetup-ServiceLinkedRole-ecs`. */
export function serviceLinkedRoleExportName(serviceName: string): string {
  return classroomExportName(`ServiceLinkedRole-${serviceName.replace(/\.amazonaws\.com$/, '').replace(/\./g, '-')}`);
}

/** The export of API Gateway's account setting (its CloudWatch role), which stages with access logs need. */
export const API_GATEWAY_ACCOUNT_EXPORT = classroomExportName('ApiGatewayAccount');
