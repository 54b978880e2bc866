// banned-call: the team's own ban list. Each entry of `banned` in the configuration names a callee
// (qualified as the types print it: `os.RemoveAll`, `(*database/sql.DB).Exec`; `*` matches any run
// of characters), the context where it is banned, a severity and the reason shown in the message.
import type * as ast from '../syntax/ast.js';
import { unparen } from '../syntax/nodes.js';
import type { Analyzer, BodyNeeds, Pass, PassFile } from '../analysis/analyzer.js';
import type { BannedCall, BannedContext, RuleOptions } from '../analysis/options.js';
import { docUrl, severityRank } from '../findings/model.js';
import { bareName, bodyNeeds, callName, declaredMethodName, displayName, funcName, isFunc, isLoop, lineOf, requestHandler, type FuncNode } from './helpers.js';

const ID = 'banned-call';

/** A name pattern as a regular expression: `*` matches anything, everything else literally. */
function pattern(name: string): RegExp {
  return new RegExp('^' + name.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
}

/** Where a call sits, as far as the ban contexts care. */
interface Where {
  /** The call is deferred, directly or inside a deferred function literal. */
  deferred: ast.DeferStmt | undefined;
  /** The loop of the same function (deferred or not) around the call or its defer statement. */
  loop: ast.ForStmt | ast.RangeStmt | undefined;
  /** The request handler the call runs in, with its name. */
  handler: { fn: FuncNode; framework: string } | undefined;
}

function where(pass: Pass, file: PassFile, call: ast.CallExpr, stack: readonly ast.Node[]): Where {
  let deferred: ast.DeferStmt | undefined;
  let loop: Where['loop'];
  let handler: Where['handler'];
  // Walk outwards. Function literals that are deferred or called in place run as part of the
  // enclosing function; other literals (go statements, callbacks) end the search.
  let crossedDefer = false;
  for (let i = stack.length - 2; i >= 0; i--) {
    const n = stack[i]!;
    if (n.kind === 'DeferStmt') {
      if (!deferred && (n.call === call || crossedDefer)) deferred = n;
      continue;
    }
    if (isLoop(n) && !loop) {
      // The range expression and the init statement run once.
      const child = stack[i + 1];
      const once = n.kind === 'RangeStmt' ? child === n.x : child === n.init;
      if (!once) loop = n;
      continue;
    }
    if (isFunc(n)) {
      const h = requestHandler(pass, file, n);
      if (h && !handler) handler = { fn: n, framework: h.framework };
      if (n.kind === 'FuncDecl') break;
      // A literal: how is it run?
      let j = i - 1;
      while (j >= 0 && stack[j]!.kind === 'ParenExpr') j--;
      const parent = stack[j];
      if (parent?.kind !== 'CallExpr' || unparen(parent.fun) !== n) break;
      const gp = stack[j - 1];
      if (gp?.kind === 'GoStmt') break;
      if (gp?.kind === 'DeferStmt' && gp.call === parent) {
        if (!deferred) deferred = gp;
        crossedDefer = true;
      }
    }
  }
  return { deferred, loop, handler };
}

function matches(ctx: BannedContext, w: Where): boolean {
  switch (ctx) {
    case 'anywhere': return true;
    case 'defer': return !!w.deferred;
    case 'defer-in-loop': return !!w.deferred && !!w.loop;
    case 'loop': return !!w.loop;
    case 'handler': return !!w.handler;
  }
}

function contextText(file: PassFile, ctx: BannedContext, w: Where): string {
  switch (ctx) {
    case 'anywhere': return 'banned';
    case 'defer': return `banned in deferred calls (deferred on line ${lineOf(file, w.deferred!)})`;
    case 'defer-in-loop': return `banned in deferred calls inside loops (deferred on line ${lineOf(file, w.deferred!)} in the loop on line ${lineOf(file, w.loop!)})`;
    case 'loop': return `banned inside loops (loop on line ${lineOf(file, w.loop!)})`;
    case 'handler': return `banned in request handlers (${funcName(file, w.handler!.fn)} is ${/^[aeiou]/i.test(w.handler!.framework) ? 'an' : 'a'} ${w.handler!.framework})`;
  }
}

function run(pass: Pass): void {
  const entries = pass.options.banned;
  if (entries.length === 0) return;
  const compiled = entries.map((b) => ({ b, re: pattern(b.name) }));
  for (const file of pass.files) {
    file.inspector.withStack(['CallExpr'], (call, stack) => {
      const c = callName(pass, file, call);
      if (!c) return;
      // Without types a method call is named by its receiver's declared type when the source says it.
      const name = c.typed ? c.name : declaredMethodName(pass, file, call) ?? c.name;
      const candidates = compiled.filter((x) => x.re.test(name));
      if (candidates.length === 0) return;
      const w = where(pass, file, call, stack);
      let best: BannedCall | undefined;
      for (const { b } of candidates) {
        if (!matches(b.context, w)) continue;
        if (!best || severityRank(b.severity) > severityRank(best.severity)) best = b;
      }
      if (!best) return;
      const reason = best.reason.trim() ? `: ${best.reason.trim().replace(/[.\s]+$/, '')}` : '';
      const related = [
        ...(w.deferred && best.context.startsWith('defer') ? [{ node: w.deferred as ast.Node, message: 'the defer statement' }] : []),
        ...(w.loop && (best.context === 'loop' || best.context === 'defer-in-loop') ? [{ node: w.loop as ast.Node, message: 'the loop' }] : []),
      ];
      pass.report({
        node: call,
        file,
        severity: best.severity,
        confidence: c.typed ? 'high' : 'medium',
        message: `${displayName(pass, name)} is ${contextText(file, best.context, w)} by the team's ban list${reason}`,
        related,
      });
    });
  }
}

/**
 * Bodies naming a banned call: its bare name (`Exec` for `(*database/sql.DB).Exec`), or, for a
 * pattern, identifiers the bare part matches (`Print*` for `fmt.Print*`).
 */
function needs(o: RuleOptions): BodyNeeds {
  const names = new Set<string>();
  const patterns: RegExp[] = [];
  for (const b of o.banned) {
    const bare = bareName(b.name);
    if (bare.includes('*')) patterns.push(pattern(bare));
    else names.add(bare);
  }
  return bodyNeeds(o, { names: [...names], patterns });
}

export const analyzer: Analyzer = {
  meta: {
    id: ID,
    severity: 'medium',
    summary: 'A call the team bans by qualified name in a context (defer, defer-in-loop, loop, handler, anywhere), with the reason from the configuration.',
    enabledByDefault: true,
    fixable: false,
    category: 'policy',
    docUrl: docUrl(ID),
  },
  needs,
  run,
};
