// The contract between the driver and the rules: an Analyzer is rule metadata plus a run
// function over a Pass (one package), as in golang.org/x/tools/go/analysis.
import type * as ast from '../syntax/ast.js';
import type { SourceFile } from '../syntax/source.js';
import type { TypeInfo } from '../types/api.js';
import type { CFG } from '../types/cfg.js';
import type { CallGraph } from '../types/callgraph.js';
import type { Confidence, RuleMeta, Severity } from '../findings/model.js';
import type { FileInspector } from './inspector.js';
import type { RuleOptions } from './options.js';

export interface Analyzer {
  meta: RuleMeta;
  /** Longer description (the rule's doc page is the full text). */
  doc?: string;
  /**
   * Which function bodies the rule can find anything in (see analysis/prune.ts). Bodies that
   * matter to no enabled rule are emptied before type checking. Without it, nothing is pruned.
   */
  needs?(options: RuleOptions): BodyNeeds;
  run(pass: Pass): void;
}

/** Node kinds and identifiers, by syntax (`names` match identifiers and selector names). */
export interface BodyMatch {
  kinds?: ast.NodeKind[];
  names?: string[];
  /** Identifiers matching one of these (names given as patterns, such as ban-list wildcards). */
  patterns?: RegExp[];
  /** A channel receive `<-ch`. */
  receive?: boolean;
}

/** What a rule needs of function bodies (see analysis/prune.ts for how it is used). */
export interface BodyNeeds {
  /** Bodies the rule reports in: those containing one of these. */
  subjects: BodyMatch;
  /** What makes a callee's body matter to the functions that call it (an exit, a blocking call, a lock...). */
  sources?: BodyMatch;
  /**
   * Names whose every mention in the package matters: `deferred`, the names deferred by subject
   * bodies; `containing`, the names of functions containing one of these identifiers.
   */
  watch?: {
    deferred?: boolean;
    containing?: string[];
    /** Subject functions that return a channel: every body naming one (its callers) is kept. */
    returnedChans?: boolean;
    /**
     * Channel fields named by deferred code: the bodies that make, serve or send in a select on a
     * field of that name are kept (whether a deferred send or receive on it can wait).
     */
    chanFields?: boolean;
  };
}

/** One file of the package under analysis. */
export interface PassFile {
  /** Path relative to the module root, slash-separated. */
  path: string;
  /** Base name. */
  name: string;
  file: ast.File;
  source: SourceFile;
  /** Effective language version ("go1.22"). */
  goVersion: string;
  /** Carries the `// Code generated ... DO NOT EDIT.` marker. */
  generated: boolean;
  /** A _test.go file. */
  test: boolean;
  /** The recorded traversal of this file, shared by all rules. */
  inspector: FileInspector;
}

export interface PackageInfo {
  importPath: string;
  name: string;
  /** Directory relative to the module root ("." for the root). */
  dir: string;
  /** Absolute directory that all paths are relative to. */
  moduleRoot: string;
  /** Module path ("" outside a module). */
  modulePath: string;
  /** Language version of the module's go directive ("go1.22"; "go1.16" without one). */
  moduleGoVersion: string;
}

/** A byte range [pos, end) of one file. */
export interface Range {
  pos: number;
  end: number;
}

export interface RelatedInput {
  node?: ast.Node;
  range?: Range;
  /** Defaults to the file of the finding. */
  file?: PassFile;
  message: string;
}

export interface EditInput {
  node?: ast.Node;
  range?: Range;
  newText: string;
}

export interface FixInput {
  message: string;
  /** Edits of the finding's own file. */
  edits: EditInput[];
}

export interface Diagnostic {
  /** What to point at: a node, or a byte range. */
  node?: ast.Node;
  range?: Range;
  /** The node's file; found from the node when omitted. */
  file?: PassFile;
  message: string;
  /** Defaults to the rule's severity. */
  severity?: Severity;
  /** Defaults to high. */
  confidence?: Confidence;
  related?: RelatedInput[];
  fixes?: FixInput[];
}

export interface Pass {
  readonly rule: RuleMeta;
  readonly pkg: PackageInfo;
  /** Files without syntax errors, in path order. */
  readonly files: readonly PassFile[];
  /** Type information; questions it cannot answer come back undefined. */
  readonly types: TypeInfo;
  /** False when the package could not be type-checked and `types` knows nothing. */
  readonly typesKnown: boolean;
  readonly options: RuleOptions;
  /** The file a node of this package belongs to. */
  fileOf(node: ast.Node): PassFile | undefined;
  /** Control-flow graph of a function's body, built on first use and shared by all rules; undefined without a body. */
  cfg(fn: ast.FuncDecl | ast.FuncLit): CFG | undefined;
  /**
   * Whether a call is of a function of the module that always panics: its body ends in `panic`
   * and has no return (`func Abort(code int, msg string) { panic(abortSignal{code, msg}) }`).
   */
  alwaysPanics(call: ast.CallExpr): boolean;
  /** The package's call graph, built on first use and shared by all rules. */
  callGraph(): CallGraph;
  /**
   * Whether a file of another package of the module defers a call of a function or method with
   * this name (`defer pkg.Name(...)`, `defer x.Name(...)`), by text. Read on first use; false
   * when the module's other packages are not at hand.
   */
  deferredElsewhere(name: string): boolean;
  /**
   * Whether the source text of a package of the module that this package imports, directly or
   * not, matches the pattern (`signal\.Notify\(` in a helper package). False when the module's
   * other packages are not at hand.
   */
  importedTextMatches(re: RegExp): boolean;
  /**
   * The declaration of a function (or of a method of the named receiver type) of another package
   * of the module, parsed with its body on first use: what a helper of the module does when it is
   * deferred (`defer safe.Recover(log)`). Its nodes have no type information. Undefined when the
   * package is not one of the module's or the module is not at hand, and, with a needle, when the
   * declaration's text does not contain it (then nothing is parsed: `'recover'`).
   */
  moduleFunc(pkg: string, name: string, recv?: string, needle?: string): ast.FuncDecl | undefined;
  report(d: Diagnostic): void;
}
