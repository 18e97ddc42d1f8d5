import * as fs from 'fs';
import * as path from 'path';
import { App, AppProps } from 'aws-cdk-lib';
import { createApp, LabName, LABS } from '../../bin/labs';
import { cdkJsonContext, WITHOUT_BUNDLING, WITHOUT_STACK_TRACES } from '../../lib/cdk-json';
import { bundleCacheContext, sharedResult } from './shared-synth';

/** The context of cdk.json (feature flags included), so tests see what `cdk synth` sees. */
const CDK_JSON_CONTEXT = cdkJsonContext();

export interface TestAppOptions {
  /**
   * Run aws-cdk-lib's built-in CloudFormation validator. Its engine takes seconds to start in every
   * process, so only test/app.test.ts turns it on; other files check the labs without it.
   * @default false
   */
  readonly validator?: boolean;
  /** Context values on top of cdk.json's, like `-c key=value`. */
  readonly context?: Record<string, unknown>;
  /**
   * Bundle the functions' code with esbuild, about a second per function on a busy machine. The shared synth of each
   * lab and a synth with the validator bundle, as `cdk synth` does; a synth with other context values reads the
   * template only.
   * @default - only with the validator
   */
  readonly bundle?: boolean;
}

/**
 * App props for a test: cdk.json's context, without stack traces (no test reads them, and under jest each one is a
 * source-mapped stack walk) and without the construct tree's tree.json (no test reads it either; it is about a tenth
 * of a whole-app synth). A function bundled in one app of the test run is reused by the others while its code is
 * unchanged (bundleCacheContext). No outdir, so the app writes to a temporary folder that aws-cdk-lib's
 * jest-autoclean (jest.config.js) removes after each test file.
 */
export function testAppProps(options: TestAppOptions = {}): AppProps {
  return {
    context: { ...CDK_JSON_CONTEXT, ...WITHOUT_STACK_TRACES, ...bundleCacheContext(), ...options.context },
    builtinCloudFormationValidation: options.validator ?? false,
    treeMetadata: false,
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

/**
 * The project's app with only the given labs (all by default), as `cdk synth` builds it. With cdk.json's context
 * and no validator, each lab is synthesized once per test run and shared by every test file (shared-synth.ts).
 */
export function synthLabs(
  labs: readonly LabName[] = Object.keys(LABS) as LabName[],
  options: TestAppOptions = {},
): SynthResult {
  const shareable = !options.validator && Object.keys(options.context ?? {}).length === 0;
  if (!shareable) {
    const bundling = (options.bundle ?? options.validator ?? false) ? {} : WITHOUT_BUNDLING;
    return synthesize(createApp(testAppProps({ ...options, context: { ...bundling, ...options.context } }), labs));
  }
  return combine(labs.map((lab) => {
    const { errorMessage, ...result } = sharedResult(`lab-${lab}`, () => {
      const { error, ...synthesized } = synthesize(createApp(testAppProps(), [lab]));
      return { ...synthesized, errorMessage: error?.message }; // an Error does not survive JSON
    });
    return errorMessage === undefined ? result : { ...result, error: new Error(errorMessage) };
  }));
}

/** One app's result from the results of its labs, each synthesized alone: any error fails the whole app. */
function combine(results: readonly SynthResult[]): SynthResult {
  const failed = results.find((result) => result.error !== undefined);
  return {
    error: failed?.error,
    violations: results.flatMap((result) => result.violations),
    templates: failed ? {} : Object.assign({}, ...results.map((result) => result.templates)),
    environments: failed ? {} : Object.assign({}, ...results.map((result) => result.environments)),
  };
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
