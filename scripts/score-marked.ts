// Scores deferguard against Go code whose hazards are marked by hand: every line a tool should
// report carries `// HAZ <rule-id>` (several may share a line), one case per top-level function.
// A marked hazard counts as found when a finding of that rule falls inside the same top-level
// function; any finding outside a marked function of its rule is a false alarm. The cost rules
// that are off by default (defer-not-open-coded, unnecessary-defer) are left out of the counts.
//
//   npm run quality:marked -- testdata/blind/locks-blocking [more dirs] [--verbose]
//
// Each directory is a Go module (nested modules, such as a go1.21 one, are given as their own
// directory). Prints hazards, found and false alarms per rule and per directory.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

interface Finding { rule: string; file: string; line: number; message: string; severity: string; confidence: string }
interface Func { start: number; end: number }
const SKIP = new Set(['defer-not-open-coded', 'unnecessary-defer']);
const bin = resolve(import.meta.dirname, '..', 'bin', 'deferguard.js');

function goFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) goFiles(p, out);
    else if (p.endsWith('.go')) out.push(p);
  }
  return out;
}

function score(dir: string, verbose: boolean): { hazards: number; found: number; extra: number } {
  let out: string;
  try {
    out = execFileSync('node', [bin, 'check', '--no-cache', '--enable-all', '--format', 'json', '--fail-on', 'none', './...'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 });
  } catch (e) {
    out = (e as { stdout: string }).stdout;
  }
  const findings = (JSON.parse(out) as { findings: Finding[] }).findings.filter((f) => !SKIP.has(f.rule));
  const funcs = new Map<string, Func[]>();
  const marks: { file: string; line: number; rule: string }[] = [];
  for (const p of goFiles(dir)) {
    const file = relative(dir, p);
    const list: Func[] = [];
    let cur: Func | undefined;
    readFileSync(p, 'utf8').split('\n').forEach((l, i) => {
      if (/^func /.test(l)) list.push((cur = { start: i + 1, end: /}\s*$/.test(l) && !/{\s*$/.test(l) ? i + 1 : i + 1 }));
      else if (cur && /^}/.test(l)) cur.end = i + 1;
      // `// HAZ rule-a rule-b`: every rule id of the marker.
      for (const m of l.matchAll(/HAZ((?: +[a-z]+(?:-[a-z]+)+)+)/g)) for (const rule of m[1]!.trim().split(/ +/)) marks.push({ file, line: i + 1, rule });
    });
    funcs.set(file, list);
  }
  const fnOf = (file: string, line: number) => (funcs.get(file) ?? []).find((f) => f.start <= line && line <= f.end);
  const used = new Set<Finding>();
  let found = 0;
  const perRule = new Map<string, { hazards: number; found: number; extra: number }>();
  const row = (r: string) => perRule.get(r) ?? (perRule.set(r, { hazards: 0, found: 0, extra: 0 }), perRule.get(r)!);
  for (const m of marks) {
    if (SKIP.has(m.rule)) continue;
    row(m.rule).hazards++;
    const fn = fnOf(m.file, m.line);
    const hits = findings.filter((f) => f.rule === m.rule && f.file === m.file && (fn ? fnOf(f.file, f.line) === fn : f.line === m.line));
    if (hits.length > 0) {
      found++;
      row(m.rule).found++;
      for (const h of hits) used.add(h);
    } else if (verbose) console.log(`  missed ${m.file}:${m.line} ${m.rule}`);
  }
  let extra = 0;
  for (const f of findings) {
    if (used.has(f)) continue;
    extra++;
    row(f.rule).extra++;
    if (verbose) console.log(`  false alarm ${f.file}:${f.line} ${f.rule}: ${f.message.slice(0, 140)}`);
  }
  if (verbose) for (const [r, v] of [...perRule].sort()) console.log(`  ${r.padEnd(30)} hazards ${v.hazards}, found ${v.found}, false alarms ${v.extra}`);
  const hazards = [...perRule.values()].reduce((a, v) => a + v.hazards, 0);
  return { hazards, found, extra };
}

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const dirs = args.filter((a) => a !== '--verbose');
if (dirs.length === 0) {
  console.error('usage: npm run quality:marked -- <dir> [more dirs] [--verbose]');
  process.exit(2);
}
console.log('| corpus | hazards | found | false alarms |\n|---|---:|---:|---:|');
for (const d of dirs) {
  if (verbose) console.log(`${d}:`);
  const s = score(resolve(d), verbose);
  console.log(`| ${d} | ${s.hazards} | ${s.found} | ${s.extra} |`);
}
