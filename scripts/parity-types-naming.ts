// The callee naming of docs/parity-types.md on our side: turns what deferguard's resolver says
// about a call (TypeInfo.callee) into the name gohelper calls prints for go/types, and the
// comparison of both sides' records. Pure functions; used by scripts/parity-types.ts and its
// worker, and tested on their own.
import type * as ast from '../src/syntax/ast.js';
import type { Callee } from '../src/types/api.js';

/** The shape of a call's Fun after removing parentheses: what the report groups causes by. */
export type FunShape = 'ident' | 'selector' | 'instantiated ident' | 'instantiated selector' | 'other';

function unparen(e: ast.Expr): ast.Expr {
  while (e.kind === 'ParenExpr') e = e.x;
  return e;
}

export function funShape(fun: ast.Expr): FunShape {
  const f = unparen(fun);
  if (f.kind === 'Ident') return 'ident';
  if (f.kind === 'SelectorExpr') return 'selector';
  if (f.kind === 'IndexExpr' || f.kind === 'IndexListExpr') {
    const x = unparen(f.x);
    if (x.kind === 'Ident') return 'instantiated ident';
    if (x.kind === 'SelectorExpr') return 'instantiated selector';
  }
  return 'other';
}

/**
 * A package path as written in importing code: `vendor/golang.org/x/net/idna` and
 * `cmd/vendor/golang.org/x/mod/module` lose everything up to and including the last `vendor/`
 * element. Applied to every package path inside a name.
 */
export function stripVendor(name: string): string {
  return name.replace(/(^|[(*\s])(?:[^()*\s]*\/)?vendor\//g, '$1');
}

/** Removes type argument or parameter lists: `(*p.Stack[T]).Push` → `(*p.Stack).Push`. */
export function stripTypeArgs(name: string): string {
  let out = '';
  let depth = 0;
  for (const ch of name) {
    if (ch === '[') depth++;
    else if (ch === ']') depth = Math.max(0, depth - 1);
    else if (depth === 0) out += ch;
  }
  return out;
}

/**
 * Our answer for a call in the common naming, or null when there is none: no callee, a
 * conversion, or a Fun that is not an identifier or selector once parentheses and (for
 * functions and methods only) an instantiation are removed.
 */
export function ourCalleeName(call: ast.CallExpr, c: Callee | undefined): string | null {
  if (!c || c.kind === 'conversion') return null;
  const shape = funShape(call.fun);
  if (shape === 'other') return null;
  if (shape.startsWith('instantiated') && c.kind !== 'func' && c.kind !== 'method' && c.kind !== 'interface') {
    // handlers[i]() indexes a variable: not an instantiation, so not nameable.
    return null;
  }
  switch (c.kind) {
    case 'builtin': {
      let n = c.name.startsWith('builtin ') ? c.name.slice('builtin '.length) : c.name || c.short;
      // The only builtins reached through a selector are unsafe's.
      if (shape.endsWith('selector') && !n.startsWith('unsafe.')) n = `unsafe.${n}`;
      return `builtin ${n}`;
    }
    case 'funcvalue': {
      const short = c.short || c.name.slice(c.name.lastIndexOf('.') + 1);
      return short ? `var ${short}` : null;
    }
    default:
      return c.name ? stripVendor(stripTypeArgs(c.name)) : null;
  }
}

/** What kind of callee a Go record names, for grouping: builtin, func, method or var. */
export function nameKind(name: string): 'builtin' | 'func' | 'method' | 'var' {
  if (name.startsWith('builtin ')) return 'builtin';
  if (name.startsWith('var ')) return 'var';
  if (name.startsWith('(')) return 'method';
  return 'func';
}

export type Outcome = 'agreed' | 'disagreed' | 'unanswered' | 'oursOnly';

export interface CallOutcome {
  offset: number;
  outcome: Outcome;
  go: string | null;
  ours: string | null;
  /** `<kind of Go's callee> via <Fun shape>`; for oursOnly, `<kind of ours> via <shape>`. */
  cause: string;
}

/**
 * Compares one file: Go's records (offset → name) with our calls (offset, name or null, shape).
 * Every Go record yields agreed, disagreed or unanswered; every answer of ours at an offset
 * where Go has no record yields oursOnly. A Go record at an offset where we saw no call at all
 * counts as unanswered (our parser disagrees there). Sorted by offset.
 */
export function compareFile(goRecords: ReadonlyMap<number, string>, ours: readonly [number, string | null, FunShape][]): CallOutcome[] {
  const out: CallOutcome[] = [];
  const seen = new Set<number>();
  for (const [offset, name, shape] of ours) {
    seen.add(offset);
    const go = goRecords.get(offset);
    if (go === undefined) {
      if (name !== null) out.push({ offset, outcome: 'oursOnly', go: null, ours: name, cause: `${nameKind(name)} via ${shape}` });
      continue;
    }
    const cause = `${nameKind(go)} via ${shape}`;
    if (name === null) out.push({ offset, outcome: 'unanswered', go, ours: null, cause });
    else out.push({ offset, outcome: name === go ? 'agreed' : 'disagreed', go, ours: name, cause });
  }
  for (const [offset, go] of goRecords) {
    if (!seen.has(offset)) out.push({ offset, outcome: 'unanswered', go, ours: null, cause: `${nameKind(go)} via (no call at this offset in our tree)` });
  }
  return out.sort((a, b) => a.offset - b.offset);
}
