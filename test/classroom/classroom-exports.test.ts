import {
  API_GATEWAY_ACCOUNT_EXPORT, classroomExportName, importsClassroomPublicSubnet, publicSubnetExportName,
  serviceLinkedRoleExportName,
} from '../../lib/classroom/classroom-exports';

// The export names of ClassroomSetup, which the students' stacks import by name.

test('names an export after ClassroomSetup and the value', () => {
  expect(classroomExportName('VpcId')).toBe('ClassroomSetup-VpcId');
  expect(API_GATEWAY_ACCOUNT_EXPORT).toBe('ClassroomSetup-ApiGatewayAccount');
});

test('names public subnet n by its number', () => {
  expect(publicSubnetExportName(1)).toBe('ClassroomSetup-PublicSubnet1Id');
  expect(publicSubnetExportName(2)).toBe('ClassroomSetup-PublicSubnet2Id');
});

describe('serviceLinkedRoleExportName', () => {
  test.each([
    ['ecs.amazonaws.com', 'ClassroomSetup-ServiceLinkedRole-ecs'],
    ['elasticbeanstalk.amazonaws.com', 'ClassroomSetup-ServiceLinkedRole-elasticbeanstalk'],
    // Every dot becomes a hyphen, not only the first.
    ['ecs.application-autoscaling.amazonaws.com', 'ClassroomSetup-ServiceLinkedRole-ecs-application-autoscaling'],
    ['a.b.c.amazonaws.com', 'ClassroomSetup-ServiceLinkedRole-a-b-c'],
    ['ecs', 'ClassroomSetup-ServiceLinkedRole-ecs'],
  ])('names the role of %s %s', (service, exportName) => {
    expect(serviceLinkedRoleExportName(service)).toBe(exportName);
  });

  test('drops .amazonaws.com only at the end of the name', () => {
    expect(serviceLinkedRoleExportName('ecs.amazonaws.com.cn'))
      .toBe('ClassroomSetup-ServiceLinkedRole-ecs-amazonaws-com-cn');
    expect(serviceLinkedRoleExportName('ecs-amazonaws-com')).toBe('ClassroomSetup-ServiceLinkedRole-ecs-amazonaws-com');
  });
});

describe('importsClassroomPublicSubnet', () => {
  test.each([
    'ClassroomSetup-PublicSubnet1Id', 'ClassroomSetup-PublicSubnet2Id', 'ClassroomSetup-PublicSubnet12Id',
  ])('is true for an import of %s', (exportName) => {
    expect(importsClassroomPublicSubnet({ 'Fn::ImportValue': exportName })).toBe(true);
  });

  test.each([
    ['another export', 'ClassroomSetup-VpcId'],
    ['a subnet without a number', 'ClassroomSetup-PublicSubnetId'],
    ['a subnet with a letter for a number', 'ClassroomSetup-PublicSubnetXId'],
    ['another stack\'s export', 'OtherSetup-PublicSubnet1Id'],
    ['text before the name', 'xClassroomSetup-PublicSubnet1Id'],
    ['text after the name', 'ClassroomSetup-PublicSubnet1Idx'],
  ])('is false for an import of %s (%s)', (_name, exportName) => {
    expect(importsClassroomPublicSubnet({ 'Fn::ImportValue': exportName })).toBe(false);
  });

  test.each([
    ['a subnet id', 'subnet-0123'],
    ['a reference', { Ref: 'PublicSubnet1' }],
    ['an import of a computed name', { 'Fn::ImportValue': { 'Fn::Sub': 'ClassroomSetup-PublicSubnet1Id' } }],
    ['an import of a list that reads as a subnet\'s name', { 'Fn::ImportValue': ['ClassroomSetup-PublicSubnet1Id'] }],
    ['nothing', undefined],
    ['null', null],
  ])('is false for %s, without failing', (_name, value) => {
    expect(importsClassroomPublicSubnet(value)).toBe(false);
  });
});
