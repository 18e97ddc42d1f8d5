import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';

/** The script that rewrites a bundle's source map so it names files from the project root (see nodeBundling). */
const SOURCE_MAP_SCRIPT = path.join(__dirname, 'node-bundling-source-map.js');

/** What every Node.js function of the labs runs on: Node.js 24 on arm64 (about 20 % cheaper per GB-second). */
export type NodeFunctionBase = Required<Pick<nodejs.NodejsFunctionProps, 'runtime' | 'architecture' | 'bundling' | 'environment'>>;

/**
 * The runtime, architecture and bundling of every Node.js function of the labs, for `new NodejsFunction(...)`:
 * Node.js 24 on arm64, bundled by the project's own esbuild (no Docker), minified, with its source map and
 * `--enable-source-maps`, so a stack trace in CloudWatch names `lambda/<function>/<file>.ts` and its line.
 *
 * `environment` is merged with `NODE_OPTIONS`; pass the function's own variables here, not next to the spread.
 */
export function nodeFunctionBase(environment: Readonly<Record<string, string>> = {}): NodeFunctionBase {
  return {
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    bundling: nodeBundling(),
    environment: { ...environment, NODE_OPTIONS: '--enable-source-maps' },
  };
}

/**
 * esbuild options for a Node.js 24 function, with an asset hash that depends on the code only.
 *
 * esbuild writes each source map `sources` path relative to the folder it bundles into, which lies in the cloud
 * assembly (`cdk.out/`, or a temporary folder for `npm run review` and the tests): so the map, and with it the asset
 * hash, changed with the output folder and the checkout's location, and every such synth looked like new code
 * (`cdk deploy` from a second clone uploaded the function again). After bundling, the map's paths are rewritten
 * relative to the project root (`lambda/users/handler.ts`, `node_modules/zod/...`): the same in every folder, and
 * still what a stack trace shows, below `/var/task/`.
 */
export function nodeBundling(): nodejs.BundlingOptions {
  return {
    minify: true,
    sourceMap: true,
    target: 'node24',
    // Bundle the AWS SDK instead of using the runtime's copy: the function runs the version the tests ran.
    externalModules: [],
    // Prefer the packages' ES modules, which esbuild tree-shakes: about 390 KB instead of 590 KB for the users API.
    mainFields: ['module', 'main'],
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (inputDir, outputDir) => [
        shellCommand([process.execPath, SOURCE_MAP_SCRIPT, path.join(outputDir, 'index.js.map'), inputDir]),
      ],
    },
  };
}

/** One command line for the shell local bundling runs hooks in: bash, or cmd on Windows. */
function shellCommand(argv: readonly string[]): string {
  if (process.platform === 'win32') return argv.map((arg) => `"${arg}"`).join(' ');
  return argv.map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
}
