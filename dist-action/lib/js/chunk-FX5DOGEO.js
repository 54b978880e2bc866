import { createRequire as __deferguardCreateRequire } from 'node:module';
const require = __deferguardCreateRequire(import.meta.url);

// src/load/exclude.ts
var GlobError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "GlobError";
  }
};
function escapeRe(ch) {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? "\\" + ch : ch;
}
function globToRegExp(glob) {
  let g = glob.trim().replace(/\\/g, "/");
  if (g === "") throw new GlobError("an exclude pattern is empty");
  while (g.startsWith("./")) g = g.slice(2);
  let dirOnly = false;
  if (g.endsWith("/")) {
    dirOnly = true;
    g = g.replace(/\/+$/, "");
  }
  if (g.startsWith("/")) g = g.replace(/^\/+/, "");
  const anywhere = !g.includes("/");
  let re = "";
  for (let i = 0; i < g.length; i++) {
    const ch = g[i];
    if (ch === "*") {
      if (g[i + 1] === "*") {
        const atStart = i === 0 || g[i - 1] === "/";
        const atEnd = i + 2 === g.length || g[i + 2] === "/";
        if (atStart && atEnd) {
          if (i + 2 === g.length) re += ".*";
          else {
            re += "(?:.*/)?";
            i++;
          }
          i++;
          continue;
        }
        re += "[^/]*";
        i++;
        continue;
      }
      re += "[^/]*";
    } else if (ch === "?") {
      re += "[^/]";
    } else if (ch === "[") {
      const close = g.indexOf("]", i + 2);
      if (close < 0) throw new GlobError(`exclude pattern "${glob}" has an unclosed [`);
      let body = g.slice(i + 1, close);
      if (body.startsWith("!") || body.startsWith("^")) body = "^" + body.slice(1);
      re += "[" + body.replace(/\\/g, "\\\\") + "]";
      i = close;
    } else {
      re += escapeRe(ch);
    }
  }
  const prefix = anywhere ? "(?:^|.*/)" : "^";
  const suffix = dirOnly ? "/.*$" : "(?:/.*)?$";
  return new RegExp(prefix + re + suffix);
}
var DEFAULT_EXCLUDES = ["vendor/", "testdata/"];
var Excluder = class {
  res;
  defaults;
  constructor(opts) {
    this.defaults = opts.defaults !== false;
    const globs = [...this.defaults ? DEFAULT_EXCLUDES : [], ...opts.globs];
    this.res = globs.map((glob) => ({ glob, re: globToRegExp(glob) }));
  }
  /** The reason a file is excluded, or undefined when it is analysed. */
  why(path, generated = false) {
    if (this.defaults && generated) return "generated file";
    const p = path.replace(/\\/g, "/");
    for (const { glob, re } of this.res) if (re.test(p)) return `matches exclude pattern "${glob}"`;
    return void 0;
  }
  excludes(path, generated = false) {
    return this.why(path, generated) !== void 0;
  }
};

export {
  GlobError,
  Excluder
};
