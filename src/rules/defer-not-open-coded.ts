// defer-not-open-coded: functions whose defers the compiler cannot open-code (inline at each
// exit). Then every defer builds a runtime record at run time, which matters on hot paths.
// The compiler's conditions (cmd/compile): a defer in a loop, more than 8 defers in the
// function, or (number of returns) × (number of defers) > 15.
import type * as ast from '../syntax/ast.js';
import type { Analyzer, Pass, PassFile } from '../analysis/analyzer.js';
import { docUrl } from '../findings/model.js';
import { deferNeeds, funcName, isLoop, lineOf, type FuncNode } from './helpers.js';
import { loopingLabels } from '../syntax/nodes.js';
import { forEachChild } from '../syntax/nodes.js';

const ID = 'defer-not-open-coded';

/** The compiler's limit on open-coded defers per function. */
export const MAX_OPEN_DEFERS = 8;
/** The compiler's limit on returns × defers. */
export const MAX_RETURNS_TIMES_DEFERS = 15;

interface Counts {
  defers: { d: ast.DeferStmt; inLoop: boolean }[];
  returns: number;
}

/** Whether a range statement ranges over a function (an iterator): its body becomes a closure. */
function rangesOverFunc(pass: Pass, n: ast.RangeStmt): boolean {
  const t = pass.types.typeOf(n.x);
  const u = t?.kind === 'named' ? t.underlying() : t;
  return u?.kind === 'signature';
}

function count(pass: Pass, fn: FuncNode): Counts {
  const c: Counts = { defers: [], returns: 0 };
  // Returns in the body of a range over an iterator are compiled into the closure the compiler
  // makes of that body: they are not returns of this function for open-coding.
  let inIterBody = 0;
  const looping = fn.body ? loopingLabels(fn.body) : new Set<string>();
  const visit = (n: ast.Node, loopDepth: number): void => {
    if (n.kind === 'FuncLit') return;
    if (n.kind === 'DeferStmt') c.defers.push({ d: n, inLoop: loopDepth > 0 });
    else if (n.kind === 'ReturnStmt' && inIterBody === 0) c.returns++;
    const depth = isLoop(n) ? loopDepth + 1 : loopDepth;
    if (n.kind === 'RangeStmt' && rangesOverFunc(pass, n)) {
      if (n.key) visit(n.key, loopDepth);
      if (n.value) visit(n.value, loopDepth);
      visit(n.x, loopDepth);
      inIterBody++;
      visit(n.body, depth);
      inIterBody--;
      return;
    }
    if (looping.size > 0 && n.kind === 'BlockStmt') {
      // A looping label deepens the rest of its block.
      let d = depth;
      for (const st of n.list ?? []) {
        if (st.kind === 'LabeledStmt' && looping.has(st.label.name)) d++;
        visit(st, d);
      }
      return;
    }
    forEachChild(n, (x) => visit(x, depth));
  };
  if (fn.body) visit(fn.body, 0);
  return c;
}

function check(pass: Pass, file: PassFile, fn: FuncNode): void {
  const c = count(pass, fn);
  const n = c.defers.length;
  if (n === 0) return;
  const name = funcName(file, fn);
  const tail = 'each defer then costs a runtime defer record instead of inline code at the exits';
  const inLoop = c.defers.find((x) => x.inLoop);
  if (inLoop) {
    pass.report({
      node: inLoop.d,
      file,
      message: `the defers of ${name} are not open-coded because the defer on line ${lineOf(file, inLoop.d)} is in a loop; ${tail}`,
    });
    return;
  }
  if (n > MAX_OPEN_DEFERS) {
    const ninth = c.defers[MAX_OPEN_DEFERS]!.d;
    pass.report({
      node: ninth,
      file,
      message: `the ${n} defers of ${name} are not open-coded because a function may open-code at most ${MAX_OPEN_DEFERS}; ${tail}`,
      related: [{ node: c.defers[0]!.d, message: 'first defer of the function' }],
    });
    return;
  }
  if (c.returns * n > MAX_RETURNS_TIMES_DEFERS) {
    pass.report({
      node: c.defers[0]!.d,
      file,
      message: `the defers of ${name} are not open-coded because ${c.returns} returns × ${n} defers = ${c.returns * n} exceeds ${MAX_RETURNS_TIMES_DEFERS}; ${tail}`,
    });
  }
}

function run(pass: Pass): void {
  for (const file of pass.files) {
    file.inspector.preorder(['FuncDecl', 'FuncLit'], (fn) => check(pass, file, fn));
  }
}

export const analyzer: Analyzer = {
  meta: {
    id: ID,
    severity: 'low',
    summary: 'A function whose defers the compiler cannot open-code (a defer in a loop, more than 8 defers, or returns × defers > 15).',
    enabledByDefault: false,
    fixable: false,
    category: 'cost',
    docUrl: docUrl(ID),
  },
  needs: deferNeeds,
  run,
};
