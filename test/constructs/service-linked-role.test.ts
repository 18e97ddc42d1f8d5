import { Template } from 'aws-cdk-lib/assertions';
import { ServiceLinkedRole } from '../../lib/constructs/service-linked-role';
import { constructTestStack } from '../helpers/construct-app';

// The construct's check of the service name, without bundling its handler.
const build = (serviceName: string) => {
  const stack = constructTestStack();
  new ServiceLinkedRole(stack, 'Role', { serviceName });
  return Template.fromStack(stack);
};

test.each(['ecs.amazonaws.com', 'ecs.application-autoscaling.amazonaws.com'])('makes sure of the role of %s',
  (serviceName) => {
    build(serviceName).hasResourceProperties('Custom::ServiceLinkedRole', { ServiceName: serviceName });
  });

test.each(['ecs', 'ECS.amazonaws.com', 'ecs.amazonaws.com.evil', ''])('fails on the service name %p', (serviceName) => {
  expect(() => build(serviceName)).toThrow(new Error('serviceName must be an AWS service principal such as '
    + '"ecs.amazonaws.com" (lower-case labels ending in .amazonaws.com, at most 100 characters), '
    + `got ${JSON.stringify(serviceName)}`));
});
