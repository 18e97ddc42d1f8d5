import { App, Stack } from 'aws-cdk-lib';
import { WITHOUT_BUNDLING, WITHOUT_STACK_TRACES } from '../../lib/cdk-json';

/**
 * An app for a construct's tests: aws-cdk-lib's defaults rather than cdk.json's feature flags, with `context` on top.
 * Nothing is bundled, and neither stack traces nor tree.json are recorded, as no such test reads them (under jest each
 * recorded trace is a source-mapped walk of its stack). The built-in validator is off: test/app.test.ts runs it on
 * every lab.
 */
export function constructTestApp(context: Record<string, unknown> = {}): App {
  return new App({
    context: { ...WITHOUT_BUNDLING, ...WITHOUT_STACK_TRACES, ...context },
    builtinCloudFormationValidation: false,
    treeMetadata: false,
  });
}

/** A stack of its own in a constructTestApp. */
export function constructTestStack(context: Record<string, unknown> = {}, id = 'TestLab'): Stack {
  return new Stack(constructTestApp(context), id);
}
