import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BUNDLE_CACHE_CONTEXT, bundleCacheEntry, restoreBundle, storeBundle } from '../../lib/constructs/bundle-cache';
import { nodeFunctionBase } from '../../lib/constructs/node-bundling';

let scratch: string;
beforeEach(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-cache-test-'));
});
afterEach(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** Writes `files` (path: text) under `dir` and returns it. */
function tree(dir: string, files: Record<string, string>): string {
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

/** Every file under `dir` with its text, by path relative to it. */
function read(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir, { recursive: true, encoding: 'utf-8' })
    .filter((file) => fs.statSync(path.join(dir, file)).isFile()).sort()
    .map((file) => [file.split(path.sep).join('/'), fs.readFileSync(path.join(dir, file), 'utf-8')]));
}

describe('the cache of one bundle', () => {
  const BUNDLE = { 'index.mjs': 'export const handler = 1;', 'chunks/a-1.mjs': 'export {};' };
  let project: string;
  let entry: string;
  beforeEach(() => {
    project = tree(path.join(scratch, 'project'), { 'src/handler.ts': 'export const handler = 1;', 'src/b.ts': 'b' });
    entry = bundleCacheEntry(path.join(scratch, 'cache'), 'options');
    storeBundle(entry, tree(path.join(scratch, 'built'), BUNDLE), project, ['src/handler.ts', 'src/b.ts']);
  });
  const restoreInto = (dir: string) => {
    fs.mkdirSync(dir, { recursive: true });
    return restoreBundle(entry, dir);
  };

  test('gives back every file of the bundle, chunks included, while its inputs are unchanged', () => {
    expect(restoreInto(path.join(scratch, 'out'))).toBe(true);
    expect(read(path.join(scratch, 'out'))).toEqual(BUNDLE);
    expect(restoreInto(path.join(scratch, 'again'))).toBe(true);
  });

  test.each([
    ['an input whose bytes changed', () => fs.appendFileSync(path.join(project, 'src', 'b.ts'), ' ')],
    ['an input removed', () => fs.rmSync(path.join(project, 'src', 'b.ts'))],
    ['no entry at all', () => fs.rmSync(entry, { recursive: true })],
    ['an entry without its bundle', () => fs.rmSync(path.join(entry, 'bundle'), { recursive: true })],
  ])('gives nothing for %s, and empties the output folder', (_case, change) => {
    change();
    const out = tree(path.join(scratch, 'out'), { 'chunks/stray.mjs': 'from a half-done copy' });
    expect(restoreBundle(entry, out)).toBe(false);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  test('an input that changes back to its stored bytes is unchanged again', () => {
    fs.writeFileSync(path.join(project, 'src', 'b.ts'), 'changed');
    expect(restoreInto(path.join(scratch, 'out'))).toBe(false);
    fs.writeFileSync(path.join(project, 'src', 'b.ts'), 'b');
    expect(restoreInto(path.join(scratch, 'out2'))).toBe(true);
  });

  test('a bundle stored again, from changed inputs, replaces the first and leaves nothing beside it', () => {
    fs.writeFileSync(path.join(project, 'src', 'handler.ts'), 'export const handler = 2;');
    storeBundle(entry, tree(path.join(scratch, 'rebuilt'), { 'index.mjs': 'export const handler = 2;' }), project,
      ['src/handler.ts']);
    expect(restoreInto(path.join(scratch, 'out'))).toBe(true);
    expect(read(path.join(scratch, 'out'))).toEqual({ 'index.mjs': 'export const handler = 2;' });
    expect(fs.readdirSync(path.dirname(entry))).toEqual([path.basename(entry)]);
  });

  test('a store that loses its rename to another process (fs.renameSync mocked to fail) leaves no staging copy', () => {
    // The race itself cannot be timed from one process: the rename fails as it does when another store lands first.
    const rename = jest.spyOn(require('fs') as typeof fs, 'renameSync').mockImplementationOnce(() => {
      throw Object.assign(new Error('ENOTEMPTY: directory not empty'), { code: 'ENOTEMPTY' });
    });
    try {
      storeBundle(entry, tree(path.join(scratch, 'rebuilt'), { 'index.mjs': 'x' }), project, ['src/handler.ts']);
      expect(rename).toHaveBeenCalledTimes(1);
    } finally {
      rename.mockRestore();
    }
    expect(fs.readdirSync(path.dirname(entry))).toEqual([]);
  });
});

describe('bundleCacheEntry', () => {
  test('is one folder of the cache per key, the same for the same key', () => {
    const cache = path.join(scratch, 'cache');
    expect(path.dirname(bundleCacheEntry(cache, 'a', 'b'))).toBe(cache);
    expect(bundleCacheEntry(cache, 'a', 'b')).toBe(bundleCacheEntry(cache, 'a', 'b'));
    expect(bundleCacheEntry(cache, 'a', 'b')).not.toBe(bundleCacheEntry(cache, 'a', 'c'));
    // The parts are kept apart: "a" + "bc" is not "ab" + "c".
    expect(bundleCacheEntry(cache, 'a', 'bc')).not.toBe(bundleCacheEntry(cache, 'ab', 'c'));
  });
});

describe('nodeFunctionBase with the cache (BUNDLE_CACHE_CONTEXT)', () => {
  const MARK = '\n// from the cache\n';
  let project: string;
  let cache: string;
  beforeEach(() => {
    project = tree(path.join(scratch, 'project'), {
      'lambda/hello/handler.ts': 'export const handler = async () => 1;',
    });
    cache = path.join(scratch, 'cache');
  });

  /** A function of `project` in an app of its own: its asset hash and the text of its bundle's entry. */
  function synthFunction(context: Record<string, unknown>): { hash: string; code: string } {
    const app = new App({ context, outdir: fs.mkdtempSync(path.join(scratch, 'out-')) });
    const stack = new Stack(app, 'Cached');
    new lambda.Function(stack, 'Hello', nodeFunctionBase(stack, {
      entry: path.join(project, 'lambda', 'hello', 'handler.ts'), projectRoot: project,
    }));
    const assembly = app.synth();
    const hash = Object.values<any>(assembly.getStackByName('Cached').template.Resources)
      .find((resource) => resource.Type === 'AWS::Lambda::Function').Properties.Code.S3Key.replace('.zip', '');
    return { hash, code: fs.readFileSync(path.join(assembly.directory, `asset.${hash}`, 'index.mjs'), 'utf-8') };
  }

  /** Marks the one bundle in the cache, so that a bundle copied from it shows where it came from. */
  function markCachedBundle(): void {
    const entries = fs.readdirSync(cache);
    expect(entries).toHaveLength(1);
    fs.appendFileSync(path.join(cache, entries[0], 'bundle', 'index.mjs'), MARK);
  }

  test('a second app copies the bundle the first one built: the same asset hash, not bundled again', () => {
    const first = synthFunction({ [BUNDLE_CACHE_CONTEXT]: cache });
    expect(first.code).toContain('>1');
    markCachedBundle();
    const second = synthFunction({ [BUNDLE_CACHE_CONTEXT]: cache });
    expect(second.code).toBe(first.code + MARK);
  });

  test('a changed handler is bundled again, with another asset hash', () => {
    const first = synthFunction({ [BUNDLE_CACHE_CONTEXT]: cache });
    markCachedBundle();
    fs.writeFileSync(path.join(project, 'lambda', 'hello', 'handler.ts'), 'export const handler = async () => 2;');
    const changed = synthFunction({ [BUNDLE_CACHE_CONTEXT]: cache });
    expect(changed.code).toContain('>2');
    expect(changed.code).not.toContain(MARK);
    expect(changed.hash).not.toBe(first.hash);
  });

  test('a changed tsconfig.json, which esbuild reads without listing it as an input, is bundled again', () => {
    const paths = (file: string) => JSON.stringify({ compilerOptions: { paths: { greeting: [`./lambda/${file}`] } } });
    tree(project, {
      'lambda/hello/handler.ts': 'import { word } from "greeting";\nexport const handler = async () => word;',
      'lambda/one.ts': 'export const word = "first-word";',
      'lambda/two.ts': 'export const word = "second-word";',
      'tsconfig.json': paths('one.ts'),
    });
    expect(synthFunction({ [BUNDLE_CACHE_CONTEXT]: cache }).code).toContain('first-word');
    markCachedBundle();
    tree(project, { 'tsconfig.json': paths('two.ts') });
    const changed = synthFunction({ [BUNDLE_CACHE_CONTEXT]: cache });
    expect(changed.code).toContain('second-word');
    expect(changed.code).not.toContain(MARK);
  });

  test('without the context nothing is cached, as under `cdk synth`', () => {
    expect(synthFunction({})).toEqual(synthFunction({}));
    expect(fs.existsSync(cache)).toBe(false);
  });

  test.each([[''], [42], [true]])('fails with what it expects on %j as the cache folder', (value) => {
    expect(() => synthFunction({ [BUNDLE_CACHE_CONTEXT]: value }))
      .toThrow(`labs:bundleCacheDir must be the path of a folder, got ${JSON.stringify(value)}`);
  });
});
