import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The task definition family of a construct's tasks: `<stack name>-<construct id>`, e.g.
 * `alice-SqsWorkersLab-Workers`. CDK's default family comes from the construct path alone, so copies of a lab under
 * other stack names (classroom mode) would register revisions of one family, each copy's beside the others'.
 */
export function taskFamilyOf(scope: IConstruct): string {
  return `${Stack.of(scope).stackName}-${scope.node.id}`;
}
