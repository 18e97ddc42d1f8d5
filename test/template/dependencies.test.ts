import { CfnTemplate } from '../../lib/template/cfn-template';
import { allDependencies, dependsOn, directDependencies, referencedResources } from '../../lib/template/dependencies';

/** A template of the given resources; `DependsOn` is part of the JSON, not of the rules' model. */
const template = (resources: Record<string, object>): CfnTemplate => ({
  Resources: resources as CfnTemplate['Resources'],
});

const resource = (extra: object = {}) => ({ Type: 'AWS::Test::Thing', ...extra });

describe('referencedResources', () => {
  const stack = template({ A: resource(), B: resource() });

  test('finds a Ref to a resource', () => {
    expect(referencedResources(stack, { Ref: 'A' })).toEqual(new Set(['A']));
  });

  test('leaves out a Ref to a parameter or a pseudo parameter', () => {
    expect(referencedResources(stack, [{ Ref: 'InstanceType' }, { Ref: 'AWS::Region' }])).toEqual(new Set());
  });

  test('finds Fn::GetAtt written as a list', () => {
    expect(referencedResources(stack, { 'Fn::GetAtt': ['A', 'Arn'] })).toEqual(new Set(['A']));
  });

  test('finds Fn::GetAtt written as "Id.Attribute"', () => {
    expect(referencedResources(stack, { 'Fn::GetAtt': 'B.Arn' })).toEqual(new Set(['B']));
  });

  test('finds ${Id} and ${Id.Attribute} in Fn::Sub', () => {
    expect(referencedResources(stack, { 'Fn::Sub': 'arn:${AWS::Partition}:x:::${A}/${B.Name}' }))
      .toEqual(new Set(['A', 'B']));
  });

  test('leaves out ${!Literal} in Fn::Sub', () => {
    expect(referencedResources(stack, { 'Fn::Sub': '${!A}' })).toEqual(new Set());
  });

  test('leaves out Fn::Sub names its variable map defines, and finds references inside the map', () => {
    expect(referencedResources(stack, { 'Fn::Sub': ['${A}-${Other}', { A: 'literal', Other: { Ref: 'B' } }] }))
      .toEqual(new Set(['B']));
  });

  test('finds references at any depth, in lists and in other functions', () => {
    const value = {
      Outer: [{ 'Fn::Join': ['', ['x', { 'Fn::If': ['Cond', { Ref: 'A' }, { Ref: 'AWS::NoValue' }] }]] }],
    };
    expect(referencedResources(stack, value)).toEqual(new Set(['A']));
  });

  test('finds nothing in plain values', () => {
    expect(referencedResources(stack, { Ref: 42, Name: 'A', List: ['B', null, 3] })).toEqual(new Set());
  });
});

describe('directDependencies', () => {
  test('counts a DependsOn written as one string', () => {
    const stack = template({ A: resource({ DependsOn: 'B' }), B: resource() });
    expect(directDependencies(stack, 'A')).toEqual(new Set(['B']));
  });

  test('counts every name of a DependsOn list', () => {
    const stack = template({ A: resource({ DependsOn: ['B', 'C'] }), B: resource(), C: resource() });
    expect(directDependencies(stack, 'A')).toEqual(new Set(['B', 'C']));
  });

  test('leaves out a DependsOn name the template lacks', () => {
    const stack = template({ A: resource({ DependsOn: ['B', 'Missing'] }), B: resource() });
    expect(directDependencies(stack, 'A')).toEqual(new Set(['B']));
  });

  test('counts references in Properties together with DependsOn', () => {
    const stack = template({
      A: resource({ DependsOn: 'B', Properties: { Role: { 'Fn::GetAtt': ['C', 'Arn'] } } }),
      B: resource(),
      C: resource(),
    });
    expect(directDependencies(stack, 'A')).toEqual(new Set(['B', 'C']));
  });

  test('ignores references outside Properties, which do not order creation', () => {
    const stack = template({ A: resource({ Metadata: { Ref: 'B' } }), B: resource() });
    expect(directDependencies(stack, 'A')).toEqual(new Set());
  });

  test('has none for a resource the template lacks', () => {
    expect(directDependencies(template({ A: resource() }), 'Missing')).toEqual(new Set());
  });
});

describe('dependsOn', () => {
  const chain = template({
    Instance: resource({ DependsOn: ['Route'] }),
    Route: resource({ DependsOn: 'Attachment', Properties: { GatewayId: { Ref: 'Gateway' } } }),
    Attachment: resource({ Properties: { InternetGatewayId: { Ref: 'Gateway' } } }),
    Gateway: resource(),
    OnGatewayOnly: resource({ DependsOn: 'Gateway' }),
    Unrelated: resource(),
  });

  test('follows a chain of DependsOn and references', () => {
    expect(dependsOn(chain, 'Instance', 'Gateway')).toBe(true);
    expect(allDependencies(chain, 'Instance')).toEqual(new Set(['Route', 'Attachment', 'Gateway']));
  });

  test('is false the other way round', () => {
    expect(dependsOn(chain, 'Attachment', 'Instance')).toBe(false);
  });

  test('is false for a resource that depends on nothing', () => {
    expect(dependsOn(chain, 'Unrelated', 'Gateway')).toBe(false);
  });

  test('is false between two resources that only share a dependency', () => {
    expect(dependsOn(chain, 'OnGatewayOnly', 'Attachment')).toBe(false);
  });

  test('ends on a cycle, and a resource in it depends on itself', () => {
    const cycle = template({ A: resource({ DependsOn: 'B' }), B: resource({ Properties: { X: { Ref: 'A' } } }) });
    expect(dependsOn(cycle, 'A', 'A')).toBe(true);
    expect(allDependencies(cycle, 'B')).toEqual(new Set(['A', 'B']));
  });

  test('follows a reference through Fn::Sub', () => {
    const stack = template({ A: resource({ Properties: { Url: { 'Fn::Sub': 'https://${B.DomainName}/' } } }), B: resource() });
    expect(dependsOn(stack, 'A', 'B')).toBe(true);
  });
});
