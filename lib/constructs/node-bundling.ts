import * as fs from 'fs';
import * as path from 'path';
import { AssetHashType, DockerImage, ILocalBundling } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import * as esbuild from 'esbuild';
import { BUNDLE_CACHE_CONTEXT, bundleCacheEntry, restoreBundle, storeBundle } from './bundle-cache';
import { projectRelativeSourceMap } from './source-map-paths';
import { mapsAnything, withoutPackageMappings } from './source-map-trim';

/** Where the lock file is: esbuild resolves packages from here, and source maps name files from here. */
const PROJECT_ROOT = path.join(__dirname, '..', '..');

export interface NodeFunctionCodeProps {
  /** The TypeScript file that exports the handler, e.g. `lambda/users/handler.ts`. */
  readonly entry: string;

  /**
   * The project whose node_modules and tsconfig.json the bundle is built from.
   *
   * @default - this repository
   */
  readonly projectRoot?: string;

  /** The function's own environment variables; `NODE_OPTIONS` is added. @default - none */
  readonly environment?: Readonly<Record<string, string>>;
}

/** What every Node.js function of the labs shares, for `new lambda.Function(...)`. */
export type NodeFunctionBase = Required<
  Pick<lambda.FunctionProps, 'runtime' | 'architecture' | 'code' | 'handler' | 'environment'>
>;

/**
 * The runtime, architecture, code and handler of every Node.js function of the labs: Node.js 24 on arm64 (about
 * 20 % cheaper per GB-second), the entry's `handler` export bundled on this machine by the project's esbuild (no
 * Docker) as a minified ES module, with source maps of the lab's own code and `--enable-source-maps`, so a stack
 * trace in CloudWatch names `lambda/<function>/<file>.ts` and its line. Where the app's context names a bundle
 * cache (BUNDLE_CACHE_CONTEXT, the test run's), a bundle built by an earlier app from the same files is reused.
 */
export function nodeFunctionBase(scope: Construct, props: NodeFunctionCodeProps): NodeFunctionBase {
  return {
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    code: nodeFunctionCode(props.entry, props.projectRoot ?? PROJECT_ROOT, bundleCacheDir(scope)),
    handler: 'index.handler',
    environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
  };
}

/**
 * The entry bundled into `index.mjs` and the chunks it imports (`chunks/`), with source maps of the lab's own code
 * (see withoutPackageMappings), and an asset hash of the bundle's bytes.
 *
 * An ES module, split into chunks: the code that only a dynamic `import()` reaches (the SDK's credential providers
 * other than the environment's, with their SSO and STS clients) stays in chunks that a cold start never reads.
 * Module init of the users function: about 20 ms shorter than one CommonJS file (median, Node.js 24).
 *
 * esbuild runs in this process through its API, without the `npx` process `NodejsFunction` starts for every function
 * (about a second each). The source maps' paths are then rewritten from the project root (see
 * projectRelativeSourceMap), so the hash depends on the code only.
 */
function nodeFunctionCode(entry: string, projectRoot: string, cacheDir: string | undefined): lambda.Code {
  // Bundled in memory as if into a folder of the project, then written to the asset's folder: esbuild's chunk names
  // hash the source maps, whose paths are relative to the output folder, so the folder must not vary.
  const bundleDir = path.join(projectRoot, '.bundle');
  const options = {
    absWorkingDir: projectRoot,
    bundle: true,
    platform: 'node',
    target: 'node24',
    // Bundle the AWS SDK instead of using the runtime's copy: the function runs the version the tests ran. Except
    // bowser, a browser user-agent parser that only the SDK's browser code imports (with `import()`), which code
    // splitting would otherwise ship as a chunk (34 KB) that Node.js never loads.
    external: ['bowser'],
    // Prefer the packages' ES modules, which esbuild tree-shakes: about 380 KB instead of 590 KB for the users API.
    mainFields: ['module', 'main'],
    // Packages keep their node_modules/ paths when node_modules is a link (a second checkout sharing an install).
    preserveSymlinks: true,
    minify: true,
    sourcemap: true,
    // A stack trace needs the map's names and positions, not the sources' text: without it the map is a third
    // of the size, and a cold start that parses it (--enable-source-maps) about 30 ms shorter.
    sourcesContent: false,
    format: 'esm',
    splitting: true,
    entryPoints: { index: entry },
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    outdir: bundleDir,
    write: false,
    logLevel: 'warning',
    metafile: true,
  } satisfies esbuild.BuildOptions;
  const cached = cacheDir === undefined ? undefined : bundleCacheEntry(cacheDir, JSON.stringify(options));
  const local: ILocalBundling & { readonly esbuild: typeof options } = {
    // aws-cdk-lib stages an asset once per app for each source folder and bundling, which it tells apart by their
    // JSON: with the build options in it, a second handler in the same folder is an asset of its own, not the first.
    esbuild: options,
    tryBundle(outputDir) {
      if (cached !== undefined && restoreBundle(cached, outputDir)) return true;
      const { outputFiles, metafile } = esbuild.buildSync(options);
      writeBundle(outputFiles, bundleDir, outputDir, projectRoot);
      if (cached !== undefined) {
        // The files esbuild read, and the two it consults without listing them (strict mode, main fields).
        const settings = ['package.json', 'tsconfig.json']
          .filter((file) => fs.existsSync(path.join(projectRoot, file)));
        storeBundle(cached, outputDir, projectRoot, [...Object.keys(metafile.inputs), ...settings]);
      }
      return true;
    },
  };
  return lambda.Code.fromAsset(path.dirname(entry), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      local,
      // Never pulled: buildSync throws on a build error, so local bundling always answers.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24'),
    },
  });
}

/** The folder of BUNDLE_CACHE_CONTEXT, if the app sets one. */
function bundleCacheDir(scope: Construct): string | undefined {
  const dir: unknown = scope.node.tryGetContext(BUNDLE_CACHE_CONTEXT);
  if (dir === undefined) return undefined;
  if (typeof dir !== 'string' || dir === '') {
    throw new Error(`${BUNDLE_CACHE_CONTEXT} must be the path of a folder, got ${JSON.stringify(dir)}`);
  }
  return dir;
}

/**
 * Writes esbuild's in-memory output, built for `bundleDir`, into `outputDir`: each source map with paths from the
 * project root and without the packages' mappings; a chunk with nothing of the lab's own code gets no map.
 */
function writeBundle(
  outputFiles: readonly esbuild.OutputFile[], bundleDir: string, outputDir: string, projectRoot: string,
): void {
  const maps = new Map(outputFiles.filter((file) => file.path.endsWith('.map')).map((file) => {
    const map = withoutPackageMappings(
      JSON.parse(projectRelativeSourceMap(file.text, path.dirname(file.path), projectRoot)),
    );
    return [file.path.slice(0, -'.map'.length), map];
  }));
  const write = (file: string, contents: string | Uint8Array) => {
    const target = path.join(outputDir, path.relative(bundleDir, file));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, contents);
  };
  for (const file of outputFiles.filter((output) => !output.path.endsWith('.map'))) {
    const map = maps.get(file.path);
    if (map && mapsAnything(map)) {
      write(file.path, file.contents);
      write(`${file.path}.map`, JSON.stringify(map));
    } else {
      // No map, and no comment that sends Node.js looking for one.
      write(file.path, file.text.replace(/\n\/\/# sourceMappingURL=\S+\n?$/, '\n'));
    }
  }
}
