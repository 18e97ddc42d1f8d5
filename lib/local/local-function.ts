import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Context } from 'aws-lambda';
import { CfnTemplate } from '../template/cfn-template';

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

export interface LocalFunction {
  /** The function's logical id in the template: its name for the local Invoke API. */
  readonly id: string;
  readonly timeoutSeconds: number;
  invoke(event: unknown, requestId: string): Promise<unknown>;
}

/** Each load imports the bundle anew, under its own URL. */
let loads = 0;

/**
 * Loads a function of the synthesized template from its bundled asset (the same files Lambda runs), with the
 * environment variables of the template. A `Ref` to a DynamoDB table becomes the local table's name.
 *
 * Load functions one after another: the module reads the environment set here when it is evaluated.
 */
export async function loadLocalFunction(
  template: CfnTemplate, assemblyDir: string, id: string, localEnvironment: Record<string, string>,
): Promise<LocalFunction> {
  const resource = template.Resources?.[id] as any;
  if (resource?.Type !== 'AWS::Lambda::Function') throw new Error(`${id} is not a Lambda function of the template`);
  const assetPath = resource.Metadata?.['aws:asset:path'];
  if (!assetPath) throw new Error(
    `${id} has no asset path: synthesize with the context value aws:cdk:enable-asset-metadata=true`);
  const [moduleName, exportName] = splitHandler(resource.Properties.Handler);
  const modulePath = handlerFile(path.join(assemblyDir, assetPath), moduleName);

  Object.assign(process.env, localEnvironment,
    resolveEnvironment(template, resource.Properties.Environment?.Variables ?? {}));
  // A fresh module each time, as in a new execution environment: its SDK clients read the environment on load.
  // (The chunks it imports are shared; they read nothing from the environment on load.)
  const url = `${pathToFileURL(modulePath).href}?load=${++loads}`;
  const handler: LambdaHandler | undefined = (await import(url))[exportName];
  if (typeof handler !== 'function') throw new Error(
    `${id}: ${resource.Properties.Handler} is not a function in the bundle`);
  const timeoutSeconds = Number(resource.Properties.Timeout ?? 3);

  return {
    id,
    timeoutSeconds,
    invoke: (event, requestId) => handler(
      event, lambdaContext(id, requestId, timeoutSeconds, resource.Properties.MemorySize ?? 128)),
  };
}

function splitHandler(handler: string): [string, string] {
  const dot = handler.lastIndexOf('.');
  return [handler.slice(0, dot), handler.slice(dot + 1)];
}

/** The file Lambda's Node.js runtime loads for a handler module name: the first of `.js`, `.mjs`, `.cjs` there. */
export function handlerFile(assetDir: string, moduleName: string): string {
  const candidates = ['.js', '.mjs', '.cjs'].map((extension) => path.join(assetDir, `${moduleName}${extension}`));
  const file = candidates.find((candidate) => fs.existsSync(candidate));
  if (!file) throw new Error(`no handler module ${moduleName}.js, .mjs or .cjs in ${assetDir}`);
  return file;
}

function resolveEnvironment(template: CfnTemplate, variables: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(variables).map(([name, value]) => {
    if (typeof value === 'string') return [name, value];
    const ref = (value as { Ref?: string })?.Ref;
    if (ref && template.Resources?.[ref]?.Type === 'AWS::DynamoDB::Table') return [name, ref];
    throw new Error(`environment variable ${name} is ${JSON.stringify(value)}, which the local run cannot resolve`);
  }));
}

function lambdaContext(functionName: string, requestId: string, timeoutSeconds: number, memorySize: number): Context {
  const deadline = Date.now() + timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: String(memorySize),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
