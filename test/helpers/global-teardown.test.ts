import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import globalTeardown from './global-teardown';
import { SHARED_SYNTH_DIR } from './shared-synth';

// What jest runs after the last test file: the run's shared synth folder goes, and a failed type-check fails the run.
const savedDir = process.env[SHARED_SYNTH_DIR];
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teardown-test-'));
  process.env[SHARED_SYNTH_DIR] = dir;
});

afterEach(() => {
  process.env[SHARED_SYNTH_DIR] = savedDir;
  globalThis.labsTypeCheck = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

test('removes the shared synth folder, with nothing else to wait for outside npm test', async () => {
  await globalTeardown();
  expect(fs.existsSync(dir)).toBe(false);
});

test('waits for the type-check and passes when it passed', async () => {
  globalThis.labsTypeCheck = { exited: new Promise((resolve) => setTimeout(() => resolve(0), 50)), output: '' };
  await expect(globalTeardown()).resolves.toBeUndefined();
});

test('fails the run with tsc\'s output when the type-check failed', async () => {
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    globalThis.labsTypeCheck = {
      exited: Promise.resolve(2),
      output: "lib/x.ts(1,7): error TS2322: Type 'number' is not assignable to type 'string'.\n",
    };
    await expect(globalTeardown()).rejects.toThrow('the type-check failed: see the tsc output above');
    expect(stderr).toHaveBeenCalledWith(
      expect.stringContaining('tsc (type-check) failed with exit code 2:\nlib/x.ts(1,7): error TS2322'),
    );
  } finally {
    stderr.mockRestore();
  }
});
