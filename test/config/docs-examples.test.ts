// The configuration shown in the docs is configuration the loader accepts: every ```yaml block
// in docs/*.md and docs/rules/*.md that looks like a .deferguard.yml (its top-level keys are
// configuration keys) parses without error. Users copy these examples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig, TOP_KEYS } from '../../src/config/config.js';
import { analyzers } from '../../src/rules/index.js';

const DOCS = new URL('../../docs/', import.meta.url).pathname;
const CONFIG_KEYS = Object.keys(TOP_KEYS);

function yamlBlocks(file: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```ya?ml\s*$/.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]!); j++) body.push(lines[j]!.slice(indent));
    out.push({ line: i + 1, text: body.join('\n') + '\n' });
    i = j;
  }
  return out;
}

test('every configuration example in the docs loads', () => {
  const ids = analyzers.map((a) => a.meta.id);
  const files = [
    ...readdirSync(DOCS).filter((f) => f.endsWith('.md')).map((f) => join(DOCS, f)),
    ...readdirSync(join(DOCS, 'rules')).filter((f) => f.endsWith('.md')).map((f) => join(DOCS, 'rules', f)),
  ];
  let checked = 0;
  for (const file of files) {
    for (const b of yamlBlocks(file)) {
      const top = [...b.text.matchAll(/^([A-Za-z][\w-]*):/gm)].map((m) => m[1]!);
      // Blocks of other YAML (GitHub workflows, golangci-lint settings) are not ours.
      if (top.length === 0 || !top.every((k) => CONFIG_KEYS.includes(k))) continue;
      assert.doesNotThrow(() => parseConfig(b.text, '.deferguard.yml', ids), `${file}:${b.line}`);
      checked++;
    }
  }
  assert.ok(checked >= 5, `only ${checked} configuration examples found`);
});
