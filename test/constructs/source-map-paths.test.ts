import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { projectRelativeSourceMap } from '../../lib/constructs/source-map-paths';

// Each kind of source a bundle's map can name, rewritten from the project root.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'source-map-paths-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const project = path.join(scratch, 'project');
const modules = path.join(scratch, 'shared-node-modules');
const outDir = path.join(scratch, 'cdk.out', 'asset.1');
for (const dir of [
  path.join(project, 'lambda', 'users'),
  path.join(modules, 'zod'),
  outDir,
  path.join(scratch, 'elsewhere'),
]) {
  fs.mkdirSync(dir, { recursive: true });
}
// node_modules is a link to another folder, as in a second checkout that shares an install.
fs.symlinkSync(modules, path.join(project, 'node_modules'), 'dir');
for (const file of [
  path.join(project, 'lambda', 'users', 'handler.ts'),
  path.join(modules, 'zod', 'index.js'),
  path.join(scratch, 'elsewhere', 'shim.js'),
]) {
  fs.writeFileSync(file, '');
}

function rewritten(map: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(projectRelativeSourceMap(JSON.stringify(map), outDir, project));
}

test('names project files and packages from the project root, through the node_modules link, '
  + 'and others by file name', () => {
  const relative = (file: string) => path.relative(outDir, file);
  const map = rewritten({
    version: 3,
    sources: [
      relative(path.join(project, 'lambda', 'users', 'handler.ts')),
      relative(path.join(project, 'node_modules', 'zod', 'index.js')),
      relative(path.join(modules, 'zod', 'index.js')),
      relative(path.join(scratch, 'elsewhere', 'shim.js')),
      relative(project),
    ],
    mappings: 'AAAA',
  });
  expect(map.sources).toEqual([
    'lambda/users/handler.ts',
    'node_modules/zod/index.js',
    'node_modules/zod/index.js',
    'shim.js',
    'project',
  ]);
});

test('resolves the sources against sourceRoot, then drops it', () => {
  const map = rewritten({
    version: 3,
    sourceRoot: path.relative(outDir, project),
    sources: ['lambda/users/handler.ts'],
    mappings: 'AAAA',
  });
  expect(map).toEqual({ version: 3, sources: ['lambda/users/handler.ts'], mappings: 'AAAA' });
});
