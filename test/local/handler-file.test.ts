import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { handlerFile } from '../../lib/local/local-function';

// The handler module a local run loads, in the order Lambda's Node.js runtime tries: .js, then .mjs, then .cjs.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'handler-file-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function assetWith(...files: string[]): string {
  const dir = fs.mkdtempSync(path.join(scratch, 'asset-'));
  for (const file of files) fs.writeFileSync(path.join(dir, file), '');
  return dir;
}

test.each([
  [['index.mjs'], 'index.mjs'],
  [['index.cjs'], 'index.cjs'],
  [['index.js'], 'index.js'],
  [['index.mjs', 'index.js', 'index.cjs'], 'index.js'],
  [['index.cjs', 'index.mjs'], 'index.mjs'],
])('among %j loads %s', (files, expected) => {
  const dir = assetWith(...files);
  expect(handlerFile(dir, 'index')).toBe(path.join(dir, expected));
});

test('fails with the names it looked for when the asset has no such module', () => {
  const dir = assetWith('other.mjs', 'index.ts');
  expect(() => handlerFile(dir, 'index')).toThrow(`no handler module index.js, .mjs or .cjs in ${dir}`);
});
