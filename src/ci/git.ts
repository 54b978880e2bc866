// The git operations `deferguard ci` needs: where the repository is, the merge base of the
// change, the change as a unified diff, and a detached worktree of the base revision (so the
// base can be analysed without touching the checkout).

import { execFile } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class GitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitError';
  }
}

export interface GitRunner {
  cwd: string;
  git?: string;
  timeoutMs?: number;
}

export function git(args: string[], r: GitRunner): Promise<string> {
  const exe = r.git ?? 'git';
  const timeout = r.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    execFile(
      exe,
      ['-c', 'core.quotePath=false', ...args],
      { cwd: r.cwd, timeout, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8', env: { ...process.env, GIT_PAGER: 'cat', LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' } },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const e = err as NodeJS.ErrnoException & { killed?: boolean };
        if (e.code === 'ENOENT') return reject(new GitError(`cannot run ${exe}: not found on PATH`));
        if (e.killed) return reject(new GitError(`git ${args[0]} timed out after ${timeout} ms`));
        const first = String(stderr).trim().split('\n')[0] ?? '';
        reject(new GitError(`git ${args.join(' ')}: ${first || e.message}`));
      },
    );
  });
}

/** The repository's top directory, or undefined when `dir` is not in a git work tree. */
export async function repoRoot(dir: string): Promise<string | undefined> {
  try {
    return realpathSync((await git(['rev-parse', '--show-toplevel'], { cwd: dir })).trim());
  } catch {
    return undefined;
  }
}

/** The full hash of a revision, or undefined when it does not exist locally. */
export async function resolveCommit(rev: string, dir: string): Promise<string | undefined> {
  if (rev === '' || rev.startsWith('-')) return undefined;
  try {
    return (await git(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { cwd: dir })).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The merge base of two commits, or undefined (unrelated, or history too shallow). */
export async function mergeBase(a: string, b: string, dir: string): Promise<string | undefined> {
  try {
    return (await git(['merge-base', a, b], { cwd: dir })).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The unified diff from `base` to `head` (the working tree when undefined) with
 * repository-relative paths (as GitHub shows a pull request), no context lines. Renames are
 * detected so a moved file is not all new.
 */
export function diffText(base: string, head: string | undefined, dir: string): Promise<string> {
  const revs = head === undefined ? [base] : [base, head];
  return git(['diff', '--no-color', '--no-ext-diff', '--no-textconv', '-M', '--unified=0', '--src-prefix=a/', '--dst-prefix=b/', ...revs, '--'], { cwd: dir });
}

export interface Worktree {
  /** The worktree's top directory (realpath). */
  dir: string;
  remove(): Promise<void>;
}

/**
 * A detached worktree of `commit` in a fresh temporary directory. `remove()` deletes it and
 * prunes git's record of it; call it in a finally block.
 */
export async function addWorktree(commit: string, repoDir: string): Promise<Worktree> {
  const parent = mkdtempSync(join(tmpdir(), 'deferguard-base-'));
  const dir = join(parent, 'tree');
  try {
    await git(['worktree', 'add', '--detach', '--quiet', dir, commit], { cwd: repoDir });
  } catch (e) {
    rmSync(parent, { recursive: true, force: true });
    throw e;
  }
  return {
    dir: realpathSync(dir),
    async remove() {
      try {
        await git(['worktree', 'remove', '--force', dir], { cwd: repoDir });
      } catch {
        // fall through: delete the files and prune the stale entry
      }
      rmSync(parent, { recursive: true, force: true });
      try {
        await git(['worktree', 'prune'], { cwd: repoDir });
      } catch {
        // nothing more to do
      }
    },
  };
}
