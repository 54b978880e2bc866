// Go language versions ("1.21", "1.21.3", "1.22rc1", "go1.23") and the effective version of a file.

/** The version a module without a `go` directive is treated as. */
export const DEFAULT_MODULE_GO = 'go1.16';

/**
 * The version of code outside any module (no go.mod up the tree): the go command builds it in
 * GOPATH mode at the toolchain's own language version, not as a module without a `go` directive.
 * The newest version this release knows: that of its standard library data (test/load checks).
 */
export const OUTSIDE_MODULE_GO = 'go1.26';

/** A `//go:build` line implying a version older than this is raised to it (Go's own rule since 1.21). */
export const MIN_BUILD_LINE_GO = 'go1.21';

interface Parsed {
  major: number;
  minor: number;
  patch: number;
  /** 0 for a release; otherwise -1 for beta, -0.5 for rc, with the number in preNum. */
  pre: number;
  preNum: number;
}

function parse(v: string): Parsed | null {
  const m = /^(?:go)?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:(beta|rc|alpha)(\d+))?$/.exec(v);
  if (!m) return null;
  const kind = m[4];
  return {
    major: Number(m[1]),
    minor: m[2] === undefined ? 0 : Number(m[2]),
    patch: m[3] === undefined ? 0 : Number(m[3]),
    pre: kind === undefined ? 0 : kind === 'rc' ? -1 : kind === 'beta' ? -2 : -3,
    preNum: m[5] === undefined ? 0 : Number(m[5]),
  };
}

export function isGoVersion(v: string): boolean {
  return parse(v) !== null;
}

/**
 * Compares two Go versions (with or without the `go` prefix). "1.21" (the language version) sorts
 * before "1.21rc1", which sorts before "1.21.0", as in Go's go/version. Invalid versions sort first.
 */
export function compareGoVersions(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return x ? 1 : y ? -1 : 0;
  if (x.major !== y.major) return x.major - y.major;
  if (x.minor !== y.minor) return x.minor - y.minor;
  const rank = (p: Parsed, s: string): number => {
    // "1.21" < "1.21rc1" < "1.21.0" < "1.21.1"
    const hasPatch = /^(?:go)?\d+\.\d+\.\d+/.test(s);
    if (hasPatch) return 2;
    return p.pre !== 0 ? 1 : 0;
  };
  const ra = rank(x, a);
  const rb = rank(y, b);
  if (ra !== rb) return ra - rb;
  if (ra === 1) return x.pre !== y.pre ? x.pre - y.pre : x.preNum - y.preNum;
  return x.patch - y.patch;
}

/** "1.22.3" → "go1.22"; the language version, with the go prefix. "" for an invalid version. */
export function languageVersion(v: string): string {
  const p = parse(v);
  return p ? `go${p.major}.${p.minor}` : '';
}

/** Adds the `go` prefix when missing. */
export function withGoPrefix(v: string): string {
  return v.startsWith('go') ? v : `go${v}`;
}

/**
 * Effective Go version of a file: a version implied by its `//go:build` line counts, raised to
 * at least go1.21; otherwise the module's `go` directive; with no directive, go1.16.
 */
export function effectiveGoVersion(buildLineVersion: string, moduleGo: string | null | undefined): string {
  if (buildLineVersion) {
    const v = languageVersion(buildLineVersion);
    if (v) return compareGoVersions(v, MIN_BUILD_LINE_GO) < 0 ? MIN_BUILD_LINE_GO : v;
  }
  if (moduleGo) {
    const v = languageVersion(moduleGo);
    if (v) return v;
  }
  return DEFAULT_MODULE_GO;
}
