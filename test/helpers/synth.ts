import * as fs from 'fs';
import * as path from 'path';
import { App, AppProps } from 'aws-cdk-lib';
import { createApp, LabName } from '../../bin/labs';
import { cdkJsonContext } from '../../lib/cdk-json';

/** The context of cdk.json (feature flags included), so tests see what `cdk synth` sees. */
export const CDK_JSON_CONTEXT = cdkJsonContext();

export interface TestAppOptions {
  /**
   * Run aws-cdk-lib's built-in CloudFormation validator. Its engine takes seconds to start in every
   * process, so only test/app.test.ts turns it on; other files check the labs without it.
   * @default false
   */
  readonly validator?: boolean;
  /** Context values on top of cdk.json's, like `-c key=value`. */
  readonly context?: Record<string, unknown>;
}

/**
 * App props for a test: cdk.json's context. No outdir, so the app writes to a temporary folder that
 * aws-cdk-lib's jest-autoclean (jest.config.js) removes after each test file.
 */
export function testAppProps(options: TestAppOptions = {}): AppProps {
  return {
    context: { ...CDK_JSON_CONTEXT, ...options.context },
    builtinCloudFormationValidation: options.validator ?? false,
  };
}

export interface ValidationViolation {
  readonly plugin: string;
  readonly rule: string;
  readonly severity: string;
  readonly paths: string[];
}

export interface SynthResult {
  /** The error synth threw (a failed validation throws), if any. */
  readonly error?: Error;
  /** Every unacknowledged finding of every validation plugin, warnings included. */
  readonly violations: ValidationViolation[];
  /** Templates by stack name (empty when synth failed). */
  readonly templates: Record<string, any>;
  /** Each stack's target environment, e.g. `aws://unknown-account/unknown-region`. */
  readonly environments: Record<string, string>;
}

/** Synthesizes the app and reads what tests need into memory. */
export function synthesize(app: App): SynthResult {
  let error: Error | undefined;
  const templates: Record<string, any> = {};
  const environments: Record<string, string> = {};
  try {
    const assembly = app.synth();
    for (const stack of assembly.stacks) {
      templates[stack.stackName] = stack.template;
      environments[stack.stackName] = stack.environment.name;
    }
  } catch (e) {
    error = e as Error;
  }
  const violations = readViolations(path.join(app.outdir, 'validation-report.json'));
  return { error, violations, templates, environments };
}

/** The project's app with only the given labs, as `cdk synth` builds it. */
export function synthLabs(labs?: readonly LabName[], options: TestAppOptions = {}): SynthResult {
  return synthesize(createApp(testAppProps(options), labs));
}

/** The template of one stack, or an error that says why the app did not synthesize. */
export function templateOf(result: SynthResult, stackName: string): any {
  const template = result.templates[stackName];
  if (template === undefined) {
    throw new Error(`${stackName} did not synthesize: ${result.error?.message ?? 'no such stack'}`);
  }
  return template;
}

function readViolations(reportPath: string): ValidationViolation[] {
  if (!fs.existsSync(reportPath)) return [];
  const report = JSON.parse(fs.readFileSync(reportPath, 'utf-8'));
  return report.pluginReports.flatMap((plugin: any) => plugin.violations.map((violation: any) => ({
    plugin: plugin.pluginName,
    rule: violation.ruleName,
    severity: violation.severity,
    paths: violation.violatingConstructs.map((construct: any) => construct.constructPath),
  })));
}
