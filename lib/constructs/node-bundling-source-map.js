#!/usr/bin/env node
// Usage: node node-bundling-source-map.js <bundle>.js.map <project root>
//
// Rewrites the `sources` of an esbuild source map, which esbuild writes relative to the folder it bundled into, as
// paths from the project root: `lambda/users/handler.ts`, `node_modules/zod/v4/core/core.js`. The map's bytes, and the
// asset hash of the bundle, then depend on the code only, not on where synth wrote it or where the checkout lives.
// Symbolic links are resolved first, so a checkout whose node_modules links to another's names the same files.
'use strict';
const fs = require('fs');
const path = require('path');

const [mapFile, projectRoot] = process.argv.slice(2);
if (!mapFile || !projectRoot) {
  console.error('usage: node node-bundling-source-map.js <bundle>.js.map <project root>');
  process.exit(2);
}

const realOrSame = (file) => (fs.existsSync(file) ? fs.realpathSync(file) : path.resolve(file));
const inside = (file, dir) => {
  const relative = path.relative(dir, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
};
const posix = (...parts) => path.join(...parts).split(path.sep).join('/');

const root = realOrSame(projectRoot);
const modules = realOrSame(path.join(projectRoot, 'node_modules'));
const map = JSON.parse(fs.readFileSync(mapFile, 'utf-8'));
const base = path.resolve(path.dirname(mapFile), map.sourceRoot || '');
map.sources = map.sources.map((source) => {
  const file = realOrSame(path.resolve(base, source));
  if (inside(file, modules)) return posix('node_modules', path.relative(modules, file));
  if (inside(file, root)) return posix(path.relative(root, file));
  return path.basename(file);
});
delete map.sourceRoot;
fs.writeFileSync(mapFile, JSON.stringify(map));
