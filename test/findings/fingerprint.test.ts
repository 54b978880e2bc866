import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeFingerprints, sarifPartialFingerprints, splitLines, FINGERPRINT_VERSION } from '../../src/findings/fingerprint.js';
import type { Finding } from '../../src/findings/model.js';

const V1 = `package p

func f(files []string) {
	for _, name := range files {
		fh, _ := os.Open(name)
		defer fh.Close()
	}
	for _, name := range files {
		fh, _ := os.Open(name)
		defer fh.Close()
	}
}
`;

function at(src: string, line: number, rule = 'defer-in-loop'): Finding {
  return { rule, severity: 'high', confidence: 'high', message: `file from os.Open on line ${line - 1} stays open`, related: [], file: 'p/f.go', line, column: 3, endLine: line, endColumn: 19 };
}

function fps(src: string, lines: number[]): string[] {
  const provider = (file: string) => (file === 'p/f.go' ? splitLines(src) : undefined);
  return computeFingerprints(lines.map((l) => at(src, l)), provider).map((f) => f.fingerprint!);
}

test('inserting lines above keeps fingerprints; identical lines stay distinct', () => {
  const before = fps(V1, [6, 10]);
  assert.equal(before.length, 2);
  assert.notEqual(before[0], before[1], 'two identical lines get different occurrence indexes');
  assert.match(before[0]!, /^[0-9a-f]{32}$/);
  const moved = V1.replace('package p\n', 'package p\n\nimport "os"\n\n// f closes files.\n');
  assert.deepEqual(fps(moved, [10, 14]), before);
  // Indentation changes do not matter either.
  assert.deepEqual(fps(V1.replace(/\t\tdefer/g, '    \t defer'), [6, 10]), before);
});

test('editing the flagged line changes the fingerprint', () => {
  const before = fps(V1, [6, 10]);
  const edited = V1.replace('\t\tdefer fh.Close()\n\t}\n\tfor', '\t\tdefer fh.Sync()\n\t}\n\tfor');
  const after = fps(edited, [6, 10]);
  assert.notEqual(after[0], before[0]);
  // The second defer is now the first occurrence of its text: it takes the first's old identity.
  assert.equal(after[1], before[0]);
});

test('rule, file and enclosing function are part of the identity', () => {
  const lines = () => splitLines(V1);
  const a = computeFingerprints([at(V1, 6)], lines)[0]!.fingerprint;
  const b = computeFingerprints([at(V1, 6, 'defer-blocking-call')], lines)[0]!.fingerprint;
  const c = computeFingerprints([{ ...at(V1, 6), file: 'q/f.go' }], lines)[0]!.fingerprint;
  const d = computeFingerprints([at(V1, 6)], lines, { enclosingFunction: () => 'g' })[0]!.fingerprint;
  assert.equal(new Set([a, b, c, d]).size, 4);
});

test('without source the message (digits masked) anchors the fingerprint', () => {
  const none = () => undefined;
  const x = computeFingerprints([at(V1, 6)], none)[0]!;
  const y = computeFingerprints([{ ...at(V1, 9), message: 'file from os.Open on line 8 stays open' }], none)[0]!;
  assert.equal(x.fingerprint, y.fingerprint);
  assert.deepEqual(sarifPartialFingerprints(x), { [FINGERPRINT_VERSION]: x.fingerprint });
  assert.deepEqual(sarifPartialFingerprints({ ...x, fingerprint: undefined }), {});
});
