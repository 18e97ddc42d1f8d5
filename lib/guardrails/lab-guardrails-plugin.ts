import * as fs from 'fs';
import {
  IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation,
} from 'aws-cdk-lib';
import { unauditedAcknowledgments } from './rules/acknowledgments';
import { missingLabTags } from './rules/lab-tags';
import { natGateways } from './rules/nat-gateways';
import { physicalNames } from './rules/physical-names';
import { publicAddressesBeforeGateway } from './rules/public-addresses';
import { scalerOwnedCounts } from './rules/scaler-owned-count';
import { firstUseServiceRoles } from './rules/service-linked-roles';
import { bucketsNotEmptied, implicitLogGroups, retainedResources } from './rules/teardown';
import { unorderedNames } from './rules/unordered-names';
import { CfnTemplate, Finding } from '../template/cfn-template';

interface TemplateRule {
  readonly id: string;
  readonly description: string;
  readonly fix: string;
  readonly check: (template: CfnTemplate) => Finding[];
}

const TEMPLATE_RULES: TemplateRule[] = [
  {
    id: 'retained-resource',
    description: 'A resource is kept (or snapshotted) when the stack is deleted, so teardown leaves it behind.',
    fix: 'Give the resource removalPolicy: RemovalPolicy.DESTROY.',
    check: retainedResources,
  },
  {
    id: 'bucket-not-emptied',
    description: 'A bucket that still holds objects cannot be deleted with the stack.',
    fix: 'Create the bucket with autoDeleteObjects: true and removalPolicy: RemovalPolicy.DESTROY.',
    check: bucketsNotEmptied,
  },
  {
    id: 'implicit-log-group',
    description: 'Logs go to a log group the stack does not define: '
      + 'it is created on first write, never expires and outlives the stack.',
    fix: 'Define the log group in the stack with LabLogGroup and point the writer at it.',
    check: implicitLogGroups,
  },
  {
    id: 'nat-gateway',
    description: 'A NAT gateway costs about $0.045/h plus $0.045/GB, more than most labs; '
      + 'labs use public subnets instead.',
    fix: 'Use LabVpc. A lab that truly needs private egress opts in with LabVpc({ natGateways, natGatewayReason }).',
    check: natGateways,
  },
  {
    id: 'physical-name',
    description: 'A fixed resource name stops two copies of a lab from deploying side by side and blocks replacement.',
    fix: 'Remove the name property and let CloudFormation generate a unique name.',
    check: physicalNames,
  },
  {
    id: 'public-address-before-gateway',
    description: 'A resource holds a public address but does not wait for the internet gateway attachment: '
      + 'on delete, CloudFormation can detach the gateway first and fail with "has some mapped public address(es)", '
      + 'leaving the stack DELETE_FAILED.',
    fix: 'Make the resource depend on the public subnets\' routes, which wait for the attachment: '
      + 'construct.node.addDependency(vpc.selectSubnets({ subnetType: ec2.SubnetType.PUBLIC })'
      + '.internetConnectivityEstablished). '
      + '(vpc.internetConnectivityEstablished is the gateway alone, not its attachment.)',
    check: publicAddressesBeforeGateway,
  },
  {
    id: 'scaler-owned-count',
    description: 'The template sets the count of a service or group that a scaler manages, '
      + 'so every deploy resets what the scaler chose.',
    fix: 'Leave the count out of the template (desiredCount / desiredCapacity undefined) '
      + 'and let the scaler\'s minimum set the start.',
    check: scalerOwnedCounts,
  },
  {
    id: 'first-use-service-role',
    description: 'The first resource of a service in a new account makes the service create its service-linked role, '
      + 'which it often cannot assume yet: the first deploy fails.',
    fix: 'Make the resource depend on the Custom::ServiceLinkedRole of its service '
      + '(lib/constructs/service-linked-role.ts), '
      + 'with ServiceLinkedRole.requiredBy(cluster, \'ecs.amazonaws.com\'), which in classroom mode imports '
      + 'ClassroomSetup\'s export for the role instead.',
    check: firstUseServiceRoles,
  },
  {
    id: 'unordered-name',
    description: 'A resource names another resource of the stack by a name fixed at synth, not by a reference, and '
      + 'does not depend on it: CloudFormation may create it first and fail, or delete the named resource first.',
    fix: 'Refer to the resource (its Ref or an attribute) where the property takes one, or add a dependency: '
      + 'construct.node.addDependency(named).',
    check: unorderedNames,
  },
];

export interface LabGuardrailsPluginProps {
  /** The project tag every lab resource carries (`project=<name>`). */
  readonly project: string;
}

/**
 * The project's own checks over every synthesized lab: teardown leaves nothing (and does not fail on a mapped public
 * address), no NAT gateway unless a lab opts in, no physical names, no count a scaler owns, service-linked roles
 * created before first use, resources ordered after those they name, and the lab/project tags on every taggable
 * resource.
 * Findings fail `cdk synth`; acknowledge one with
 * `Validations.of(construct).acknowledge({ id: 'LabGuardrails::<rule>', reason })`.
 */
export class LabGuardrailsPlugin implements IPolicyValidationPlugin {
  public static readonly PLUGIN_NAME = 'LabGuardrails';
  public readonly name = LabGuardrailsPlugin.PLUGIN_NAME;
  public readonly ruleIds = [...TEMPLATE_RULES.map((rule) => rule.id), 'missing-lab-tags', 'unaudited-acknowledgment'];

  constructor(private readonly props: LabGuardrailsPluginProps) {}

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const templates = context.templatePaths.map((templatePath) => ({
      templatePath,
      template: JSON.parse(fs.readFileSync(templatePath, 'utf-8')) as CfnTemplate,
    }));

    const violations: PolicyViolation[] = TEMPLATE_RULES.map((rule) => ({
      ruleName: rule.id,
      description: rule.description,
      fix: rule.fix,
      severity: 'error',
      violatingResources: templates.flatMap(({ templatePath, template }) => rule.check(template).map((finding) => ({
        templatePath,
        resourceLogicalId: finding.logicalId,
        locations: [`${finding.location}: ${finding.message}`],
      }))),
    }));

    violations.push({
      ruleName: 'missing-lab-tags',
      description: 'A resource lacks the lab and project tags that the cost report and the leftover scan search for.',
      fix: 'Register the lab stack before applyLabGuardrails(app) runs, and do not remove the tags.',
      severity: 'error',
      violatingResources: missingLabTags(context.appConstruct, this.props.project).map((finding) => ({
        constructPath: finding.constructPath,
        locations: [finding.message],
      })),
    });

    violations.push({
      ruleName: 'unaudited-acknowledgment',
      description: 'An acknowledgment names a rule without its plugin, '
        + 'so the finding vanishes from the report instead of being listed with its reason.',
      fix: 'Prefix the rule id with its plugin, e.g. AwsSolutions::AwsSolutions-EC23.',
      severity: 'error',
      violatingResources: unauditedAcknowledgments(context.appConstruct).map((finding) => ({
        constructPath: finding.constructPath,
        locations: [finding.message],
      })),
    });

    const found = violations.filter((violation) => violation.violatingResources.length > 0);
    return { success: found.length === 0, violations: found };
  }
}
