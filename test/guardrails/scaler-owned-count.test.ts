import { scalerOwnedCounts } from '../../lib/guardrails/rules/scaler-owned-count';
import { CfnTemplate } from '../../lib/template/cfn-template';

const template = (resources: Record<string, object>): CfnTemplate => ({
  Resources: resources as CfnTemplate['Resources'],
});
const findings = (resources: Record<string, object>) => scalerOwnedCounts(template(resources))
  .map((finding) => `${finding.logicalId} ${finding.location}`);

const service = (properties: object = {}) => ({
  Type: 'AWS::ECS::Service',
  Properties: { Cluster: { Ref: 'Cluster' }, ...properties },
});
/**
 * The scalable target CDK's autoScaleTaskCount writes: its ResourceId names the service
 * through Fn::GetAtt inside Fn::Join.
 */
const scalableTarget = (serviceId: string, dimension = 'ecs:service:DesiredCount') => ({
  Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
  Properties: {
    MinCapacity: 2,
    MaxCapacity: 4,
    ResourceId: { 'Fn::Join': ['', ['service/', { Ref: 'Cluster' }, '/', { 'Fn::GetAtt': [serviceId, 'Name'] }]] },
    ScalableDimension: dimension,
    ServiceNamespace: 'ecs',
  },
});
const CLUSTER = { Cluster: { Type: 'AWS::ECS::Cluster' } };

const group = (properties: object = {}) => ({
  Type: 'AWS::AutoScaling::AutoScalingGroup',
  Properties: { MinSize: '2', MaxSize: '4', ...properties },
});
const policy = (groupId: string) => ({
  Type: 'AWS::AutoScaling::ScalingPolicy',
  Properties: { AutoScalingGroupName: { Ref: groupId }, PolicyType: 'TargetTrackingScaling' },
});
const scheduledAction = (groupId: string) => ({
  Type: 'AWS::AutoScaling::ScheduledAction',
  Properties: { AutoScalingGroupName: { Ref: groupId }, MinSize: 1, Recurrence: '0 1 * * *' },
});

describe('scaler-owned-count: ECS services', () => {
  test('fails on a DesiredCount of a service that a scalable target manages', () => {
    expect(findings({ ...CLUSTER, Service: service({ DesiredCount: 2 }), Target: scalableTarget('Service') }))
      .toEqual(['Service Properties.DesiredCount']);
  });

  test('fails on a DesiredCount of 0, which is a count all the same', () => {
    expect(findings({ ...CLUSTER, Service: service({ DesiredCount: 0 }), Target: scalableTarget('Service') }))
      .toEqual(['Service Properties.DesiredCount']);
  });

  test('passes a scaled service without DesiredCount', () => {
    expect(findings({ ...CLUSTER, Service: service(), Target: scalableTarget('Service') })).toEqual([]);
  });

  test('passes a DesiredCount of a service that nothing scales', () => {
    expect(findings({ ...CLUSTER, Service: service({ DesiredCount: 2 }) })).toEqual([]);
  });

  test('passes a DesiredCount of a service when the scalable target manages another service', () => {
    expect(findings({
      ...CLUSTER,
      Service: service({ DesiredCount: 2 }),
      Other: service(),
      Target: scalableTarget('Other'),
    })).toEqual([]);
  });

  test('passes a DesiredCount when the scalable target scales another dimension', () => {
    expect(findings({
      ...CLUSTER,
      Service: service({ DesiredCount: 2 }),
      Target: scalableTarget('Service', 'dynamodb:table:ReadCapacityUnits'),
    })).toEqual([]);
  });

  test('fails on the service a scalable target names through Fn::Sub', () => {
    const target = {
      Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
      Properties: {
        ScalableDimension: 'ecs:service:DesiredCount',
        ResourceId: { 'Fn::Sub': 'service/${Cluster}/${Service.Name}' },
      },
    };
    expect(findings({ ...CLUSTER, Service: service({ DesiredCount: 2 }), Target: target }))
      .toEqual(['Service Properties.DesiredCount']);
  });

  test('passes a DesiredCount of null, which leaves the count to the scaler as if unset', () => {
    expect(findings({ ...CLUSTER, Service: service({ DesiredCount: null }), Target: scalableTarget('Service') }))
      .toEqual([]);
  });

  test('passes a service without Properties, and ignores a scalable target without Properties', () => {
    expect(findings({
      ...CLUSTER,
      Service: { Type: 'AWS::ECS::Service' },
      Bare: { Type: 'AWS::ApplicationAutoScaling::ScalableTarget' },
      Target: scalableTarget('Service'),
    })).toEqual([]);
  });

  test('fails on a scaled service beside a scalable target without a ResourceId', () => {
    const unnamed = { Type: 'AWS::ApplicationAutoScaling::ScalableTarget', Properties: { ScalableDimension: 'x' } };
    expect(findings({
      ...CLUSTER,
      Service: service({ DesiredCount: 2 }),
      Unnamed: unnamed,
      Target: scalableTarget('Service'),
    })).toEqual(['Service Properties.DesiredCount']);
  });

  test('says which scaler owns the count', () => {
    const [finding] = scalerOwnedCounts(template({
      ...CLUSTER,
      Service: service({ DesiredCount: 2 }),
      Target: scalableTarget('Service'),
    }));
    expect(finding.message).toBe('DesiredCount 2 resets what Target chose on every deploy');
  });
});

describe('scaler-owned-count: Auto Scaling groups', () => {
  test('fails on a DesiredCapacity of a group with a scaling policy', () => {
    expect(findings({ Group: group({ DesiredCapacity: '3' }), Policy: policy('Group') }))
      .toEqual(['Group Properties.DesiredCapacity']);
  });

  test('fails on a DesiredCapacity of a group with a scheduled action', () => {
    expect(findings({ Group: group({ DesiredCapacity: '3' }), Action: scheduledAction('Group') }))
      .toEqual(['Group Properties.DesiredCapacity']);
  });

  test('passes a group with a scaling policy and no DesiredCapacity', () => {
    expect(findings({ Group: group(), Policy: policy('Group'), Action: scheduledAction('Group') })).toEqual([]);
  });

  test('passes a DesiredCapacity of a group that nothing scales', () => {
    expect(findings({ Group: group({ DesiredCapacity: '3' }) })).toEqual([]);
  });

  test('passes a DesiredCapacity of a group when the policy and the action scale another group', () => {
    expect(findings({
      Group: group({ DesiredCapacity: '3' }),
      Other: group(),
      Policy: policy('Other'),
      Action: scheduledAction('Other'),
    })).toEqual([]);
  });

  test('fails on a scaled group beside scaling policies and actions without Properties', () => {
    expect(findings({
      Group: group({ DesiredCapacity: '3' }),
      Policy: policy('Group'),
      BarePolicy: { Type: 'AWS::AutoScaling::ScalingPolicy' },
      BareAction: { Type: 'AWS::AutoScaling::ScheduledAction' },
    })).toEqual(['Group Properties.DesiredCapacity']);
  });

  test('passes a group without Properties that a policy scales', () => {
    expect(findings({ Group: { Type: 'AWS::AutoScaling::AutoScalingGroup' }, Policy: policy('Group') })).toEqual([]);
  });

  test('names every scaler of the group', () => {
    const [finding] = scalerOwnedCounts(template({
      Group: group({ DesiredCapacity: '3' }),
      Policy: policy('Group'),
      Action: scheduledAction('Group'),
    }));
    expect(finding.message).toBe('DesiredCapacity "3" resets what Policy, Action chose on every deploy');
  });
});
