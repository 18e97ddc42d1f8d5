import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/**
 * The context key naming a folder where a function's bundle, once built, is reused by later synths of other apps
 * while every file it was built from is unchanged. The test run sets it (bundleCacheContext in
 * test/helpers/shared-synth.ts): its test files synthesize the same functions in dozens of apps. `cdk synth` does
 * not: aws-cdk-lib already bundles each function once per app.
 */
export const BUNDLE_CACHE_CONTEXT = 'labs:bundleCacheDir';

/** What a cached bundle was built from: each input file, relative to `root`, with the SHA-256 of its bytes. */
interface CachedInputs {
  readonly root: string;
  readonly files: Record<string, string>;
}

const INPUTS_FILE = 'inputs.json';
const BUNDLE_DIR = 'bundle';

/** A bundle's place in the cache: one per entry, project and build options. */
export function bundleCacheEntry(cacheDir: string, ...key: readonly string[]): string {
  return path.join(cacheDir, crypto.createHash('sha256').update(key.join('\0')).digest('hex'));
}

/**
 * Copies the cached bundle into `outputDir` if every file it was built from still has the bytes it had. Otherwise
 * (none, an input changed or went away, another process is replacing it) false, with `outputDir` emptied.
 */
export function restoreBundle(entryDir: string, outputDir: string): boolean {
  try {
    const inputs: CachedInputs = JSON.parse(fs.readFileSync(path.join(entryDir, INPUTS_FILE), 'utf-8'));
    const unchanged = Object.entries(inputs.files)
      .every(([file, hash]) => fileHash(path.resolve(inputs.root, file)) === hash);
    if (unchanged) {
      fs.cpSync(path.join(entryDir, BUNDLE_DIR), outputDir, { recursive: true });
      return true;
    }
  } catch {
    // No entry, or one being replaced: the function is bundled instead.
  }
  // Nothing of a half-done copy stays beside the bundle that is built instead.
  for (const file of fs.readdirSync(outputDir)) fs.rmSync(path.join(outputDir, file), { recursive: true, force: true });
  return false;
}

/**
 * Keeps the bundle in `outputDir` with the hashes of its input files (paths relative to `root`, as esbuild's
 * metafile gives them). Written aside and renamed into place, so that a reader sees a whole entry or none.
 */
export function storeBundle(entryDir: string, outputDir: string, root: string, inputFiles: readonly string[]): void {
  const inputs: CachedInputs = {
    root,
    files: Object.fromEntries(inputFiles.map((file) => [file, fileHash(path.resolve(root, file))])),
  };
  const staging = `${entryDir}.${process.pid}.${crypto.randomUUID()}`;
  fs.cpSync(outputDir, path.join(staging, BUNDLE_DIR), { recursive: true });
  fs.writeFileSync(path.join(staging, INPUTS_FILE), JSON.stringify(inputs));
  // An entry built from older inputs gives way; one that another process stored meanwhile is as good as this one.
  fs.rmSync(entryDir, { recursive: true, force: true });
  try {
    fs.renameSync(staging, entryDir);
  } catch {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function fileHash(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}
