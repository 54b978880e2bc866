// recover-ineffective: a recover() that can never stop a panic because it is not called directly by
// a deferred function. It returns nil and the panic goes on to crash the goroutine (and the process).
import type * as ast from '../syntax/ast.js';
import type { Analyzer, Pass } from '../analysis/analyzer.js';
import { docUrl } from '../findings/model.js';
import { bodyNeeds, funcName, lineOf, recoverSites, textOf, type RecoverSite } from './helpers.js';

const ID = 'recover-ineffective';

function message(s: RecoverSite): string {
  const file = s.file;
  // A literal held by a variable goes by the variable's name: `handle (the function literal on line 3)`.
  const where = s.heldBy ? `${s.heldBy} (${funcName(file, s.fn)})` : funcName(file, s.fn);
  switch (s.reason) {
    case 'defer-recover':
      return `defer recover() never stops a panic: recover is called by the runtime, not by a deferred function, so it returns nil; defer a function literal that calls recover() and handles its value`;
    case 'defer-arg':
      return `recover() in the arguments of ${textOf(file, findStmtCall(s) ?? s.call)} is evaluated when the defer statement runs, before any panic, so it returns nil; call recover() inside the deferred function: defer func() { if r := recover(); r != nil { ... } }()`;
    case 'nested-literal': {
      const outer = s.callers[0];
      const outerName = outer ? funcName(outer.file, outer.fn) : 'the deferred function';
      return `recover() in ${where} returns nil: the literal is called inside ${outerName}, which is deferred, instead of being deferred itself, and recover only works when called directly by the deferred function; call recover() in the deferred function's own body`;
    }
    case 'called-helper': {
      const lines = [...new Set(s.callers.map((c) => lineOf(c.file, c.node)))].join(', ');
      const closures = s.callers.every((c) => c.fn.kind === 'FuncLit');
      const who = s.heldBy ?? where;
      return `recover() in ${where} returns nil: ${who} is only called from deferred ${closures ? 'closures' : 'functions'} (line ${lines}), never deferred itself, and recover only works when called directly by the deferred function; write defer ${s.callers[0] ? textOf(s.callers[0].file, s.callers[0].node) : `${who}()`} instead of calling it from ${closures ? 'a closure' : 'another function'}`;
    }
    case 'deferred-arg-literal': {
      const callee = s.via ? textOf(file, s.via.fun) : 'the deferred function';
      return `recover() in ${where} returns nil: the literal is passed to the deferred ${callee}(...), so ${callee} is the deferred function and the literal runs called by it, not directly as the deferred call; recover only works in the deferred function's own body: defer func() { if r := recover(); r != nil { ... } }()`;
    }
    case 'handler':
      return `recover() in ${where} returns nil: ${where} is a request handler, which the server calls and never defers, and recover only stops a panic when called directly by a deferred function; put it in a deferred literal at the top of the handler: defer func() { if p := recover(); p != nil { ... } }()`;
    case 'goroutine':
      return `recover() in ${where} returns nil: the literal runs as a goroutine, not as a deferred call, so there is never a panic for it to stop; defer a recovering function at the top of the goroutine instead`;
    default:
      if (s.heldBy) {
        return `recover() in ${where} returns nil: ${s.heldBy} is only called, never deferred, and recover only stops a panic when called directly by a deferred function; write defer ${s.heldBy}() where the panic can happen, or move recover() into a deferred function`;
      }
      if (s.fn.kind === 'FuncLit') {
        return `recover() in ${where} returns nil: the literal is called in place, not deferred, and recover only stops a panic when called directly by a deferred function; defer the literal (defer func() { ... }()) instead`;
      }
      return `recover() in ${where} returns nil: ${where} is never deferred in this package, and recover only stops a panic when called directly by a deferred function; defer ${where} where the panic can happen, or move recover() into a deferred function`;
  }
}

/** The call of the defer or go statement whose arguments hold the recover() call. */
function findStmtCall(s: RecoverSite): ast.CallExpr | undefined {
  let out: ast.CallExpr | undefined;
  s.file.inspector.preorder(['DeferStmt', 'GoStmt'], (d) => {
    if (!out && d.call.lparen < s.call.lparen && s.call.rparen < d.call.rparen) out = d.call;
  });
  return out;
}

/** "the deferred function literal on line 3", "the deferred cleanup". */
function deferredName(name: string): string {
  return name.startsWith('the ') ? `the deferred ${name.slice(4)}` : `the deferred ${name}`;
}

function run(pass: Pass): void {
  for (const s of recoverSites(pass)) {
    if (s.status !== 'ineffective') continue;
    pass.report({
      node: s.call,
      file: s.file,
      confidence: s.confidence,
      message: message(s),
      related: [
        ...s.callers.map((c) => ({ node: c.node, file: c.file, message: `called here from ${deferredName(funcName(c.file, c.fn))}` })),
        ...(s.via ? [{ node: s.via, file: s.file, message: `the deferred call, which runs ${textOf(s.file, s.via.fun)}, not the literal` }] : []),
      ],
    });
  }
}

export const analyzer: Analyzer = {
  meta: {
    id: ID,
    severity: 'high',
    summary: 'A recover() that is not called directly by a deferred function: it returns nil and the panic still crashes the program.',
    enabledByDefault: true,
    fixable: false,
    category: 'panics',
    docUrl: docUrl(ID),
  },
  // Whether a function with a recover is ever deferred, called or used as a value is asked of every body naming it.
  needs: (o) => bodyNeeds(o, { names: ['recover'] }, { deferred: true, containing: ['recover'] }),
  run,
};
