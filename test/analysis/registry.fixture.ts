// A rule registry for the framework tests: one rule that reports every defer, one that throws
// on packages containing a function named boom, one that holds a lot of memory on packages
// containing a function named hog, and one that reports with a bad range.
import type { Analyzer } from '../../src/analysis/analyzer.js';

const meta = (id: string) => ({ id, severity: 'medium' as const, summary: id, enabledByDefault: true, fixable: false, category: 'test', docUrl: '' });

export const analyzers: Analyzer[] = [
  {
    meta: meta('every-defer'),
    run(pass) {
      for (const f of pass.files) {
        f.inspector.withStack(['DeferStmt'], (d, stack) => {
          pass.report({ node: d, message: `defer at depth ${stack.length} in ${pass.pkg.importPath}` });
        });
      }
    },
  },
  {
    meta: meta('hog'),
    run(pass) {
      let hog = false;
      for (const f of pass.files) {
        f.inspector.preorder(['FuncDecl'], (fn) => {
          if (fn.name.name === 'hog') hog = true;
        });
      }
      if (!hog) return;
      // About 200 MB of live arrays, then a finding that says the rule got through.
      const held: number[][] = [];
      for (let i = 0; i < 200; i++) held.push(new Array<number>(128 * 1024).fill(i + 0.5));
      pass.report({ node: pass.files[0]!.file.name, message: `held ${held.length} blocks in ${pass.pkg.importPath}` });
    },
  },
  {
    meta: meta('throws'),
    run(pass) {
      for (const f of pass.files) {
        f.inspector.preorder(['FuncDecl'], (fn) => {
          if (fn.name.name === 'boom') throw new Error('boom found');
        });
      }
    },
  },
];
