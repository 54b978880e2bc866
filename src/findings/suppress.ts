// Suppression directives in Go comments:
//   //deferguard:ignore <rule>[,<rule>...] <reason>
//   //nolint   //nolint:all   //nolint:deferguard   //nolint:<rule-id>[,<linter>...] // reason
// A directive that trails code covers its own line. A directive standing alone on its line
// covers the syntax node that starts on the next line at the same column (the whole
// statement, declaration, spec, field or case), or just the next line when no node starts there.
//   //lint:ignore SA5001[,SA9001...] reason   (staticcheck's directive, for its checks that
//                                            match a deferguard rule: STATICCHECK_EQUIVALENTS)
//   //goland:noinspection GoDeferInLoop       (GoLand's, likewise: GOLAND_EQUIVALENTS)
// As with golangci-lint, `// nolint` (space after the slashes) is not a directive.
import type { File } from '../syntax/ast.js';
import type { SourceFile } from '../syntax/source.js';
import type { Finding, RuleMeta, Severity } from './model.js';
import { end, inspect, pos as nodePos } from '../syntax/nodes.js';
import { closest } from './suggest.js';

/** The linter name under which golangci-lint style directives address all deferguard rules. */
export const LINTER_NAME = 'deferguard';

export interface Directive {
  file: string;
  /** 'ignore' for //deferguard:ignore, 'nolint' for //nolint. */
  kind: 'ignore' | 'nolint';
  /** The comment text as written. */
  text: string;
  /** Position of the comment. */
  line: number;
  column: number;
  /** Rule ids this directive suppresses; 'all' for every rule. */
  rules: string[] | 'all';
  /** True when the directive names deferguard or one of its rules explicitly (unused ones can be reported). */
  explicit: boolean;
  reason: string;
  /** Lines covered, inclusive. */
  fromLine: number;
  toLine: number;
}

export type DirectiveProblem = 'missing-reason' | 'unknown-rule' | 'no-rule' | 'unused';

export interface DirectiveDiagnostic {
  file: string;
  line: number;
  column: number;
  problem: DirectiveProblem;
  message: string;
}

export interface CollectOptions {
  /** Path of the file relative to the module root (defaults to src.name). */
  path?: string;
  /** Known rule ids; //deferguard:ignore naming another id gets an 'unknown-rule' diagnostic. */
  knownRules?: ReadonlySet<string>;
}

export interface FileDirectives {
  directives: Directive[];
  diagnostics: DirectiveDiagnostic[];
}

const NOLINT_RE = /^nolint( |:|$)/;
const IGNORE_PREFIX = 'deferguard:ignore';
const LINT_IGNORE_PREFIX = 'lint:ignore ';
const GOLAND_PREFIX = 'goland:noinspection ';

/** GoLand inspections and the deferguard rules that report the same hazard. */
export const GOLAND_EQUIVALENTS: Readonly<Record<string, readonly string[]>> = {
  GoDeferInLoop: ['defer-in-loop', 'defer-in-infinite-loop'], // "defer in loop"
};

/** staticcheck checks and the deferguard rules that report the same hazard. */
export const STATICCHECK_EQUIVALENTS: Readonly<Record<string, readonly string[]>> = {
  SA2003: ['defer-lock-mismatch'], // deferred Lock right after locking
  SA5001: ['defer-before-error-check'], // deferring Close before checking for a possible error
  SA5003: ['defer-in-infinite-loop'], // defers in infinite loops never run
  SA9001: ['defer-in-loop'], // defers in range loops may not run when you expect them to
};

/** UTF-8 lengths without Node's Buffer (this module also runs in the browser). */
const utf8 = new TextEncoder();

/** Collects the suppression directives of one parsed file. */
export function collectDirectives(src: SourceFile, file: File, opts: CollectOptions = {}): FileDirectives {
  const path = opts.path ?? src.name;
  const directives: Directive[] = [];
  const diagnostics: DirectiveDiagnostic[] = [];
  const standalone: { d: Directive; groupEndLine: number; column: number }[] = [];

  for (const group of file.comments ?? []) {
    const list = group.list;
    if (list.length === 0) continue;
    const last = list[list.length - 1]!;
    const groupEndLine = src.position(last.slash + utf8.encode(last.text).length).line;
    for (const c of list) {
      if (!c.text.startsWith('//')) continue;
      const body = c.text.slice(2);
      const pos = src.position(c.slash);
      const parsed = parseDirective(body);
      if (!parsed) continue;
      const d: Directive = {
        file: path,
        kind: parsed.kind,
        text: c.text,
        line: pos.line,
        column: pos.column,
        rules: parsed.rules,
        explicit: parsed.explicit,
        reason: parsed.reason,
        fromLine: pos.line,
        toLine: pos.line,
      };
      if (parsed.kind === 'ignore') {
        if (parsed.rules !== 'all' && parsed.rules.length === 0) {
          diagnostics.push({ file: path, line: pos.line, column: pos.column, problem: 'no-rule',
            message: `//deferguard:ignore names no rule; write //deferguard:ignore <rule>[,<rule>] <reason>` });
          continue;
        }
        if (parsed.reason === '') {
          diagnostics.push({ file: path, line: pos.line, column: pos.column, problem: 'missing-reason',
            message: `//deferguard:ignore ${(parsed.rules as string[]).join(',')} has no reason; add why the finding is acceptable after the rule list` });
        }
        if (opts.knownRules && parsed.rules !== 'all') {
          for (const r of parsed.rules) {
            if (!opts.knownRules.has(r)) {
              diagnostics.push({ file: path, line: pos.line, column: pos.column, problem: 'unknown-rule',
                message: `//deferguard:ignore names unknown rule "${r}"${suggest(r, opts.knownRules)}` });
            }
          }
        }
      }
      directives.push(d);
      if (isAloneOnLine(src, c.slash)) standalone.push({ d, groupEndLine, column: pos.column });
    }
  }

  if (standalone.length > 0) {
    // A standalone directive covers the lines of its comment group and the next line; if a node
    // starts on that next line at the directive's column, the node's whole extent.
    const byStart = new Map<string, number>();
    inspect(file, (n) => {
      if (n.kind === 'File' || n.kind === 'CommentGroup' || n.kind === 'Comment') return;
      const start = nodePos(n);
      const stop = end(n);
      if (start < 0 || stop < start) return;
      const p = src.position(start);
      const key = `${p.line}:${p.column}`;
      const endLine = src.position(Math.max(start, stop - 1)).line;
      byStart.set(key, Math.max(byStart.get(key) ?? 0, endLine));
    });
    for (const s of standalone) {
      const next = s.groupEndLine + 1;
      const nodeEnd = byStart.get(`${next}:${s.column}`);
      s.d.toLine = Math.max(next, nodeEnd ?? next);
    }
  }
  return { directives, diagnostics };
}

interface ParsedDirective {
  kind: 'ignore' | 'nolint';
  rules: string[] | 'all';
  explicit: boolean;
  reason: string;
}

/** Parses the text after `//`; undefined when it is not a directive. */
export function parseDirective(body: string): ParsedDirective | undefined {
  if (body.startsWith(IGNORE_PREFIX) && (body.length === IGNORE_PREFIX.length || /\s/.test(body[IGNORE_PREFIX.length]!))) {
    const rest = body.slice(IGNORE_PREFIX.length).trim();
    const m = /^(\S*)\s*(.*)$/s.exec(rest)!;
    const rules = m[1]!.split(',').map((r) => r.trim().toLowerCase()).filter((r) => r !== '');
    let reason = m[2]!.trim();
    if (reason.startsWith('//')) reason = reason.slice(2).trim();
    return { kind: 'ignore', rules, explicit: true, reason };
  }
  // staticcheck's own directive, `//lint:ignore SA5001,SA9001 reason`: the checks that cover
  // deferguard's ground are honoured for the matching rules, so code a team has already reviewed
  // under staticcheck is not reported again. Other checks are not deferguard's.
  if (body.startsWith(LINT_IGNORE_PREFIX)) {
    const m = /^(\S*)\s*(.*)$/s.exec(body.slice(LINT_IGNORE_PREFIX.length).trim())!;
    const rules = [...new Set(m[1]!.split(',').flatMap((c) => STATICCHECK_EQUIVALENTS[c.trim().toUpperCase()] ?? []))];
    return { kind: 'nolint', rules, explicit: false, reason: m[2]!.trim() };
  }
  // GoLand's `//goland:noinspection GoDeferInLoop` (a comma-separated list of inspections, no
  // reason): the same hazard already reviewed in the IDE.
  if (body.startsWith(GOLAND_PREFIX)) {
    const names = body.slice(GOLAND_PREFIX.length).trim().split(/\s+/)[0]!.split(',');
    const rules = [...new Set(names.flatMap((c) => GOLAND_EQUIVALENTS[c.trim()] ?? []))];
    return { kind: 'nolint', rules, explicit: false, reason: '' };
  }
  if (!NOLINT_RE.test(body)) return undefined;
  const [head, ...tail] = body.split('//');
  const reason = tail.join('//').trim();
  if (!head!.startsWith('nolint:') || head!.startsWith('nolint:all')) {
    return { kind: 'nolint', rules: 'all', explicit: false, reason };
  }
  const names = head!.slice('nolint:'.length).split(',').map((n) => n.trim().toLowerCase());
  if (names.includes('all')) return { kind: 'nolint', rules: 'all', explicit: false, reason };
  if (names.includes(LINTER_NAME)) return { kind: 'nolint', rules: 'all', explicit: true, reason };
  // Names of other linters stay in the list: they simply never match a deferguard rule.
  return { kind: 'nolint', rules: names.filter((n) => n !== ''), explicit: true, reason };
}

function isAloneOnLine(src: SourceFile, offset: number): boolean {
  const start = src.lineStarts[src.lineIndex(offset)]!;
  for (let i = start; i < offset; i++) {
    const b = src.bytes[i]!;
    if (b !== 0x20 && b !== 0x09) return false;
  }
  return true;
}

function suggest(id: string, known: ReadonlySet<string>): string {
  const best = closest(id, known);
  return best ? `; did you mean "${best}"?` : '';
}

function covers(d: Directive, f: Finding): boolean {
  if (d.file !== f.file || f.line < d.fromLine || f.line > d.toLine) return false;
  return d.rules === 'all' || d.rules.includes(f.rule);
}

export interface SuppressionResult {
  /** Findings no directive covers, in input order. */
  kept: Finding[];
  suppressed: { finding: Finding; directive: Directive }[];
  /** Diagnostics for explicit directives (or rules named in them) that matched no finding. */
  unused: DirectiveDiagnostic[];
}

export interface ApplyOptions {
  /**
   * Rules that ran. A directive naming only rules that did not run is not reported unused
   * (golangci-lint does the same for disabled linters). Default: every rule counts as run.
   */
  enabledRules?: ReadonlySet<string>;
  /**
   * All deferguard rule ids. A //nolint list is checked for unused entries only for the names
   * that are deferguard rules (the others belong to other linters). Defaults to enabledRules.
   */
  knownRules?: ReadonlySet<string>;
}

/** Filters findings through the directives and tracks which directives were used. */
export function applySuppressions(findings: readonly Finding[], directives: readonly Directive[], opts: ApplyOptions = {}): SuppressionResult {
  const byFile = new Map<string, Directive[]>();
  for (const d of directives) {
    let list = byFile.get(d.file);
    if (!list) byFile.set(d.file, (list = []));
    list.push(d);
  }
  const usedRules = new Map<Directive, Set<string>>();
  const kept: Finding[] = [];
  const suppressed: { finding: Finding; directive: Directive }[] = [];
  for (const f of findings) {
    const d = (byFile.get(f.file) ?? []).find((x) => covers(x, f));
    if (!d) { kept.push(f); continue; }
    suppressed.push({ finding: f, directive: d });
    let used = usedRules.get(d);
    if (!used) usedRules.set(d, (used = new Set()));
    used.add(f.rule);
    // Every other directive that also covers the finding counts as used too.
    for (const other of byFile.get(f.file)!) {
      if (other !== d && covers(other, f)) {
        let u = usedRules.get(other);
        if (!u) usedRules.set(other, (u = new Set()));
        u.add(f.rule);
      }
    }
  }
  const unused: DirectiveDiagnostic[] = [];
  const ran = (r: string) => !opts.enabledRules || opts.enabledRules.has(r);
  for (const d of directives) {
    if (!d.explicit) continue;
    const used = usedRules.get(d) ?? new Set<string>();
    const where = d.fromLine === d.toLine ? `line ${d.fromLine}` : `lines ${d.fromLine}-${d.toLine}`;
    if (d.rules === 'all') {
      if (used.size === 0) {
        unused.push({ file: d.file, line: d.line, column: d.column, problem: 'unused',
          message: `unused suppression ${d.text.trim()}: no deferguard finding on ${where}` });
      }
      continue;
    }
    const known = opts.knownRules ?? opts.enabledRules;
    const ours = d.kind === 'ignore' ? d.rules : d.rules.filter((r) => known?.has(r) ?? false);
    const idle = ours.filter((r) => ran(r) && !used.has(r));
    if (idle.length > 0) {
      unused.push({ file: d.file, line: d.line, column: d.column, problem: 'unused',
        message: `unused suppression for ${idle.join(', ')}: no ${idle.length === 1 ? 'such finding' : 'findings of these rules'} on ${where}` });
    }
  }
  return { kept, suppressed, unused };
}

/** Rule metadata for directive diagnostics turned into findings (`--report-unused-ignores`). */
export const DIRECTIVE_RULE: RuleMeta = {
  id: 'suppression-directive',
  severity: 'low',
  summary: 'A suppression directive that is unused, names an unknown rule, or lacks a reason.',
  enabledByDefault: true,
  fixable: false,
  category: 'suppressions',
  docUrl: 'https://github.com/deferguard/deferguard/blob/main/docs/suppressions.md',
};

/** Turns directive diagnostics into findings of rule `suppression-directive`. */
export function diagnosticsToFindings(diags: readonly DirectiveDiagnostic[], severity: Severity = 'low'): Finding[] {
  return diags.map((d) => ({
    rule: DIRECTIVE_RULE.id,
    severity,
    confidence: 'high',
    message: d.message,
    related: [],
    file: d.file,
    line: d.line,
    column: d.column,
    endLine: d.line,
    endColumn: d.column,
  }));
}
