import * as path from 'path';
import { CustomResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { LabLogGroup } from './lab-log-group';
import { serviceLinkedRoleExportName } from '../classroom/classroom-exports';
import { requireClassroomExport, studentOf } from '../classroom/classroom-mode';
import { nodeFunctionBase } from './node-bundling';
import { isServicePrincipal, SERVICE_PRINCIPAL_RULE } from '../../lambda/service-linked-role/service-principal';

export interface ServiceLinkedRoleProps {
  /** The service principal whose service-linked role must exist, e.g. `ecs.amazonaws.com`. */
  readonly serviceName: string;
}

const HANDLER_ENTRY = path.join(__dirname, '..', '..', 'lambda', 'service-linked-role', 'handler.ts');

/**
 * Makes sure a service's service-linked role exists before the resources that need it, as a
 * `Custom::ServiceLinkedRole` resource: make those resources depend on `resource`.
 *
 * In an account that never used ECS, ECS creates AWSServiceRoleForECS during the first CreateCluster and often cannot
 * assume it yet, so the cluster fails ("Unable to assume the service linked role") and only a second deploy works.
 * This resource creates the role first and waits for IAM to propagate it. It never deletes the role: every resource
 * of the service in the account shares it, and it costs nothing. Use `ServiceLinkedRole.of(scope, service)`: one per
 * stack and service.
 */
export class ServiceLinkedRole extends Construct {
  /** The stack's ServiceLinkedRole for a service, created on first use. */
  public static of(scope: Construct, serviceName: string): ServiceLinkedRole {
    const stack = Stack.of(scope);
    const id = `${pascalCaseOf(serviceName)}ServiceLinkedRole`;
    const existing = stack.node.tryFindChild(id);
    if (existing instanceof ServiceLinkedRole && existing.serviceName === serviceName) return existing;
    return new ServiceLinkedRole(stack, id, { serviceName });
  }

  /**
   * Makes a resource wait for the service-linked role of its service. In classroom mode (`-c student=<name>`) the
   * class's ClassroomSetup stack has made sure of the role once for everyone: the student's stack imports its export
   * instead, so it cannot deploy before the role exists.
   */
  public static requiredBy(resource: IConstruct, serviceName: string): void {
    if (studentOf(resource) === undefined) {
      resource.node.addDependency(ServiceLinkedRole.of(resource, serviceName).resource);
      return;
    }
    const stack = Stack.of(resource);
    const id = `Classroom${pascalCaseOf(serviceName)}ServiceLinkedRole`;
    if (stack.node.tryFindChild(id)) return;
    requireClassroomExport(stack, id, serviceLinkedRoleExportName(serviceName),
      `the service-linked role of ${serviceName}, made sure of once for the class`);
  }

  public readonly serviceName: string;
  /** The `Custom::ServiceLinkedRole` resource: depend on it. */
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: ServiceLinkedRoleProps) {
    super(scope, id);

    if (!isServicePrincipal(props.serviceName)) {
      throw new Error(`serviceName must be ${SERVICE_PRINCIPAL_RULE}, got ${JSON.stringify(props.serviceName)}`);
    }
    this.serviceName = props.serviceName;

    // Its own role instead of AWSLambdaBasicExecutionRole (logs in any group of the account): create this one
    // service's role, and write this log group.
    const logGroup = new LabLogGroup(this, 'Logs').logGroup;
    const role = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Creates the service-linked role of ${props.serviceName} if the account has none`,
    });
    logGroup.grantWrite(role);
    const serviceRoles = Stack.of(this).formatArn({
      service: 'iam',
      region: '',
      resource: 'role',
      resourceName: `aws-service-role/${props.serviceName}/*`,
    });
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['iam:CreateServiceLinkedRole'],
      resources: [serviceRoles],
      conditions: { StringEquals: { 'iam:AWSServiceName': props.serviceName } },
    }));
    Validations.of(role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::'
        + `arn:<AWS::Partition>:iam::<AWS::AccountId>:role/aws-service-role/${props.serviceName}/*]`,
      reason: 'The service names its own role (AWSServiceRoleFor..., with an optional suffix); '
        + 'the path and the iam:AWSServiceName condition allow this one service only.',
    });

    const handler = new lambda.Function(this, 'Handler', {
      ...nodeFunctionBase(this, { entry: HANDLER_ENTRY }),
      memorySize: 128,
      // The IAM call, the propagation pause (20 s) and the answer to CloudFormation, with room to spare.
      timeout: Duration.minutes(1),
      role,
      logGroup,
      description: `Custom::ServiceLinkedRole: creates the service-linked role of ${props.serviceName} if needed; `
        + 'never deletes it',
    });

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: handler.functionArn,
      resourceType: 'Custom::ServiceLinkedRole',
      properties: { ServiceName: props.serviceName },
      // If the function ever fails to answer, the deploy fails in 5 minutes instead of CloudFormation's default hour.
      serviceTimeout: Duration.minutes(5),
    });
  }
}

/** `ecs.amazonaws.com` -> `Ecs`, `elasticloadbalancing.amazonaws.com` -> `Elasticloadbalancing`. */
function pascalCaseOf(serviceName: string): string {
  return serviceName.replace(/\.amazonaws\.com$/, '').split(/[.-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}
