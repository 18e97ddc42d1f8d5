import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { toolArgs } from './run-command';
import { bundleCacheContext } from './shared-synth';

const ROOT = path.join(__dirname, '..', '..');

/** `npm run local` in a process of its own, as a student runs it. */
export interface LocalRun {
  /** Everything it printed so far, stdout and stderr. */
  readonly output: () => string;
  /** Sends Ctrl-C (SIGINT) and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `npm run local -- <args>` and resolves once its banner says it serves ("Press Ctrl-C to stop."). */
export async function startLocalRun(args: readonly string[]): Promise<LocalRun> {
  const child: ChildProcess = spawn(process.execPath, toolArgs('bin/local.ts', args), {
    cwd: ROOT,
    // CDK_CONTEXT_JSON: context the app reads on top of its own, here the run's bundles (bundleCacheContext).
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT', CDK_CONTEXT_JSON: JSON.stringify(bundleCacheContext()) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => { output += chunk; });
  child.stderr!.on('data', (chunk) => { output += chunk; });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 60_000;
  while (!output.includes('Press Ctrl-C to stop.')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`npm run local -- ${args.join(' ')} did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    output: () => output,
    stop: async () => {
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
