import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { nodeFunctionBase } from '../../lib/constructs/node-bundling';
import { reviewStack } from '../../lib/review/stack-review';
import { synthLabs, templateOf } from '../helpers/synth';

// A function's asset hash depends on its code only: not on the folder synth writes to, nor on where the checkout
// lives. Otherwise `npm run review` reports a change where there is none, and `cdk deploy` from a second clone of
// the same commit uploads the function again. Each synth here bundles the users function alone, as UsersApi does.
jest.setTimeout(120_000);

const ROOT = path.join(__dirname, '..', '..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'node-bundling-test-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

interface Bundled {
  readonly template: any;
  readonly hash: string;
  readonly bundle: string;
}

/** The users function of the checkout at `root`, bundled with nodeFunctionBase into `outdir`. */
function bundleUsersFunction(root: string, outdir: string): Bundled {
  // No validator: test/app.test.ts runs it, and its engine takes seconds to start.
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Bundling');
  new lambda.Function(stack, 'Users', nodeFunctionBase(stack, {
    entry: path.join(root, 'lambda', 'users', 'handler.ts'),
    projectRoot: root,
  }));
  const template = app.synth().getStackByName('Bundling').template;
  const hash = assetHash(template);
  return { template, hash, bundle: path.join(outdir, `asset.${hash}`) };
}

/** The asset hash of the template's one function, from its S3 key `<hash>.zip`. */
function assetHash(template: any): string {
  const functions = Object.values<any>(template.Resources)
    .filter((resource) => resource.Type === 'AWS::Lambda::Function'
      && resource.Properties.Code.S3Key !== undefined && resource.Properties.Handler === 'index.handler');
  expect(functions).toHaveLength(1);
  return /^([0-9a-f]{64})\.zip$/.exec(functions[0].Properties.Code.S3Key)![1];
}

const near = bundleUsersFunction(ROOT, path.join(scratch, 'out'));
const far = bundleUsersFunction(ROOT, path.join(scratch, 'a', 'much', 'deeper', 'output', 'folder'));

test('two synths into different output folders give the function the same asset hash', () => {
  expect(far.hash).toBe(near.hash);
});

test('npm run review compares them as unchanged, with no asset-only change', () => {
  const review = reviewStack('Bundling', near.template, far.template);
  expect({ status: review.status, assetOnly: review.assetOnly }).toEqual({ status: 'unchanged', assetOnly: [] });
});

test('the LambdaUsersLab of the test run\'s synth has the same users function bundle', () => {
  const lab = templateOf(synthLabs(['LambdaUsersLab']), 'LambdaUsersLab');
  const keys = Object.values<any>(lab.Resources).map((resource) => resource.Properties?.Code?.S3Key).filter(Boolean);
  expect(keys).toContain(`${near.hash}.zip`);
});

/** Each source map of the bundle, by its file's path in the asset folder. */
function sourceMaps(bundle: string): Record<string, any> {
  const files = fs.readdirSync(bundle, { recursive: true, encoding: 'utf-8' })
    .filter((file) => file.endsWith('.map')).sort();
  return Object.fromEntries(files.map((file) => [
    file.split(path.sep).join('/'),
    JSON.parse(fs.readFileSync(path.join(bundle, file), 'utf-8')),
  ]));
}

test('is an ES module entry, index.mjs, and chunks it imports, each chunk named by a hash', () => {
  const files = fs.readdirSync(near.bundle, { recursive: true, encoding: 'utf-8' })
    .map((file) => file.split(path.sep).join('/'));
  expect(files.filter((file) => !file.startsWith('chunks'))).toEqual(['index.mjs', 'index.mjs.map']);
  const chunks = files.filter((file) => file.startsWith('chunks/') && file.endsWith('.mjs'));
  expect(chunks.length).toBeGreaterThan(1);
  expect(chunks.filter((file) => !/^chunks\/[\w-]+-[A-Z0-9]{8}\.mjs$/.test(file))).toEqual([]);
});

test('leaves out bowser, which only the SDK\'s unused browser code imports: no chunk, and nothing imports it', () => {
  const files = fs.readdirSync(near.bundle, { recursive: true, encoding: 'utf-8' });
  expect(files.filter((file) => file.includes('bowser'))).toEqual([]);
  const code = files.filter((file) => file.endsWith('.mjs'))
    .map((file) => fs.readFileSync(path.join(near.bundle, file), 'utf-8')).join('\n');
  expect(code).not.toContain('bowser');
});

test('the source maps name files from the project root, which a stack trace shows below /var/task/', () => {
  const sources = Object.values(sourceMaps(near.bundle)).flatMap((map) => map.sources as string[]);
  expect(sources).toEqual(expect.arrayContaining([
    'lambda/users/handler.ts',
    'lambda/users/users.ts',
    'lambda/users/users-repository.ts',
  ]));
  expect(sources.filter((source) => source.startsWith('..') || path.isAbsolute(source))).toEqual([]);
  expect(sources.filter((source) => !source.startsWith('lambda/users/') && !source.startsWith('node_modules/')))
    .toEqual([]);
});

test('only a file with the function\'s own code has a map: chunks of packages only have none, '
  + 'nor a comment naming one', () => {
  const maps = sourceMaps(near.bundle);
  expect(Object.keys(maps)).toEqual(['index.mjs.map']);
  const chunks = fs.readdirSync(path.join(near.bundle, 'chunks'))
    .map((file) => fs.readFileSync(path.join(near.bundle, 'chunks', file), 'utf-8'));
  expect(chunks.filter((code) => code.includes('sourceMappingURL'))).toEqual([]);
  expect(fs.readFileSync(path.join(near.bundle, 'index.mjs'), 'utf-8'))
    .toMatch(/\n\/\/# sourceMappingURL=index\.mjs\.map\n$/);
});

test('the source map has names and positions but not the sources\' text, which a cold start would parse', () => {
  const map = sourceMaps(near.bundle)['index.mjs.map'];
  expect({ mappings: map.mappings.length > 0, names: map.names.length > 0, sourcesContent: map.sourcesContent })
    .toEqual({ mappings: true, names: true, sourcesContent: undefined });
});

describe('a second checkout of the same code, its node_modules linked to this one (as npm run review does)', () => {
  const checkout = path.join(scratch, 'second', 'checkout');
  beforeAll(() => {
    // What esbuild reads: the code, package.json, and tsconfig.json (strict adds "use strict").
    for (const entry of ['lambda', 'package.json', 'tsconfig.json']) {
      fs.cpSync(path.join(ROOT, entry), path.join(checkout, entry), { recursive: true });
    }
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(checkout, 'node_modules'), 'dir');
  });

  test('gives the function the same asset hash', () => {
    expect(bundleUsersFunction(checkout, path.join(scratch, 'second-out')).hash).toBe(near.hash);
  });

  test('gives it another asset hash once its code changes (the hash still follows the code)', () => {
    fs.appendFileSync(path.join(checkout, 'lambda', 'users', 'handler.ts'), '\nconsole.log("a changed handler");\n');
    expect(bundleUsersFunction(checkout, path.join(scratch, 'changed-out')).hash).not.toBe(near.hash);
  });
});

test('two handlers in one folder of one app each get their own bundle', () => {
  const project = path.join(scratch, 'two-handlers');
  fs.mkdirSync(path.join(project, 'lambda', 'pair'), { recursive: true });
  for (const name of ['first', 'second']) {
    const handler = `export const handler = async () => '${name}-word';`;
    fs.writeFileSync(path.join(project, 'lambda', 'pair', `${name}.ts`), handler);
  }
  const outdir = path.join(scratch, 'two-handlers-out');
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Pair');
  for (const name of ['first', 'second']) {
    new lambda.Function(stack, name, nodeFunctionBase(stack, {
      entry: path.join(project, 'lambda', 'pair', `${name}.ts`), projectRoot: project,
    }));
  }
  const template = app.synth().getStackByName('Pair').template;
  const codeOf = (name: string) => {
    const fn = stack.node.findChild(name).node.defaultChild as lambda.CfnFunction;
    const key: string = template.Resources[stack.getLogicalId(fn)].Properties.Code.S3Key;
    return fs.readFileSync(path.join(outdir, `asset.${key.replace('.zip', '')}`, 'index.mjs'), 'utf-8');
  };
  expect(codeOf('first')).toContain('first-word');
  expect(codeOf('second')).toContain('second-word');
});
