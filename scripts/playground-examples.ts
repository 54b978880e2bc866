// The playground's examples: one per rule, cut from the rule's fixtures (testdata/rules/<id>/).
// For each rule the fixture files with `// want` lines are tried in order (positive.go first,
// then the shorter ones); the `// want` comments are removed, the file is cut down to the
// functions that carry the first findings and the declarations they use, and the excerpt is kept
// when the analysis of the excerpt alone reports its rule. If no excerpt does, the whole file is
// tried. Rule options the fixture module sets (deferguard.json) travel with the example.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type * as ast from '../src/syntax/ast.js';
import { parseFile } from '../src/syntax/parser.js';
import { end as nodeEnd, pos as nodePos } from '../src/syntax/nodes.js';
import { analyzeFiles } from '../src/analysis/memory.js';
import { parseRuleOptions, type RuleOptions } from '../src/analysis/options.js';
import { analyzers } from '../src/rules/index.js';

export interface Example {
  rule: string;
  /** The fixture it was cut from, relative to the repository. */
  from: string;
  /** The module's go directive, e.g. "1.22". */
  goVersion: string;
  source: string;
  /** Rule options (the ban list, blocking-call additions) the example needs, if any. */
  options?: RuleOptions;
}

export const PLAY_MODULE = 'example.com/play';
export const PLAY_FILE = 'main.go';

const REPO = new URL('../', import.meta.url).pathname;
const FIXTURES = join(REPO, 'testdata/rules');

function goFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...goFiles(p));
    else if (name.endsWith('.go') && !name.endsWith('_test.go')) out.push(p);
  }
  return out;
}

/** The nearest directory at or above `file` (within the rule's fixture root) holding `name`. */
function upward(file: string, top: string, name: string): string | undefined {
  for (let d = dirname(file); d.startsWith(top); d = dirname(d)) {
    if (existsSync(join(d, name))) return join(d, name);
    if (d === top) break;
  }
  return undefined;
}

const WANT = /\s*\/\/\s*want\s.*$/;

/** The file without its `// want` comments (lines holding nothing else are dropped). */
export function stripWants(text: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (!WANT.test(line)) {
      out.push(line);
      continue;
    }
    const rest = line.replace(WANT, '');
    if (rest.trim() !== '') out.push(rest);
  }
  return out.join('\n');
}

function declNames(d: ast.Decl): string[] {
  if (d.kind === 'FuncDecl') return d.recv ? [] : [d.name.name];
  if (d.kind !== 'GenDecl') return [];
  const names: string[] = [];
  for (const s of d.specs ?? []) {
    if (s.kind === 'TypeSpec') names.push(s.name.name);
    else if (s.kind === 'ValueSpec') names.push(...s.names.map((n) => n.name));
  }
  return names;
}

function receiverType(d: ast.FuncDecl): string | undefined {
  let t = d.recv?.list?.[0]?.type ?? null;
  while (t && (t.kind === 'StarExpr' || t.kind === 'IndexExpr' || t.kind === 'IndexListExpr')) t = t.x;
  return t && t.kind === 'Ident' ? t.name : undefined;
}

/**
 * Cuts `text` down to the first `keep` functions that contain one of `lines` (1-based), plus the
 * declarations they refer to by name (methods follow their type), and the imports still used.
 */
export function excerpt(text: string, lines: readonly number[], keep = 2): string | undefined {
  const bytes = Buffer.from(text, 'utf8');
  const p = parseFile('x.go', bytes);
  if (p.errors.length > 0) return undefined;
  const f = p.file;
  const decls = f.decls ?? [];
  const start = (d: ast.Decl) => nodePos(d.kind !== 'BadDecl' && d.doc ? d.doc : d);
  const slice = (d: ast.Decl) => bytes.subarray(start(d), nodeEnd(d)).toString('utf8');
  const lineOf = (off: number) => p.source.position(off).line;
  const chosen = new Set<ast.Decl>();
  for (const d of decls) {
    if (d.kind !== 'FuncDecl' || chosen.size >= keep) continue;
    const a = lineOf(nodePos(d));
    const b = lineOf(nodeEnd(d));
    if (lines.some((l) => l >= a && l <= b)) chosen.add(d);
  }
  if (chosen.size === 0) return undefined;
  // Add what the kept text names, until nothing changes.
  for (let changed = true; changed; ) {
    changed = false;
    const kept = [...chosen].map(slice).join('\n');
    const used = (name: string) => new RegExp(`\\b${name}\\b`).test(kept);
    for (const d of decls) {
      if (chosen.has(d) || d.kind === 'BadDecl' || (d.kind === 'GenDecl' && d.tok === 'import')) continue;
      const hit = d.kind === 'FuncDecl' && d.recv ? (receiverType(d) !== undefined && used(receiverType(d)!) && used(d.name.name)) : declNames(d).some(used);
      if (hit) {
        chosen.add(d);
        changed = true;
      }
    }
  }
  const body = decls.filter((d) => chosen.has(d)).map(slice);
  const text2 = body.join('\n\n');
  const imports: string[] = [];
  for (const s of f.imports) {
    const path = JSON.parse(s.path.value.replace(/^`|`$/g, '"')) as string;
    const name = s.name?.name ?? path.slice(path.lastIndexOf('/') + 1).replace(/^go-|[.-]go$/g, '');
    if (name === '_' || name === '.' || new RegExp(`\\b${name}\\.`).test(text2)) imports.push(s.name ? `${s.name.name} ${s.path.value}` : s.path.value);
  }
  const head = `package ${f.name.name}\n`;
  const imp = imports.length === 0 ? '' : imports.length === 1 ? `\nimport ${imports[0]}\n` : `\nimport (\n${imports.map((i) => `\t${i}`).join('\n')}\n)\n`;
  return `${head}${imp}\n${text2}\n`;
}

function analyseOne(rule: string, source: string, goVersion: string, options: RuleOptions | undefined): number[] {
  const r = analyzeFiles({
    files: new Map([[PLAY_FILE, source]]),
    modulePath: PLAY_MODULE,
    goVersion,
    analyzers,
    enable: [rule],
    ...(options ? { options } : {}),
  });
  return r.findings.filter((f) => f.rule === rule).map((f) => f.line);
}

/** One example per rule id that has fixtures, in the registry's order. */
export function collectExamples(): Example[] {
  const out: Example[] = [];
  for (const a of analyzers) {
    const rule = a.meta.id;
    const top = join(FIXTURES, rule);
    if (!existsSync(top)) continue;
    const candidates = goFiles(top)
      .map((file) => ({ file, text: readFileSync(file, 'utf8') }))
      .filter((c) => /\/\/\s*want\s/.test(c.text))
      .sort((x, y) => Number(!/positive/.test(x.file)) - Number(!/positive/.test(y.file)) || x.text.length - y.text.length || (x.file < y.file ? -1 : 1));
    let found: Example | undefined;
    for (const c of candidates) {
      const gomod = upward(c.file, top, 'go.mod');
      const goVersion = (gomod && /^go\s+(\S+)/m.exec(readFileSync(gomod, 'utf8'))?.[1]) || '1.22';
      const cfg = upward(c.file, top, 'deferguard.json');
      const options = cfg ? parseRuleOptions(JSON.parse(readFileSync(cfg, 'utf8')) as unknown, relative(REPO, cfg)) : undefined;
      const whole = stripWants(c.text);
      const lines = analyseOne(rule, whole, goVersion, options);
      if (lines.length === 0) continue;
      const cut = excerpt(whole, lines);
      const source = cut && analyseOne(rule, cut, goVersion, options).length > 0 ? cut : whole;
      found = { rule, from: relative(REPO, c.file), goVersion, source, ...(options ? { options } : {}) };
      break;
    }
    if (found) out.push(found);
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const xs = collectExamples();
  for (const x of xs) process.stdout.write(`${x.rule.padEnd(32)} ${String(x.source.split('\n').length).padStart(4)} lines  from ${x.from}\n`);
}
