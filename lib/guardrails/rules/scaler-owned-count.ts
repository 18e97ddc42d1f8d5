import { CfnTemplate, Finding, resourcesOfType } from '../../template/cfn-template';
import { referencedResources } from '../../template/dependencies';

/**
 * Counts written into the template for a service or group that a scaler manages: every deploy sets the count back
 * to the template's value, undoing what the scaler chose (aws/aws-cdk#3919). The scaler's minimum sets the start.
 */
export function scalerOwnedCounts(template: CfnTemplate): Finding[] {
  const serviceScalers = scalersByTarget(
    template,
    resourcesOfType(template, 'AWS::ApplicationAutoScaling::ScalableTarget')
      .filter(([, target]) => target.Properties?.ScalableDimension === 'ecs:service:DesiredCount')
      .map(([logicalId, target]) => [logicalId, target.Properties?.ResourceId]),
  );
  const groupScalers = scalersByTarget(template, [
    ...resourcesOfType(template, 'AWS::AutoScaling::ScalingPolicy'),
    ...resourcesOfType(template, 'AWS::AutoScaling::ScheduledAction'),
  ].map(([logicalId, scaler]) => [logicalId, scaler.Properties?.AutoScalingGroupName]));

  return [
    ...countsOwnedByScalers(template, 'AWS::ECS::Service', 'DesiredCount', serviceScalers),
    ...countsOwnedByScalers(template, 'AWS::AutoScaling::AutoScalingGroup', 'DesiredCapacity', groupScalers),
  ];
}

/** For each resource a scaler refers to, the scalers that refer to it. */
function scalersByTarget(template: CfnTemplate, scalers: Array<[string, unknown]>): Map<string, string[]> {
  const byTarget = new Map<string, string[]>();
  for (const [scaler, reference] of scalers) {
    for (const target of referencedResources(template, reference)) {
      byTarget.set(target, [...(byTarget.get(target) ?? []), scaler]);
    }
  }
  return byTarget;
}

function countsOwnedByScalers(
  template: CfnTemplate, type: string, property: string, scalers: Map<string, string[]>,
): Finding[] {
  return resourcesOfType(template, type).flatMap(([logicalId, resource]) => {
    const count = resource.Properties?.[property];
    const owners = scalers.get(logicalId);
    return count === undefined || count === null || owners === undefined ? [] : [{
      logicalId,
      location: `Properties.${property}`,
      message: `${property} ${JSON.stringify(count)} resets what ${owners.join(', ')} chose on every deploy`,
    }];
  });
}
