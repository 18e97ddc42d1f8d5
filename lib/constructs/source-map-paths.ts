import * as fs from 'fs';
import * as path from 'path';

/**
 * The source map `mapText`, generated in `mapDir`, with its `sources` (which esbuild writes relative to that folder)
 * rewritten as paths from the project root: `lambda/users/handler.ts`, `node_modules/zod/v4/core/core.js`. The map's
 * bytes, and the asset hash of the bundle, then depend on the code only, not on where synth wrote it (`cdk.out/`, or a
 * temporary folder for `npm run review` and the tests) nor where the checkout lives; a second clone of the same commit
 * does not upload the function again. These are still the paths a stack trace shows, below `/var/task/`.
 *
 * Symbolic links are resolved first, so a checkout whose node_modules links to another's names the same files.
 */
export function projectRelativeSourceMap(mapText: string, mapDir: string, projectRoot: string): string {
  const root = realOrSame(projectRoot);
  const modules = realOrSame(path.join(projectRoot, 'node_modules'));
  const map = JSON.parse(mapText);
  const base = path.resolve(mapDir, map.sourceRoot || '');
  map.sources = map.sources.map((source: string) => {
    const file = realOrSame(path.resolve(base, source));
    if (inside(file, modules)) return posix('node_modules', path.relative(modules, file));
    if (inside(file, root)) return posix(path.relative(root, file));
    return path.basename(file);
  });
  delete map.sourceRoot;
  return JSON.stringify(map);
}

function realOrSame(file: string): string {
  return fs.existsSync(file) ? fs.realpathSync(file) : path.resolve(file);
}

function inside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function posix(...parts: string[]): string {
  return path.join(...parts).split(path.sep).join('/');
}
