import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SHARED_SYNTH_DIR } from './shared-synth';

/** The type-check that `npm test` runs alongside the tests; global-teardown.ts waits for it. */
export interface TypeCheck {
  /** Resolves with tsc's exit code once it has exited and its output is read. */
  readonly exited: Promise<number | null>;
  output: string;
}

declare global {
  // Shared with global-teardown.ts, which jest runs in this same process.
  var labsTypeCheck: TypeCheck | undefined;
}

/**
 * Once per jest run, before any test file: the folder where test files share each lab's synth, and, under
 * `npm test`, the type-check of the whole project (tsc), run alongside the tests rather than before them.
 */
export default function globalSetup(): void {
  // The AWS SDK warns once per process that its releases from 2027 need Node.js 22. The tests cannot act on it,
  // it repeats in every worker, and README says which Node.js versions the project supports.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  process.env[SHARED_SYNTH_DIR] = fs.mkdtempSync(path.join(os.tmpdir(), 'labs-test-synth-'));
  // A class's `export STUDENT=<name>` would make every cdk command and tool the tests start act on that student's
  // stacks: the tests name their student where they mean one.
  delete process.env.STUDENT;
  // Extra CA certificates for Node.js (a proxy's, on some machines) are read at the start of every node process, about
  // 0.1 s of CPU each, and the tests start hundreds (the tools, the CDK CLI, stand-ins of the AWS CLI). They talk to
  // local endpoints only, over plain HTTP.
  delete process.env.NODE_EXTRA_CA_CERTS;
  if (process.env.npm_lifecycle_event === 'test') {
    const root = path.join(__dirname, '..', '..');
    // TypeScript 7 (package.json: typescript-7), whose package exports no bin path: found from its package.json.
    const tsc = path.join(path.dirname(require.resolve('typescript-7/package.json')), 'bin', 'tsc');
    // One thread: the jest workers keep every core busy, and tsc's threads cost more CPU in all (2 to 4 s here).
    const child = spawn(process.execPath, [tsc, '-p', root, '--singleThreaded'], {
      cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const typeCheck: TypeCheck = { exited: new Promise((resolve) => child.once('close', resolve)), output: '' };
    child.stdout!.on('data', (chunk) => { typeCheck.output += chunk; });
    child.stderr!.on('data', (chunk) => { typeCheck.output += chunk; });
    globalThis.labsTypeCheck = typeCheck;
  }
}
