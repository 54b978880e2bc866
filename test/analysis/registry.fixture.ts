// A rule registry for the framework tests: one rule that reports every defer, one that throws
// on packages containing a function named boom, and one that reports with a bad range.
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
