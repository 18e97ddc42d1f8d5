import { CfnTemplate, Finding, refersToResourceOfType, resourcesOfType } from '../../template/cfn-template';

const KEPT_AFTER_DELETE = new Set(['Retain', 'RetainExceptOnCreate', 'Snapshot']);
const LOG_GROUP = 'AWS::Logs::LogGroup';

/** Resources that `cdk destroy` would leave behind (or snapshot, which is billed too). */
export function retainedResources(template: CfnTemplate): Finding[] {
  return Object.entries(template.Resources ?? {}).flatMap(([logicalId, resource]) => {
    const kept = (['DeletionPolicy', 'UpdateReplacePolicy'] as const)
      .filter((policy) => KEPT_AFTER_DELETE.has(resource[policy] ?? ''));
    return kept.length === 0 ? [] : [{
      logicalId,
      location: kept.join(', '),
      message: `${resource.Type} has ${kept.map((policy) => `${policy} ${resource[policy]}`).join(' and ')}`,
    }];
  });
}

/** Buckets that CloudFormation cannot delete because nothing empties them first. */
export function bucketsNotEmptied(template: CfnTemplate): Finding[] {
  const emptied = new Set(resourcesOfType(template, 'Custom::S3AutoDeleteObjects')
    .map(([, resource]) => resource.Properties?.BucketName?.Ref));
  return resourcesOfType(template, 'AWS::S3::Bucket')
    .filter(([logicalId]) => !emptied.has(logicalId))
    .map(([logicalId]) => ({ logicalId, location: 'Properties', message: 'bucket without autoDeleteObjects' }));
}

/**
 * Writers of logs whose log group is not a resource of the stack: the service creates the group on first write,
 * with no retention, and it outlives the stack.
 */
export function implicitLogGroups(template: CfnTemplate): Finding[] {
  const owned = (value: unknown) => refersToResourceOfType(template, value, LOG_GROUP);
  const findings: Finding[] = [];

  for (const [logicalId, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
    if (!owned(fn.Properties?.LoggingConfig?.LogGroup)) {
      findings.push({
        logicalId,
        location: 'Properties.LoggingConfig.LogGroup',
        message: 'function logs to an implicit /aws/lambda/... group',
      });
    }
  }

  for (const [logicalId, task] of resourcesOfType(template, 'AWS::ECS::TaskDefinition')) {
    (task.Properties?.ContainerDefinitions ?? []).forEach((container: any, index: number) => {
      const logging = container.LogConfiguration;
      if (logging?.LogDriver === 'awslogs' && !owned(logging.Options?.['awslogs-group'])) {
        findings.push({
          logicalId,
          location: `Properties.ContainerDefinitions.${index}.LogConfiguration`,
          message: `container ${container.Name} logs to a group the stack does not own`,
        });
      }
    });
  }

  for (const [logicalId, stage] of resourcesOfType(template, 'AWS::ApiGateway::Stage')) {
    if (stage.Properties?.AccessLogSetting && !owned(stage.Properties.AccessLogSetting.DestinationArn)) {
      findings.push({
        logicalId,
        location: 'Properties.AccessLogSetting.DestinationArn',
        message: 'access logs go to a group the stack does not own',
      });
    }
    (stage.Properties?.MethodSettings ?? []).forEach((setting: any, index: number) => {
      if (setting.LoggingLevel !== undefined && setting.LoggingLevel !== 'OFF') {
        findings.push({
          logicalId,
          location: `Properties.MethodSettings.${index}.LoggingLevel`,
          message: 'execution logs go to an API-Gateway-Execution-Logs_... group '
            + 'that API Gateway creates and never deletes',
        });
      }
    });
  }

  for (const [logicalId, flowLog] of resourcesOfType(template, 'AWS::EC2::FlowLog')) {
    const toCloudWatch = (flowLog.Properties?.LogDestinationType ?? 'cloud-watch-logs') === 'cloud-watch-logs';
    if (toCloudWatch && !owned(flowLog.Properties?.LogGroupName)) {
      findings.push({
        logicalId,
        location: 'Properties.LogGroupName',
        message: 'flow logs go to a group the stack does not own',
      });
    }
  }

  for (const [logicalId, environment] of resourcesOfType(template, 'AWS::ElasticBeanstalk::Environment')) {
    const options: any[] = environment.Properties?.OptionSettings ?? [];
    const option = (namespace: string, name: string) =>
      options.find((o) => o.Namespace === namespace && o.OptionName === name)?.Value;
    for (const namespace of ['aws:elasticbeanstalk:cloudwatch:logs', 'aws:elasticbeanstalk:cloudwatch:logs:health']) {
      const streaming = option(namespace, namespace.endsWith('health') ? 'HealthStreamingEnabled' : 'StreamLogs');
      if (String(streaming) === 'true' && String(option(namespace, 'DeleteOnTerminate')) !== 'true') {
        findings.push({
          logicalId,
          location: `Properties.OptionSettings(${namespace})`,
          message: 'Beanstalk streams logs to groups it keeps after the environment ends (set DeleteOnTerminate)',
        });
      }
    }
  }
  return findings;
}
