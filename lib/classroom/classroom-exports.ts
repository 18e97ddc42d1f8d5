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

/** The export of public subnet n (1 or 2) of the class's network, which gives instances public IPv4 addresses. */
export function publicSubnetExportName(n: number): string {
  return classroomExportName(`PublicSubnet${n}Id`);
}

/** Whether a template value imports one of the class network's public subnets. */
export function importsClassroomPublicSubnet(value: unknown): boolean {
  const imported = (value as { 'Fn::ImportValue'?: unknown } | undefined)?.['Fn::ImportValue'];
  return typeof imported === 'string' && /^ClassroomSetup-PublicSubnet\d+Id$/.test(imported);
}
