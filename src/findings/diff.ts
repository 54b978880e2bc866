// Diff scoping: parse unified diffs (git diff output or plain `diff -u`) into the set of
// changed lines per file, keep only findings on those lines (--new-from-patch), and obtain
// such a patch from git (--new-from-rev REV, --new-from-merge-base REF).
import { execFile } from 'node:child_process';
import type { Finding } from './model.js';

export type ChangeStatus = 'added' | 'deleted' | 'modified' | 'renamed' | 'copied';

export interface FileDiff {
  /** Path before the change (null for a new file). */
  oldPath: string | null;
  /** Path after the change (null for a deleted file). */
  newPath: string | null;
  status: ChangeStatus;
  binary: boolean;
  /** Lines of the new file that were added or changed (1-based). */
  added: Set<number>;
  /** Lines of the new file right after which old lines were removed (0 = at the top). */
  deletedAfter: Set<number>;
}

export class DiffError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DiffError';
  }
}

export interface ParseDiffOptions {
  /** Leading path components to strip (like patch -p). Default: 1 when the paths start with a/ and b/, else 0. */
  strip?: number;
}

/** Undoes git's C-style quoting of unusual paths ("a/caf\303\251.go"). */
export function unquoteGitPath(s: string): string {
  if (!s.startsWith('"') || !s.endsWith('"') || s.length < 2) return s;
  const bytes: number[] = [];
  const body = s.slice(1, -1);
  const simple: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
      continue;
    }
    const next = body[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      const oct = /^[0-7]{1,3}/.exec(body.slice(i + 1))![0];
      bytes.push(parseInt(oct, 8));
      i += oct.length;
    } else if (next in simple) {
      bytes.push(simple[next]!);
      i++;
    } else {
      bytes.push(92);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Splits the two paths of a `diff --git a/x b/y` line (quoted or not). */
function splitGitHeader(rest: string): [string, string] | undefined {
  if (rest.startsWith('"')) {
    const m = /^("(?:[^"\\]|\\.)*")\s+(.*)$/.exec(rest);
    return m ? [unquoteGitPath(m[1]!), unquoteGitPath(m[2]!)] : undefined;
  }
  if (rest.endsWith('"')) {
    const i = rest.lastIndexOf(' "');
    return i < 0 ? undefined : [rest.slice(0, i), unquoteGitPath(rest.slice(i + 1))];
  }
  // Unquoted: both paths have the same length after their prefixes when unchanged; otherwise
  // split at " b/" (git's default prefixes).
  const half = (rest.length - 1) / 2;
  if (Number.isInteger(half) && rest[half] === ' ' && rest.slice(2, half) === rest.slice(half + 3)) {
    return [rest.slice(0, half), rest.slice(half + 1)];
  }
  const j = rest.indexOf(' b/');
  return j < 0 ? undefined : [rest.slice(0, j), rest.slice(j + 1)];
}

function stripPrefix(p: string, strip: number): string {
  let out = p;
  for (let i = 0; i < strip; i++) {
    const j = out.indexOf('/');
    if (j < 0) break;
    out = out.slice(j + 1);
  }
  return out;
}

/** Path from a ---/+++ line: unquoted, timestamp (after a tab) removed; null for /dev/null. */
function headerPath(raw: string): string | null {
  let p = raw;
  if (!p.startsWith('"')) {
    const tab = p.indexOf('\t');
    if (tab >= 0) p = p.slice(0, tab);
    p = p.trimEnd();
  }
  p = unquoteGitPath(p);
  return p === '/dev/null' ? null : p;
}

const HUNK_RE = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** Parses a unified diff into per-file changes, keyed by the new path (old path for deletions). */
export function parseUnifiedDiff(text: string, opts: ParseDiffOptions = {}): Map<string, FileDiff> {
  const files: FileDiff[] = [];
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  let cur: FileDiff | undefined;
  let git = false;
  const newFile = (): FileDiff => {
    const f: FileDiff = { oldPath: null, newPath: null, status: 'modified', binary: false, added: new Set(), deletedAfter: new Set() };
    files.push(f);
    return f;
  };
  const sawHunk = new Set<FileDiff>();

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.endsWith('\r') ? lines[i]!.slice(0, -1) : lines[i]!;
    if (line.startsWith('diff --git ')) {
      git = true;
      cur = newFile();
      const paths = splitGitHeader(line.slice('diff --git '.length));
      if (paths) {
        const n = opts.strip ?? (paths[0].startsWith('a/') && paths[1].startsWith('b/') ? 1 : 0);
        cur.oldPath = stripPrefix(paths[0], n);
        cur.newPath = stripPrefix(paths[1], n);
      }
      continue;
    }
    if (cur && line.startsWith('new file mode')) { cur.status = 'added'; cur.oldPath = null; continue; }
    if (cur && line.startsWith('deleted file mode')) { cur.status = 'deleted'; cur.newPath = null; continue; }
    if (cur && line.startsWith('rename from ')) { cur.status = 'renamed'; cur.oldPath = unquoteGitPath(line.slice(12)); continue; }
    if (cur && line.startsWith('rename to ')) { cur.status = 'renamed'; cur.newPath = unquoteGitPath(line.slice(10)); continue; }
    if (cur && line.startsWith('copy from ')) { cur.status = 'copied'; cur.oldPath = unquoteGitPath(line.slice(10)); continue; }
    if (cur && line.startsWith('copy to ')) { cur.status = 'copied'; cur.newPath = unquoteGitPath(line.slice(8)); continue; }
    if (cur && (line.startsWith('Binary files ') || line === 'GIT binary patch')) { cur.binary = true; continue; }
    if (line.startsWith('--- ') && i + 1 < lines.length && lines[i + 1]!.startsWith('+++ ')) {
      // Starts a file in a plain diff; in a git diff it belongs to the current header.
      if (!git || !cur || sawHunk.has(cur)) cur = newFile();
      const oldP = headerPath(line.slice(4));
      const newP = headerPath(lines[i + 1]!.replace(/\r$/, '').slice(4));
      const n = opts.strip ?? ((oldP === null || oldP.startsWith('a/')) && (newP === null || newP.startsWith('b/')) ? 1 : 0);
      cur.oldPath = oldP === null ? null : stripPrefix(oldP, n);
      cur.newPath = newP === null ? null : stripPrefix(newP, n);
      if (oldP === null) cur.status = 'added';
      else if (newP === null) cur.status = 'deleted';
      i++;
      continue;
    }
    const h = HUNK_RE.exec(line);
    if (h && cur) {
      sawHunk.add(cur);
      let oldLeft = h[2] === undefined ? 1 : Number(h[2]);
      let newLeft = h[4] === undefined ? 1 : Number(h[4]);
      let newLine = Number(h[3]);
      // With a zero-length new side, the number is the line *before* the change.
      if (newLeft === 0) newLine++;
      while ((oldLeft > 0 || newLeft > 0) && i + 1 < lines.length) {
        const l = lines[i + 1]!;
        const c = l[0];
        if (c === '+') { cur.added.add(newLine); newLine++; newLeft--; }
        else if (c === '-') { cur.deletedAfter.add(newLine - 1); oldLeft--; }
        else if (c === ' ' || l === '' || l === '\r') { newLine++; oldLeft--; newLeft--; }
        else if (c === '\\') { /* \ No newline at end of file */ }
        else break;
        i++;
      }
      // A "\ No newline" marker may follow the last line of the hunk.
      while (i + 1 < lines.length && lines[i + 1]!.startsWith('\\')) i++;
      continue;
    }
    if (line.startsWith('\\')) continue;
  }

  const out = new Map<string, FileDiff>();
  for (const f of files) {
    if (f.newPath === null && f.oldPath === null) continue;
    out.set((f.newPath ?? f.oldPath)!, f);
  }
  return out;
}

export interface ScopeOptions {
  /** Also keep findings on the line right after a removal (a deleted check can create a finding on an untouched line). */
  includeDeletions?: boolean;
}

/** Keeps the findings whose start line was added or changed by the patch. */
export function scopeToDiff(findings: readonly Finding[], changes: Map<string, FileDiff>, opts: ScopeOptions = {}): { kept: Finding[]; dropped: Finding[] } {
  const kept: Finding[] = [];
  const dropped: Finding[] = [];
  for (const f of findings) {
    const c = changes.get(f.file);
    const hit = !!c && c.newPath !== null && (c.added.has(f.line) || (!!opts.includeDeletions && (c.deletedAfter.has(f.line - 1) || c.deletedAfter.has(f.line))));
    (hit ? kept : dropped).push(f);
  }
  return { kept, dropped };
}

// ---- git ----

export interface GitOptions {
  /** Directory to run git in (the module root); diff paths are made relative to it. */
  cwd: string;
  /** Milliseconds before git is killed. Default 60 000. */
  timeoutMs?: number;
  /** Treat untracked (not ignored) files as entirely new. Default true. */
  includeUntracked?: boolean;
  /** git executable. Default "git". */
  git?: string;
}

function runGit(args: string[], opts: GitOptions): Promise<string> {
  const git = opts.git ?? 'git';
  const timeout = opts.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    execFile(git, ['-c', 'core.quotePath=false', ...args], { cwd: opts.cwd, timeout, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8', env: { ...process.env, GIT_PAGER: 'cat', LC_ALL: 'C' } }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null };
      if (e.code === 'ENOENT') return reject(new DiffError(`cannot run ${git}: not found on PATH`));
      if (e.killed || e.signal === 'SIGTERM') return reject(new DiffError(`git ${args[0]} timed out after ${timeout} ms in ${opts.cwd}`));
      const msg = String(stderr).trim().split('\n')[0] ?? '';
      if (/not a git repository/i.test(msg)) return reject(new DiffError(`${opts.cwd} is not inside a git repository; --new-from-rev and --new-from-merge-base need git history`));
      reject(new DiffError(`git ${args.join(' ')} failed: ${msg || e.message}`));
    });
  });
}

async function ensureRepo(opts: GitOptions): Promise<void> {
  await runGit(['rev-parse', '--show-toplevel'], opts);
}

async function resolveRev(rev: string, opts: GitOptions): Promise<string> {
  if (rev.startsWith('-')) throw new DiffError(`invalid revision "${rev}"`);
  try {
    return (await runGit(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], opts)).trim();
  } catch (e) {
    if (e instanceof DiffError && /not inside a git repository|timed out|cannot run/.test(e.message)) throw e;
    throw new DiffError(`unknown git revision "${rev}"`);
  }
}

/** Changes between REV and the working tree (committed, staged and unstaged), plus untracked files. */
export async function changesSinceRev(rev: string, opts: GitOptions): Promise<Map<string, FileDiff>> {
  await ensureRepo(opts);
  const commit = await resolveRev(rev, opts);
  return diffFrom(commit, opts);
}

/** Changes since the merge base of REF and HEAD (what a pull request against REF introduces). */
export async function changesSinceMergeBase(ref: string, opts: GitOptions): Promise<Map<string, FileDiff>> {
  await ensureRepo(opts);
  const commit = await resolveRev(ref, opts);
  let base: string;
  try {
    base = (await runGit(['merge-base', commit, 'HEAD'], opts)).trim();
  } catch {
    throw new DiffError(`no merge base between "${ref}" and HEAD (unrelated histories or a shallow clone: fetch more history)`);
  }
  return diffFrom(base, opts);
}

async function diffFrom(commit: string, opts: GitOptions): Promise<Map<string, FileDiff>> {
  const patch = await runGit(['diff', '--no-color', '--no-ext-diff', '--no-textconv', '--relative', '-M', '--unified=0', commit, '--'], opts);
  const changes = parseUnifiedDiff(patch);
  if (opts.includeUntracked ?? true) {
    const out = await runGit(['ls-files', '--others', '--exclude-standard', '-z'], opts);
    for (const p of out.split('\0')) {
      if (p === '' || changes.has(p)) continue;
      changes.set(p, { oldPath: null, newPath: p, status: 'added', binary: false, added: new AllLines(), deletedAfter: new Set() });
    }
  }
  return changes;
}

/** A line set that contains every line (an untracked file is new in full). */
class AllLines extends Set<number> {
  override has(_n: number): boolean {
    return true;
  }
}
