// File exclusion: globs from the configuration's `exclude` list, matched against paths relative
// to the module root (forward slashes), plus the default exclusions (vendor/, testdata/ and
// generated files).
//
// Glob syntax:
//   *      any run of characters except "/"
//   **     any run of characters including "/" (as a whole path element: "a/**/b", "**/x", "x/**")
//   ?      one character except "/"
//   [abc]  one of the characters (ranges and "!"/"^" negation allowed)
//   dir/   a trailing slash matches everything under the directory
// A glob without any "/" (other than a trailing one) matches in every directory, as in
// .gitignore: "*_mock.go" excludes "a/b/c_mock.go".

export class GlobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GlobError';
  }
}

function escapeRe(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? '\\' + ch : ch;
}

/** Compiles one glob to a regular expression over module-relative paths. */
export function globToRegExp(glob: string): RegExp {
  let g = glob.trim().replace(/\\/g, '/');
  if (g === '') throw new GlobError('an exclude pattern is empty');
  while (g.startsWith('./')) g = g.slice(2);
  let dirOnly = false;
  if (g.endsWith('/')) {
    dirOnly = true;
    g = g.replace(/\/+$/, '');
  }
  if (g.startsWith('/')) g = g.replace(/^\/+/, '');
  const anywhere = !g.includes('/');
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const ch = g[i]!;
    if (ch === '*') {
      if (g[i + 1] === '*') {
        const atStart = i === 0 || g[i - 1] === '/';
        const atEnd = i + 2 === g.length || g[i + 2] === '/';
        if (atStart && atEnd) {
          if (i + 2 === g.length) re += '.*';
          else {
            re += '(?:.*/)?';
            i++; // the slash after ** is part of the group
          }
          i++;
          continue;
        }
        re += '[^/]*';
        i++;
        continue;
      }
      re += '[^/]*';
    } else if (ch === '?') {
      re += '[^/]';
    } else if (ch === '[') {
      const close = g.indexOf(']', i + 2);
      if (close < 0) throw new GlobError(`exclude pattern "${glob}" has an unclosed [`);
      let body = g.slice(i + 1, close);
      if (body.startsWith('!') || body.startsWith('^')) body = '^' + body.slice(1);
      re += '[' + body.replace(/\\/g, '\\\\') + ']';
      i = close;
    } else {
      re += escapeRe(ch);
    }
  }
  const prefix = anywhere ? '(?:^|.*/)' : '^';
  const suffix = dirOnly ? '/.*$' : '(?:/.*)?$';
  return new RegExp(prefix + re + suffix);
}

export const DEFAULT_EXCLUDES = ['vendor/', 'testdata/'];

export interface ExcludeOptions {
  globs: readonly string[];
  /** Also exclude vendor/, testdata/ and generated files (default true). */
  defaults?: boolean;
}

/** A predicate over module-relative paths (and the file's generated marker). */
export class Excluder {
  private readonly res: { glob: string; re: RegExp }[];
  readonly defaults: boolean;

  constructor(opts: ExcludeOptions) {
    this.defaults = opts.defaults !== false;
    const globs = [...(this.defaults ? DEFAULT_EXCLUDES : []), ...opts.globs];
    this.res = globs.map((glob) => ({ glob, re: globToRegExp(glob) }));
  }

  /** The reason a file is excluded, or undefined when it is analysed. */
  why(path: string, generated = false): string | undefined {
    if (this.defaults && generated) return 'generated file';
    const p = path.replace(/\\/g, '/');
    for (const { glob, re } of this.res) if (re.test(p)) return `matches exclude pattern "${glob}"`;
    return undefined;
  }

  excludes(path: string, generated = false): boolean {
    return this.why(path, generated) !== undefined;
  }
}
