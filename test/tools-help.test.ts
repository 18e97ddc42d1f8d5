import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { environmentWithoutAws, runCommand } from './helpers/run-command';

// Every command-line tool (bin/<tool>.ts; bin/labs.ts is the CDK app) answers --help and -h with its usage and exit 0,
// without doing its job: no synth, no temporary folder, no AWS call. A new tool in bin/ is covered as is.
jest.setTimeout(120_000);

const BIN = path.join(__dirname, '..', 'bin');
const tools = fs.readdirSync(BIN).filter((file) => file.endsWith('.ts') && file !== 'labs.ts').sort();

test('finds the tools (the tests below have something to check)', () => {
  expect(tools).toEqual(expect.arrayContaining(['cost.ts', 'local.ts', 'review.ts', 'verify.ts']));
});

/**
 * Points the tsx compile cache of a fresh temporary folder (tsx-<uid>) to the usual one, so that each tool's code is
 * not compiled again for each run: about 0.1 s of CPU per tool. What the tool itself writes there still shows.
 */
function shareTsxCache(tmp: string): void {
  const name = `tsx-${process.geteuid?.() ?? os.userInfo().username}`;
  const cache = path.join(os.tmpdir(), name);
  fs.mkdirSync(cache, { recursive: true });
  fs.symlinkSync(cache, path.join(tmp, name), 'dir');
}

describe.each(tools)('bin/%s', (tool) => {
  // In this process: a tool runs its job only when it is the main module.
  const { parseArgs, USAGE } = require(path.join(BIN, tool)) as {
    parseArgs: (args: string[], env: NodeJS.ProcessEnv) => unknown;
    USAGE: string;
  };

  test('reads -h as --help', () => {
    expect(parseArgs(['-h'], {})).toBe('help');
  });

  test.each(['--help'])('answers %s with its usage and exit 0, without doing its job', async (flag) => {
    // A fresh temporary folder: a tool that synthesizes, reviews or serves makes its folders there.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tool-help-'));
    shareTsxCache(tmp);
    try {
      const result = await runCommand(
        path.join('bin', tool),
        [flag],
        environmentWithoutAws({ TMPDIR: tmp, TMP: tmp, TEMP: tmp }),
      );
      // The usage it exports, which the guide tests read in their own process.
      expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 0, stdout: `${USAGE}\n` });
      expect(USAGE).toMatch(/^Usage: npm run /);
      // Doing the job shows: progress on stderr (bundling, synthesizing, installing), a report on stdout ($0.0163/h).
      expect(result.stderr).toBe('');
      expect(result.stdout).not.toMatch(/\$\d+\.\d{4}\/h/);
      // tsx keeps its compile cache there (tsx-<uid>); nothing else may appear.
      expect(fs.readdirSync(tmp).filter((entry) => !entry.startsWith('tsx-'))).toEqual([]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
