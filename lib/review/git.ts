import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CannotRunError } from '../cli';

/** Runs git in `cwd` and returns its output, trimmed; throws with git's own message. */
export function git(cwd: string, ...args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new Error(`git ${args.join(' ')}: ${stderr || (error as Error).message}`);
  }
}

/** The commit a ref names, or a CannotRunError that says what a ref is. */
export function resolveCommit(cwd: string, ref: string): string {
  try {
    return git(cwd, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`);
  } catch {
    throw new CannotRunError(`Unknown git ref ${JSON.stringify(ref)}: `
      + 'give a branch, tag or commit (e.g. main, origin/main, HEAD~1); '
      + 'in a shallow clone, fetch it first (git fetch origin main).');
  }
}

/** Where this branch left main: the merge base of HEAD with main, or with origin/main when there is no local main. */
export function defaultBase(cwd: string): string {
  for (const main of ['main', 'origin/main']) {
    try {
      return git(cwd, 'merge-base', 'HEAD', resolveCommit(cwd, main));
    } catch {
      // try the next
    }
  }
  throw new CannotRunError('No main branch to compare with: name the base revision, e.g. `npm run review -- HEAD~1`.');
}

/** Whether a file differs between a commit and the working tree. */
export function changedSince(cwd: string, commit: string, file: string): boolean {
  try {
    git(cwd, 'diff', '--quiet', commit, '--', file);
    return false;
  } catch {
    return true;
  }
}

/** Checks a commit out into a temporary worktree; `remove` deletes it and its git bookkeeping. */
export function temporaryWorktree(cwd: string, commit: string): { dir: string; remove: () => void } {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'labs-review-')), 'base');
  git(cwd, 'worktree', 'add', '--detach', '--quiet', dir, commit);
  return {
    dir,
    remove: () => {
      git(cwd, 'worktree', 'remove', '--force', dir);
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    },
  };
}
