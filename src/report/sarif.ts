// SARIF 2.1.0 for code scanning: full rule metadata, UTF-16 columns, related locations,
// partial fingerprints and fixes.
import { sarifPartialFingerprints } from '../findings/fingerprint.js';
import type { Finding, RuleMeta, Severity, Span, TextEdit } from '../findings/model.js';
import { editRange, ruleLookup, Sources, toJson, TOOL_URI, toolName, toolVersion, type ReportOptions } from './common.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SRCROOT = 'SRCROOT';

export function sarifLevel(s: Severity): 'error' | 'warning' | 'note' {
  return s === 'critical' || s === 'high' ? 'error' : s === 'medium' ? 'warning' : 'note';
}

function pascal(id: string): string {
  return id.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

function ruleDescriptor(r: RuleMeta) {
  return {
    id: r.id,
    name: pascal(r.id),
    shortDescription: { text: r.summary },
    fullDescription: { text: r.summary },
    help: {
      text: `${r.summary} Documentation: ${r.docUrl}`,
      markdown: `${r.summary.replace(/[\\`*_[\]<>]/g, (c) => '\\' + c)}\n\nSee the [rule documentation](${r.docUrl}).`,
    },
    helpUri: r.docUrl,
    defaultConfiguration: { enabled: r.enabledByDefault, level: sarifLevel(r.severity) },
    properties: {
      tags: [r.category, 'deferguard'].filter((t, i, a) => t !== '' && a.indexOf(t) === i),
      precision: 'high',
      'problem.severity': r.severity === 'low' ? 'recommendation' : sarifLevel(r.severity),
      severity: r.severity,
      fixable: r.fixable,
    },
  };
}

export function format(findings: readonly Finding[], rules: readonly RuleMeta[], opts: ReportOptions = {}): string {
  const src = new Sources(opts.source);
  const lookup = ruleLookup(rules);
  const ordered: RuleMeta[] = [...rules];
  const index = new Map(ordered.map((r, i) => [r.id, i]));
  const extra = [...new Set(findings.map((f) => f.rule).filter((id) => !index.has(id)))].sort();
  for (const id of extra) {
    index.set(id, ordered.length);
    ordered.push(lookup(id, findings.find((f) => f.rule === id)!.severity));
  }

  const region = (s: Span) => {
    const startColumn = s.column16 ?? src.column16(s.file, s.line, s.column);
    const endColumn = s.endColumn16 ?? src.column16(s.file, s.endLine, s.endColumn);
    const r: Record<string, number | object> = { startLine: Math.max(1, s.line), startColumn: Math.max(1, startColumn) };
    if (s.endLine >= s.line && s.endLine > 0) {
      r.endLine = s.endLine;
      if (s.endLine > s.line || endColumn >= startColumn) r.endColumn = Math.max(1, endColumn);
    }
    const snippet = src.line(s.file, s.line);
    if (snippet !== undefined) r.snippet = { text: snippet };
    return r;
  };
  const artifact = (file: string) => ({ uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT });
  const replacement = (e: TextEdit) => {
    const r = editRange(src, e);
    const deletedRegion = r
      ? { startLine: r.startLine, startColumn: src.column16(e.file, r.startLine, r.startColumn), endLine: r.endLine, endColumn: src.column16(e.file, r.endLine, r.endColumn) }
      : { byteOffset: e.offset, byteLength: e.endOffset - e.offset };
    return { deletedRegion, insertedContent: { text: e.newText } };
  };

  const results = findings.map((f) => {
    const result: Record<string, unknown> = {
      ruleId: f.rule,
      ruleIndex: index.get(f.rule),
      level: sarifLevel(f.severity),
      message: { text: f.message },
      locations: [{ physicalLocation: { artifactLocation: artifact(f.file), region: region(f) } }],
    };
    if (f.related.length > 0) {
      result.relatedLocations = f.related.map((r, i) => ({
        id: i + 1,
        physicalLocation: { artifactLocation: artifact(r.file), region: region(r) },
        message: { text: r.message },
      }));
    }
    const pf = sarifPartialFingerprints(f);
    if (Object.keys(pf).length > 0) result.partialFingerprints = pf;
    if (f.fixes && f.fixes.length > 0) {
      result.fixes = f.fixes.map((x) => {
        const byFile = new Map<string, TextEdit[]>();
        for (const e of x.edits) {
          let l = byFile.get(e.file);
          if (!l) byFile.set(e.file, (l = []));
          l.push(e);
        }
        return {
          description: { text: x.message },
          artifactChanges: [...byFile.entries()].map(([file, edits]) => ({
            artifactLocation: artifact(file),
            replacements: [...edits].sort((a, b) => a.offset - b.offset).map(replacement),
          })),
        };
      });
    }
    result.properties = { severity: f.severity, confidence: f.confidence };
    return result;
  });

  const run: Record<string, unknown> = {
    tool: {
      driver: {
        name: toolName(opts),
        version: toolVersion(opts),
        semanticVersion: toolVersion(opts),
        informationUri: TOOL_URI,
        rules: ordered.map(ruleDescriptor),
      },
    },
    originalUriBaseIds: {
      [SRCROOT]: opts.rootUri
        ? { uri: opts.rootUri.endsWith('/') ? opts.rootUri : opts.rootUri + '/' }
        : { description: { text: 'The root of the analysed Go module; result paths are relative to it.' } },
    },
    columnKind: 'utf16CodeUnits',
    results,
  };
  if (opts.timestamp) run.invocations = [{ executionSuccessful: true, endTimeUtc: opts.timestamp }];
  return toJson({ $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] });
}
