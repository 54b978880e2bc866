// The Pass given to each analyzer: package facts, files with their shared inspectors, type
// information, options, lazy graphs, and report() turning diagnostics into Findings.
import type * as ast from '../syntax/ast.js';
import { end as nodeEnd, inspect, pos as nodePos } from '../syntax/nodes.js';
import type { TypeInfo } from '../types/api.js';
import { buildCFG, exprStmtCall, isPanicCall, type CFG } from '../types/cfg.js';
import { buildCallGraph, DEFAULT_NO_RETURN, type CallGraph } from '../types/callgraph.js';
import type { Finding, RelatedLocation, RuleMeta, Span } from '../findings/model.js';
import type { Diagnostic, PackageInfo, Pass, PassFile, Range } from './analyzer.js';
import type { RuleOptions } from './options.js';

/** Package-level state shared by the passes of all rules over one package. */
export class PackageContext {
  private nodeFile: WeakMap<ast.Node, PassFile> | undefined;
  private readonly cfgs = new WeakMap<ast.Node, CFG>();
  private callGraphValue: CallGraph | undefined;

  constructor(
    readonly pkg: PackageInfo,
    readonly files: readonly PassFile[],
    readonly types: TypeInfo,
    readonly typesKnown: boolean,
    readonly options: RuleOptions,
    /** Names deferred in the module's other packages (see Pass.deferredElsewhere), read on demand. */
    private readonly moduleDeferred: (() => ReadonlySet<string>) | undefined = undefined,
    /** Whether the text of a module package this one imports matches (see Pass.importedTextMatches). */
    private readonly importedText: ((re: RegExp) => boolean) | undefined = undefined,
    /** A function of another module package with its body (see Pass.moduleFunc). */
    private readonly moduleFuncOf: ((pkg: string, name: string, recv?: string, needle?: string) => ast.FuncDecl | undefined) | undefined = undefined,
  ) {}

  importedTextMatches(re: RegExp): boolean {
    return this.importedText?.(re) ?? false;
  }

  moduleFunc(pkg: string, name: string, recv?: string, needle?: string): ast.FuncDecl | undefined {
    return pkg === this.pkg.importPath ? undefined : this.moduleFuncOf?.(pkg, name, recv, needle);
  }

  private moduleDeferredValue: ReadonlySet<string> | undefined;

  deferredElsewhere(name: string): boolean {
    if (!this.moduleDeferred) return false;
    this.moduleDeferredValue ??= this.moduleDeferred();
    return this.moduleDeferredValue.has(name);
  }

  fileOf(node: ast.Node): PassFile | undefined {
    // One file: it holds every node of the package. A function is still checked, since the
    // declarations of other packages of the module (read for their bodies) come through here too.
    if (this.files.length === 1) return (node.kind !== 'FuncDecl' && node.kind !== 'FuncLit') || this.files[0]!.inspector.has(node) ? this.files[0] : undefined;
    for (const f of this.files) if (f.inspector.has(node)) return f;
    return undefined;
  }

  /** Calls that end the process do not return (panic is handled by the CFG itself). */
  private readonly mayReturn = (call: ast.CallExpr): boolean => {
    const c = this.types.callee(call);
    return !c || !DEFAULT_NO_RETURN.has(c.name);
  };

  /** Per function declaration: whether every path through its body ends in `panic` (see panics). */
  private readonly panickers = new WeakMap<ast.FuncDecl, boolean>();

  /**
   * A call of a function of the module that always panics (`web.Abort(code, msg)` whose body ends
   * in `panic(abort{...})` with no return anywhere): the CFG ends the caller's path there like a
   * panic of its own.
   */
  readonly alwaysPanics = (call: ast.CallExpr): boolean => {
    const c = this.types.callee(call);
    if (!c || (c.kind !== 'func' && c.kind !== 'method') || !c.pkg) return false;
    const decl = c.pkg === this.pkg.importPath ? c.decl : this.moduleFuncOf?.(c.pkg, c.short, c.recv?.name, 'panic');
    if (!decl?.body) return false;
    let v = this.panickers.get(decl);
    if (v === undefined) {
      const list = decl.body.list ?? [];
      const last = list[list.length - 1];
      const lastCall = last ? exprStmtCall(last) : null;
      v = !!lastCall && isPanicCall(lastCall);
      if (v) {
        inspect(decl.body, (x) => {
          if (x.kind === 'ReturnStmt') v = false;
          return v === true && x.kind !== 'FuncLit';
        });
      }
      this.panickers.set(decl, v);
    }
    return v;
  };

  cfg(fn: ast.FuncDecl | ast.FuncLit): CFG | undefined {
    if (!fn.body) return undefined;
    let g = this.cfgs.get(fn);
    if (!g) this.cfgs.set(fn, (g = buildCFG(fn.body, { mayReturn: this.mayReturn })));
    return g;
  }

  callGraph(): CallGraph {
    this.callGraphValue ??= buildCallGraph(this.files.map((f) => f.file), this.types);
    return this.callGraphValue;
  }
}

export class DiagnosticError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DiagnosticError';
  }
}

/** The span of a node or range in a file. */
export function spanOf(file: PassFile, r: Range): Span {
  const a = file.source.position(r.pos);
  const b = file.source.position(Math.max(r.pos, r.end));
  return {
    file: file.path,
    line: a.line,
    column: a.column,
    endLine: b.line,
    endColumn: b.column,
    column16: a.column16,
    endColumn16: b.column16,
    offset: a.offset,
    endOffset: b.offset,
  };
}

function rangeOf(node: ast.Node | undefined, range: Range | undefined): Range {
  if (range) return range;
  if (node) return { pos: nodePos(node), end: nodeEnd(node) };
  throw new DiagnosticError('report needs a node or a range');
}

export class PassImpl implements Pass {
  readonly findings: Finding[] = [];

  constructor(readonly rule: RuleMeta, private readonly ctx: PackageContext) {}

  get pkg(): PackageInfo { return this.ctx.pkg; }
  get files(): readonly PassFile[] { return this.ctx.files; }
  get types(): TypeInfo { return this.ctx.types; }
  get typesKnown(): boolean { return this.ctx.typesKnown; }
  get options(): RuleOptions { return this.ctx.options; }

  fileOf(node: ast.Node): PassFile | undefined {
    return this.ctx.fileOf(node);
  }

  alwaysPanics(call: ast.CallExpr): boolean {
    return this.ctx.alwaysPanics(call);
  }

  cfg(fn: ast.FuncDecl | ast.FuncLit): CFG | undefined {
    return this.ctx.cfg(fn);
  }

  deferredElsewhere(name: string): boolean {
    return this.ctx.deferredElsewhere(name);
  }

  importedTextMatches(re: RegExp): boolean {
    return this.ctx.importedTextMatches(re);
  }

  moduleFunc(pkg: string, name: string, recv?: string, needle?: string): ast.FuncDecl | undefined {
    return this.ctx.moduleFunc(pkg, name, recv, needle);
  }

  callGraph(): CallGraph {
    return this.ctx.callGraph();
  }

  report(d: Diagnostic): void {
    const file = d.file ?? (d.node ? this.fileOf(d.node) : this.files.length === 1 ? this.files[0] : undefined);
    if (!file) throw new DiagnosticError(`rule ${this.rule.id} reported a ${d.node ? d.node.kind : 'range'} whose file is unknown (pass file with range)`);
    const r = rangeOf(d.node, d.range);
    if (r.pos < 0) throw new DiagnosticError(`rule ${this.rule.id} reported a position that is not in the file`);
    const related: RelatedLocation[] = (d.related ?? []).map((x) => {
      const rf = x.file ?? (x.node ? this.fileOf(x.node) ?? file : file);
      return { ...spanOf(rf, rangeOf(x.node, x.range)), message: oneLine(x.message) };
    });
    const finding: Finding = {
      rule: this.rule.id,
      severity: d.severity ?? this.rule.severity,
      confidence: d.confidence ?? 'high',
      message: oneLine(d.message),
      related,
      ...spanOf(file, r),
    };
    if (d.fixes && d.fixes.length > 0) {
      finding.fixes = d.fixes.map((fx) => ({
        message: fx.message,
        edits: fx.edits.map((e) => {
          const er = rangeOf(e.node, e.range);
          return { file: file.path, offset: er.pos, endOffset: er.end, newText: e.newText };
        }),
      }));
    }
    this.findings.push(finding);
  }
}

/**
 * A message on one line: code quoted from a call written over several lines has its line breaks
 * (and the indentation after them) folded into single spaces, as every output format expects.
 */
export function oneLine(message: string): string {
  return message.includes('\n') ? message.replace(/[ \t]*\r?\n\s*/g, ' ') : message;
}
