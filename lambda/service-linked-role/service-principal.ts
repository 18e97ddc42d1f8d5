/** What a service principal looks like, e.g. `ecs.amazonaws.com` or `ecs.application-autoscaling.amazonaws.com`. */
export const SERVICE_PRINCIPAL_RULE = 'an AWS service principal such as "ecs.amazonaws.com" '
  + '(lower-case labels ending in .amazonaws.com, at most 100 characters)';

/** True for a service principal of the form IAM's CreateServiceLinkedRole takes as AWSServiceName. */
export function isServicePrincipal(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 100 && /^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$/.test(value);
}
