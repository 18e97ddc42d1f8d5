import * as fs from 'fs';
import * as path from 'path';

/** The context of the project's cdk.json (its feature flags), for apps built outside the CDK CLI: tests and tools. */
export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf-8')).context;
}

/** Context that skips every stack's bundling: its assets are the source folders, with their own hashes. */
export const WITHOUT_BUNDLING = { 'aws:cdk:bundling-stacks': [] } as const;

/**
 * Context that stops aws-cdk-lib from recording a stack trace with every CloudFormation element and annotation it
 * creates: they go to the cloud assembly's metadata only, and cost about a tenth of a synth's time.
 */
export const WITHOUT_STACK_TRACES = {
  'aws:cdk:disable-creation-stack-traces': true,
  'aws:cdk:disable-stack-trace': true,
} as const;

/**
 * cdk.json's context and `context`, for a synth in a tool's process whose templates are read, not deployed: nothing
 * is bundled (only the assets' hashes would differ) and no stack trace is recorded.
 */
export function templateOnlyContext(context: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...cdkJsonContext(), ...context, ...WITHOUT_BUNDLING, ...WITHOUT_STACK_TRACES };
}
