// Regenerates every dump with the installed Go and checks that the parsers still understand the
// output of this Go version. Skipped (with the reason) when go is not installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDumps, goVersion } from '../../scripts/gen-runtime-dumps.js';
import { parseDump, parseTraceback } from '../../src/runtime/goroutines.js';
import { analyze } from '../../src/runtime/group.js';

const version = goVersion();

test('dumps produced by the installed Go parse and analyse', { skip: version ? false : 'go is not installed: cannot regenerate goroutine dumps', timeout: 600_000 }, () => {
  const out = mkdtempSync(join(tmpdir(), 'deferguard-gen-'));
  try {
    const r = generateDumps(out);
    const read = (n: string) => readFileSync(join(out, n), 'utf8');
    for (const s of r.skipped) console.log(`# ${version}: skipped ${s.name}: ${s.reason}`);
    for (const name of r.written) {
      const d = parseDump(read(name));
      const a = analyze(d);
      assert.ok(a.groups.length > 0, name);
      assert.equal(a.groups.reduce((n, g) => n + g.count, 0), a.total, name);
    }
    const d2 = parseTraceback(read('goroutine-debug2.txt'));
    const leaks = d2.goroutines.filter((g) => g.frames[0]?.func === 'main.startLeaks.func1');
    assert.equal(leaks.length, 3);
    assert.ok(d2.goroutines.some((g) => g.lockedToThread));
    assert.ok(d2.goroutines.some((g) => g.elided));
    const d1 = parseDump(read('goroutine-debug1.txt'));
    assert.ok(d1.format === 'debug1' && d1.groups.some((g) => g.labels?.tenant === 'acme "east"'));
    assert.ok(parseTraceback(read('panic-tracebackancestors.txt')).goroutines.some((g) => g.ancestors.length > 0));
    assert.equal(parseTraceback(read('sigquit.txt')).signal, 'SIGQUIT: quit');
    assert.deepEqual(parseTraceback(read('test-timeout.txt')).testTimeout?.running, ['TestHangsOnWaitGroup']);
    const withSource = analyze(d2, {
      sourceLine: (file, line) => {
        try {
          return readFileSync(file, 'utf8').split('\n')[line - 1];
        } catch {
          return undefined;
        }
      },
    });
    const callers = withSource.groups.filter((g) => g.stuckDefer).map((g) => g.stuckDefer!.caller.func).sort();
    assert.deepEqual(callers, ['main.abortJob', 'main.closeWithFlush', 'main.drainAll', 'main.handlerWithDeferredWait', 'main.recoverAndReport']);
    if (r.written.includes('goroutineleak-debug2.txt')) {
      const leak = parseTraceback(read('goroutineleak-debug2.txt'));
      assert.equal(leak.goroutines.filter((g) => g.leaked && g.frames[0]?.func === 'main.startLeaks.func1').length, 3);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
