import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SHARED_SYNTH_DIR, sharedResult } from './shared-synth';

// The cache that lets every test file of a run share one synth of each lab.
let dir: string;
const saved = process.env[SHARED_SYNTH_DIR];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shared-synth-test-'));
  process.env[SHARED_SYNTH_DIR] = dir;
});

afterEach(() => {
  process.env[SHARED_SYNTH_DIR] = saved;
  fs.rmSync(dir, { recursive: true, force: true });
});

test('computes a value once per run, and later callers read what the first one stored', () => {
  const compute = jest.fn(() => ({ templates: { Lab: { Resources: {} } } }));
  expect(sharedResult('lab', compute)).toEqual({ templates: { Lab: { Resources: {} } } });
  expect(sharedResult('lab', compute)).toEqual({ templates: { Lab: { Resources: {} } } });
  expect(compute).toHaveBeenCalledTimes(1);
  expect(fs.readdirSync(dir)).toEqual(['lab.json']);
});

test('computes each time without the run\'s folder, as outside jest', () => {
  delete process.env[SHARED_SYNTH_DIR];
  const compute = jest.fn(() => 1);
  sharedResult('lab', compute);
  sharedResult('lab', compute);
  expect(compute).toHaveBeenCalledTimes(2);
});

test('takes over the lock of a process that exited without removing it', () => {
  const exited = spawnSync(process.execPath, ['-e', '0']).pid;
  fs.writeFileSync(path.join(dir, 'lab.json.lock'), String(exited));
  expect(sharedResult('lab', () => 'computed here')).toBe('computed here');
  expect(fs.existsSync(path.join(dir, 'lab.json.lock'))).toBe(false);
});

test('waits while a live process holds the lock, and reads what that process stores', () => {
  fs.writeFileSync(path.join(dir, 'lab.json.lock'), String(process.ppid));
  const file = path.join(dir, 'lab.json');
  // Another worker, finishing its synth a moment later.
  spawn(process.execPath, [
    '-e',
    `setTimeout(() => require('fs').writeFileSync(${JSON.stringify(file)}, '"from the other worker"'), 300)`,
  ], { stdio: 'ignore' });
  const compute = jest.fn(() => 'computed here');
  expect(sharedResult('lab', compute)).toBe('from the other worker');
  expect(compute).not.toHaveBeenCalled();
});

test('releases the lock when computing fails, so the next caller tries again', () => {
  expect(() => sharedResult('lab', () => { throw new Error('synth failed'); })).toThrow('synth failed');
  expect(fs.readdirSync(dir)).toEqual([]);
  expect(sharedResult('lab', () => 'second try')).toBe('second try');
});
