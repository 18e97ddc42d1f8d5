import { FIRST_USE_SERVICE_ROLES, firstUseServiceRoles } from '../../lib/guardrails/rules/service-linked-roles';
import { CfnTemplate } from '../../lib/template/cfn-template';

const template = (resources: Record<string, object>): CfnTemplate => ({
  Resources: resources as CfnTemplate['Resources'],
});
const findings = (resources: Record<string, object>) => firstUseServiceRoles(template(resources))
  .map((finding) => `${finding.logicalId} ${finding.location}`);

const role = (serviceName: string, extra: object = {}) => ({
  Type: 'Custom::ServiceLinkedRole',
  Properties: { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:x', ServiceName: serviceName },
  ...extra,
});
const cluster = (extra: object = {}) => ({ Type: 'AWS::ECS::Cluster', Properties: {}, ...extra });

describe('first-use-service-role', () => {
  test('maps the ECS cluster to the ECS service principal', () => {
    expect(FIRST_USE_SERVICE_ROLES['AWS::ECS::Cluster']).toBe('ecs.amazonaws.com');
  });

  test('fails on a cluster in a stack without a service-linked role resource', () => {
    expect(findings({ Cluster: cluster() })).toEqual(['Cluster Type']);
  });

  test('fails on a cluster when the only service-linked role is another service\'s', () => {
    expect(findings({ Role: role('elasticbeanstalk.amazonaws.com'), Cluster: cluster({ DependsOn: 'Role' }) }))
      .toEqual(['Cluster Type']);
  });

  test('fails on a cluster that does not depend on the ECS service-linked role of the stack', () => {
    expect(findings({ Role: role('ecs.amazonaws.com'), Cluster: cluster() })).toEqual(['Cluster DependsOn']);
  });

  test('passes a cluster with a DependsOn on the ECS service-linked role', () => {
    expect(findings({ Role: role('ecs.amazonaws.com'), Cluster: cluster({ DependsOn: ['Role'] }) })).toEqual([]);
  });

  test('passes a cluster that depends on the role through another resource', () => {
    const waiter = { Type: 'AWS::CloudFormation::WaitConditionHandle', DependsOn: 'Role' };
    expect(findings({
      Role: role('ecs.amazonaws.com'),
      Waiter: waiter,
      Cluster: cluster({ Properties: { ClusterSettings: [{ Name: 'x', Value: { Ref: 'Waiter' } }] } }),
    })).toEqual([]);
  });

  test('passes a cluster that depends on one of two ECS service-linked roles', () => {
    expect(findings({
      First: role('ecs.amazonaws.com'),
      Second: role('ecs.amazonaws.com'),
      Cluster: cluster({ DependsOn: 'Second' }),
    })).toEqual([]);
  });

  test('fails on a cluster that depends on a resource of another type named ServiceName ecs.amazonaws.com', () => {
    const lookalike = { Type: 'Custom::Other', Properties: { ServiceName: 'ecs.amazonaws.com' } };
    expect(findings({ Role: lookalike, Cluster: cluster({ DependsOn: 'Role' }) })).toEqual(['Cluster Type']);
  });

  test('has no findings for a stack without a cluster', () => {
    expect(findings({ Role: role('ecs.amazonaws.com'), Service: { Type: 'AWS::ECS::Service' } })).toEqual([]);
  });

  test('fails on a cluster beside a service-linked role resource without Properties', () => {
    expect(findings({ Role: { Type: 'Custom::ServiceLinkedRole' }, Cluster: cluster({ DependsOn: 'Role' }) }))
      .toEqual(['Cluster Type']);
  });

  test('says which role resource the stack lacks and how the first deploy fails', () => {
    const [finding] = firstUseServiceRoles(template({ Cluster: cluster() }));
    expect(finding.message).toBe('no Custom::ServiceLinkedRole for ecs.amazonaws.com in the stack: '
      + 'in a new account AWS::ECS::Cluster can fail with "Unable to assume the service linked role"');
  });

  test('names every role the cluster could wait for, and why it must', () => {
    const [finding] = firstUseServiceRoles(template({
      First: role('ecs.amazonaws.com'),
      Second: role('ecs.amazonaws.com'),
      Cluster: cluster(),
    }));
    expect(finding.message).toBe('does not depend on First, Second, the Custom::ServiceLinkedRole for '
      + 'ecs.amazonaws.com, so it can be created before the role is usable');
  });

  test('says which role the cluster should wait for', () => {
    const [finding] = firstUseServiceRoles(template({ Role: role('ecs.amazonaws.com'), Cluster: cluster() }));
    expect(finding.message).toMatch(/^does not depend on Role, the Custom::ServiceLinkedRole for ecs\.amazonaws\.com/);
  });

  describe('in classroom mode, an output importing ClassroomSetup\'s export for the role', () => {
    const withOutputs = (outputs: Record<string, object>) => firstUseServiceRoles({
      Resources: { Cluster: cluster() } as CfnTemplate['Resources'],
      Outputs: outputs,
    }).map((finding) => `${finding.logicalId} ${finding.location}`);
    const importing = (exportName: string) => ({ Value: { 'Fn::ImportValue': exportName } });

    test('passes a cluster in a stack that imports ClassroomSetup-ServiceLinkedRole-ecs', () => {
      expect(withOutputs({ Role: importing('ClassroomSetup-ServiceLinkedRole-ecs') })).toEqual([]);
    });

    test.each([
      ['another service\'s role', 'ClassroomSetup-ServiceLinkedRole-elasticbeanstalk'],
      ['another stack\'s export of the same name', 'OtherSetup-ServiceLinkedRole-ecs'],
      ['another export of ClassroomSetup', 'ClassroomSetup-VpcId'],
    ])('fails when the import is %s', (_case, exportName) => {
      expect(withOutputs({ Role: importing(exportName) })).toEqual(['Cluster Type']);
    });

    test('fails when the export name is only part of a longer value', () => {
      const imported = { 'Fn::ImportValue': 'ClassroomSetup-ServiceLinkedRole-ecs' };
      const joined = { Value: { 'Fn::Join': ['', [imported, '!']] } };
      expect(withOutputs({ Role: joined })).toEqual(['Cluster Type']);
    });

    test('fails with outputs that import nothing', () => {
      expect(withOutputs({ Url: { Value: 'https://example.com' }, Empty: {} })).toEqual(['Cluster Type']);
    });
  });
});
