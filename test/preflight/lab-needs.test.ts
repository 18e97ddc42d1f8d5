import { LABS } from '../../bin/labs';
import { LAB_SERVICE_LINKED_ROLES } from '../../lib/leftovers/find-leftovers';
import { labNeeds } from '../../lib/preflight/lab-needs';
import { synthLabs, templateOf } from '../helpers/synth';
import { bootstrapParts, fargateTemplate } from './templates';

// What preflight reads from the labs' synthesized templates, so a new lab is checked without code in preflight.
const labs = Object.keys(LABS);
const synthesized = synthLabs();
const withOptions = synthLabs(['FargateServiceLab'], { context: { withLoadBalancer: 'true', autoScaling: 'true' } });
const needsOf = (lab: string) => labNeeds(templateOf(synthesized, lab));

test.each(labs)('reads the bootstrap version %s requires and its SSM parameter '
  + 'from the template\'s own rule', (lab) => {
  const template = templateOf(synthesized, lab);
  const required = Number(
    /version (\d+) required/.exec(template.Rules.CheckBootstrapVersion.Assertions[0].AssertDescription)![1],
  );
  expect(labNeeds(template).bootstrap)
    .toEqual({ minimum: required, parameter: template.Parameters.BootstrapVersion.Default });
});

test('takes the version above the highest one the rule refuses, and nothing without the rule', () => {
  expect(labNeeds({ ...bootstrapParts(5), Resources: {} }).bootstrap?.minimum).toBe(6);
  expect(labNeeds({ ...bootstrapParts(20), Resources: {} }).bootstrap?.minimum).toBe(21);
  expect(labNeeds({ Resources: {} }).bootstrap).toBeUndefined();
});

test('reads the services each lab needs in the region', () => {
  expect(Object.fromEntries(labs.map((lab) => [lab, needsOf(lab).services]))).toEqual({
    Ec2WebServerLab: ['lambda'],
    Ec2AsgAlbLab: ['lambda', 'autoscaling', 'elb'],
    LambdaUsersLab: ['lambda', 'apigateway', 'dynamodb'],
    FargateServiceLab: ['lambda', 'ecs', 'fargate'],
    BeanstalkAppLab: ['lambda', 'elasticbeanstalk'],
    S3UploadsLab: ['lambda', 'dynamodb', 's3', 'sqs'],
  });
});

test('reads the Lambda runtimes and the Beanstalk platform branch the labs use', () => {
  expect(needsOf('LambdaUsersLab').lambdaRuntimes).toContain('nodejs24.x on arm64');
  expect(needsOf('BeanstalkAppLab').beanstalkBranches).toEqual(['Node.js 22 running on 64bit Amazon Linux 2023']);
  expect(needsOf('Ec2AsgAlbLab').beanstalkBranches).toEqual([]);
});

test('reads the service-linked roles each lab\'s resources need', () => {
  const roles = (needs: ReturnType<typeof labNeeds>) => needs.serviceLinkedRoles.map((role) => role.roleName);
  expect(Object.fromEntries(labs.map((lab) => [lab, roles(needsOf(lab))]))).toEqual({
    Ec2WebServerLab: [],
    Ec2AsgAlbLab: ['AWSServiceRoleForElasticLoadBalancing', 'AWSServiceRoleForAutoScaling'],
    LambdaUsersLab: [],
    FargateServiceLab: ['AWSServiceRoleForECS'],
    BeanstalkAppLab: ['AWSServiceRoleForAutoScaling'],
    S3UploadsLab: [],
  });
  expect(roles(labNeeds(templateOf(withOptions, 'FargateServiceLab'))))
    .toEqual([
      'AWSServiceRoleForECS',
      'AWSServiceRoleForElasticLoadBalancing',
      'AWSServiceRoleForApplicationAutoScaling_ECSService',
    ]);
});

test('lists for leftovers every service-linked role a lab can make its services create, with its options on', () => {
  for (const lab of labs) {
    for (const role of needsOf(lab).serviceLinkedRoles) expect({
      lab, role: role.roleName, listed: LAB_SERVICE_LINKED_ROLES[lab].includes(role.roleName),
    }).toEqual({ lab, role: role.roleName, listed: true });
  }
  for (const role of labNeeds(templateOf(withOptions, 'FargateServiceLab')).serviceLinkedRoles)
    expect(LAB_SERVICE_LINKED_ROLES.FargateServiceLab).toContain(role.roleName);
});

test('sees that the Fargate lab creates ECS\'s service-linked role itself, before the cluster', () => {
  expect(needsOf('FargateServiceLab').serviceLinkedRoles[0]).toMatchObject({
    roleName: 'AWSServiceRoleForECS',
    createdBy: expect.any(String),
    createdFirst: true,
  });
});

test('sees whether the template creates the ECS role, and whether before the cluster', () => {
  const ecsRole = (createsRole: 'no' | 'first' | 'late') => labNeeds(fargateTemplate({ createsRole }))
    .serviceLinkedRoles[0];
  expect(ecsRole('first')).toMatchObject({ createdBy: 'EcsRole', before: ['AWS::ECS::Cluster'], createdFirst: true });
  expect(ecsRole('late')).toMatchObject({ createdBy: 'EcsRole', createdFirst: false });
  expect(ecsRole('no')).toMatchObject({ createdBy: undefined, createdFirst: false });
});

test('counts the instances each lab launches at its maximum', () => {
  const launches = (lab: string) => needsOf(lab).instances
    .map(({ instanceType, count }) => `${count} x ${instanceType}`);
  expect(launches('Ec2WebServerLab')).toEqual(['1 x t3.micro']);
  expect(launches('Ec2AsgAlbLab')).toEqual(['4 x t3.micro']);
  expect(launches('BeanstalkAppLab')).toEqual(['1 x t3.micro']);
  expect(launches('LambdaUsersLab')).toEqual([]);
});

test('counts the Fargate tasks at the desired count, or at the scaling maximum when the lab scales', () => {
  const tasks = (needs: ReturnType<typeof labNeeds>) => needs.fargateTasks
    .map(({ vcpu, count }) => `${count} x ${vcpu} vCPU`);
  expect(tasks(needsOf('FargateServiceLab'))).toEqual(['2 x 0.5 vCPU']);
  expect(tasks(labNeeds(templateOf(withOptions, 'FargateServiceLab')))).toEqual(['4 x 0.5 vCPU']);
  expect(tasks(labNeeds(fargateTemplate({ maxCapacity: 6 })))).toEqual(['6 x 0.5 vCPU']);
});
