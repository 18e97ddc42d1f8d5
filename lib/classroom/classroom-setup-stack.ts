import { Aws, CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { API_GATEWAY_ACCOUNT_EXPORT, serviceLinkedRoleExportName } from './classroom-exports';
import { exportSharedNetwork } from './shared-network';
import { resolvePlaceholders, STUDENT_POLICY } from './student-policy';
import { LabVpc } from '../constructs/lab-vpc';
import { ServiceLinkedRole } from '../constructs/service-linked-role';
import { FIRST_USE_SERVICE_ROLES } from '../guardrails/rules/service-linked-roles';

/**
 * The instructor's stack, deployed once per account and region before a class deploys labs with `-c student=<name>`:
 * what thirty copies of a lab would otherwise each create, or fight over.
 * - The class's network: one VPC with two public /20 subnets and no NAT gateway, where the default quota of 5 VPCs per
 *   region would stop the sixth student. Its internet gateway stays while any student's stack imports it.
 * - The service-linked roles that a service's first resource in a new account cannot assume yet (ECS), made sure of
 *   once.
 * - API Gateway's account setting, the CloudWatch role its stages need for access logs: one per account and region,
 *   so thirty stacks setting it would each replace the others' role and leave it dangling when deleted.
 * - The students' managed policy: what a student needs to deploy, verify and destroy labs through the CDK bootstrap
 *   roles and to run the tools (lib/classroom/student-policy.ts), for the instructor to attach to a group.
 * Each of the first three is exported; a student's stack imports what its lab needs, so it cannot deploy before this
 * stack, and this stack cannot be deleted while a student's stack uses it.
 */
export class ClassroomSetup extends Stack {
  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, {
      description: 'Classroom set-up: the class\'s network, service-linked roles and API Gateway\'s account setting',
      ...props,
    });

    const network = new LabVpc(this, 'Network', { subnetCidrMask: 20 });
    exportSharedNetwork(this, network.vpc);

    for (const serviceName of new Set(Object.values(FIRST_USE_SERVICE_ROLES))) {
      const role = ServiceLinkedRole.of(this, serviceName);
      const exportName = serviceLinkedRoleExportName(serviceName);
      new CfnOutput(this, exportName.replace(/[^A-Za-z0-9]/g, ''), {
        value: role.resource.ref,
        description: `The service-linked role of ${serviceName} exists and can be assumed`,
        exportName,
      });
    }

    const policy = this.studentPolicy();
    new CfnOutput(this, 'StudentPolicyArn', {
      value: policy.managedPolicyArn,
      description: 'Attach to the students\' IAM group or permission set: deploy, verify and destroy labs',
    });

    const account = this.apiGatewayAccount();
    new CfnOutput(this, 'ApiGatewayAccountSet', {
      value: account.ref,
      description: 'API Gateway\'s CloudWatch role is set for this account and region',
      exportName: API_GATEWAY_ACCOUNT_EXPORT,
    });
  }

  /** The students' policy, with the account, region and partition of this stack in its ARNs. */
  private studentPolicy(): iam.ManagedPolicy {
    const values = { partition: Aws.PARTITION, region: Aws.REGION, account: Aws.ACCOUNT_ID };
    const policy = new iam.ManagedPolicy(this, 'StudentPolicy', {
      description: 'A student of the class: deploy, verify and destroy the labs, and run the repository\'s tools',
      statements: STUDENT_POLICY.map((statement) => new iam.PolicyStatement({
        sid: statement.sid,
        actions: [...statement.actions],
        resources: statement.resources.map((resource) => resolvePlaceholders(resource, values)),
        conditions: statement.conditions && Object.fromEntries(Object.entries(statement.conditions)
          .map(([operator, keys]) => [operator, Object.fromEntries(Object.entries(keys)
            .map(([key, value]) => [key, resolvePlaceholders(value, values)]))])),
      })),
    });
    // cdk-nag names each wildcard resource, with the pseudo parameters written <AWS::...>.
    const asNamedByCdkNag = { partition: '<AWS::Partition>', region: '<AWS::Region>', account: '<AWS::AccountId>' };
    for (const statement of STUDENT_POLICY) {
      for (const resource of statement.resources.filter((arn) => arn.includes('*'))) {
        Validations.of(policy).acknowledge({
          id: `AwsSolutions::AwsSolutions-IAM5[Resource::${resolvePlaceholders(resource, asNamedByCdkNag)}]`,
          reason: `${statement.sid}: ${statement.why}`,
        });
      }
    }
    return policy;
  }

  /** API Gateway's account-wide CloudWatch role, which stages with access or execution logs need. */
  private apiGatewayAccount(): apigateway.CfnAccount {
    const role = new iam.Role(this, 'ApiGatewayCloudWatchRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'API Gateway writes the class\'s stage logs to CloudWatch Logs in this account and region',
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs'),
      ],
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM4'
        + '[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason: 'AWS publishes this policy for exactly this role: '
        + 'API Gateway writing its logs in this account and region.',
    });
    return new apigateway.CfnAccount(this, 'ApiGatewayAccount', { cloudWatchRoleArn: role.roleArn });
  }
}
