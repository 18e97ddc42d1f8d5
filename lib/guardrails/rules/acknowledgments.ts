import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

export interface AcknowledgmentFinding {
  readonly constructPath: string;
  readonly message: string;
}

// A rule id without its plugin's namespace is filed under the construct-annotation namespace.
const ANNOTATION_NAMESPACE = 'Annotation::';
const PLUGIN_RULE_ID = /^(AwsSolutions-|LabGuardrails|[EW]\d{4}$)/;

/**
 * Acknowledgments of a validation plugin's rule written without the plugin's namespace
 * (`AwsSolutions-EC23` instead of `AwsSolutions::AwsSolutions-EC23`). cdk-nag 3 then drops the finding
 * without listing it, or its reason, among the acknowledged findings of the report: a silent suppression.
 */
export function unauditedAcknowledgments(root: IConstruct): AcknowledgmentFinding[] {
  return root.node.findAll().flatMap((construct) => construct.node.metadata
    .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((entry) => Object.keys(entry.data as Record<string, string>))
    .filter((id) => id.startsWith(ANNOTATION_NAMESPACE) && PLUGIN_RULE_ID.test(id.slice(ANNOTATION_NAMESPACE.length)))
    .map((id) => {
      const ruleId = id.slice(ANNOTATION_NAMESPACE.length);
      const plugin = ruleId.startsWith('AwsSolutions-')
        ? 'AwsSolutions'
        : ruleId.startsWith('LabGuardrails') ? 'LabGuardrails' : 'CloudFormation-Validate';
      // A LabGuardrails rule id written wrong is the plugin's name, a wrong separator, and the rule: keep the rule.
      const rule = ruleId.replace(/^LabGuardrails[:-]*/, '');
      return { constructPath: construct.node.path, message: `acknowledges "${ruleId}"; write "${plugin}::${rule}"` };
    }));
}
