import { App, Stack, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { LabGuardrailsPlugin } from './lab-guardrails-plugin';

export { LabGuardrailsPlugin } from './lab-guardrails-plugin';

export interface LabGuardrailsOptions {
  /** The project's name (package.json), tagged on every resource as `project=<name>`. */
  readonly project: string;
}

/**
 * The policy every lab passes, applied once to the app after the labs are registered:
 * the `lab` and `project` tags, cdk-nag's AwsSolutions pack, and the project's own guardrails.
 * The built-in CloudFormation validator runs as well, and fails synth on errors through
 * `@aws-cdk/core:validateAgainstDefaultRules` in cdk.json.
 */
export function applyLabGuardrails(app: App, options: LabGuardrailsOptions): void {
  Tags.of(app).add('project', options.project);
  for (const stack of app.node.children.filter(Stack.isStack)) {
    // The lab's name, also in classroom mode, where the stack's name is `<student>-<Lab>`.
    Tags.of(stack).add('lab', stack.node.id);
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new LabGuardrailsPlugin(options));
}
