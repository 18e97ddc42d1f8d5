import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CannotRunError } from '../cli';
import { changedSince, defaultBase, git, resolveCommit, temporaryWorktree } from './git';
import { reviewStack, StackReview } from './stack-review';
import { SynthError, synthRevision, Templates } from './synth-revision';

export interface ReviewOptions {
  /** The repository's working tree. */
  readonly cwd: string;
  /** The base revision: a branch, tag or commit. @default - the merge base of HEAD with main */
  readonly baseRef?: string;
  /** Progress, for stderr. */
  readonly log: (line: string) => void;
}

export interface Review {
  /** The base commit, abbreviated. */
  readonly base: string;
  /** HEAD, abbreviated, and whether the working tree has uncommitted changes. */
  readonly head: string;
  readonly dirty: boolean;
  readonly stacks: StackReview[];
}

/**
 * Synthesizes the base revision in a temporary worktree and the working tree, offline, and compares every stack.
 * The worktree shares this install when the lock files match, and installs from its own lock file otherwise.
 */
export function runReview(options: ReviewOptions): Review {
  const { cwd, log } = options;
  if (!fs.existsSync(path.join(cwd, 'node_modules'))) {
    throw new CannotRunError('No node_modules here: run `npm ci` first.');
  }
  const base = options.baseRef === undefined ? defaultBase(cwd) : resolveCommit(cwd, options.baseRef);
  const short = git(cwd, 'rev-parse', '--short', base);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'labs-review-out-'));
  const worktree = temporaryWorktree(cwd, base);
  try {
    if (changedSince(cwd, base, 'package-lock.json')) {
      log(`Installing the base revision ${short} from its own lock file...`);
      install(worktree.dir);
    } else {
      fs.symlinkSync(path.join(cwd, 'node_modules'), path.join(worktree.dir, 'node_modules'), 'dir');
    }
    log(`Synthesizing the base revision ${short}...`);
    let before: Templates;
    try {
      before = synthRevision(worktree.dir, path.join(scratch, 'base'));
    } catch (error) {
      if (!(error instanceof SynthError)) throw error;
      throw new CannotRunError(`The base revision ${short} does not synthesize, so there is nothing to compare with; `
        + `name another base (npm run review -- <ref>).\n${error.message}`);
    }
    log('Synthesizing the working tree...');
    const after = synthRevision(cwd, path.join(scratch, 'head'));
    const names = [...new Set([...Object.keys(after.templates), ...Object.keys(before.templates)])];
    return {
      base: short,
      head: git(cwd, 'rev-parse', '--short', 'HEAD'),
      dirty: git(cwd, 'status', '--porcelain', '--untracked-files=no') !== '',
      stacks: names.map((name) => reviewStack(name, before.templates[name], after.templates[name],
        { ...before.constructPaths[name], ...after.constructPaths[name] })),
    };
  } finally {
    worktree.remove();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function install(dir: string): void {
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf-8' });
  if (result.status !== 0) {
    throw new CannotRunError('npm ci failed for the base revision:\n'
      + `${`${result.stdout}${result.stderr}`.trim().split('\n').slice(-10).join('\n')}`);
  }
}
