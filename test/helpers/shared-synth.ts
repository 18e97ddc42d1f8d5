import * as fs from 'fs';
import * as path from 'path';
import { BUNDLE_CACHE_CONTEXT } from '../../lib/constructs/bundle-cache';

/**
 * The environment variable naming the folder where this test run keeps each lab's synthesized result, shared by
 * every test file (jest isolates modules per file, so a module-level cache would not outlive one file).
 * test/helpers/global-setup.ts creates the folder and global-teardown.ts removes it.
 */
export const SHARED_SYNTH_DIR = 'LABS_TEST_SHARED_SYNTH_DIR';

/**
 * The context that lets the apps of this test run reuse each other's function bundles (BUNDLE_CACHE_CONTEXT), in a
 * folder of the run's shared folder; none outside jest.
 */
export function bundleCacheContext(): Record<string, string> {
  const dir = process.env[SHARED_SYNTH_DIR];
  return dir ? { [BUNDLE_CACHE_CONTEXT]: path.join(dir, 'bundles') } : {};
}

const WAIT_MS = 180_000;
const POLL_MS = 50;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * The JSON value stored under `key` in this run's shared folder, computed by `compute` in the first test file that
 * asks for it; files that ask while it is being computed (another jest worker) wait for it. Without the folder
 * (a script outside jest), it is computed here.
 */
export function sharedResult<T>(key: string, compute: () => T): T {
  const dir = process.env[SHARED_SYNTH_DIR];
  if (!dir || !fs.existsSync(dir)) return compute();
  const file = path.join(dir, `${key}.json`);
  const lock = `${file}.lock`;
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf-8'));
    if (takeLock(lock)) {
      try {
        const value = compute();
        fs.writeFileSync(`${file}.${process.pid}`, JSON.stringify(value));
        fs.renameSync(`${file}.${process.pid}`, file);
        return value;
      } finally {
        fs.rmSync(lock, { force: true });
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`waited ${WAIT_MS} ms for another test worker to synthesize ${key} (${lock})`);
    }
    Atomics.wait(sleeper, 0, 0, POLL_MS);
  }
}

/** Takes the lock, or a lock whose holder has exited without removing it; false while a live process holds it. */
function takeLock(lock: string): boolean {
  try {
    fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  let content: string;
  try {
    content = fs.readFileSync(lock, 'utf-8');
  } catch {
    return false; // removed meanwhile: try again
  }
  // Empty while its holder is still writing its process id.
  if (content === '' || isAlive(Number(content))) return false;
  fs.rmSync(lock, { force: true });
  return false; // the next round takes it, unless another waiter is faster
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
