// Entry point of the bundled GitHub Action (dist-action/index.js): with no arguments it runs
// `deferguard ci` from the action's inputs; with arguments it is the deferguard command line.
import { runAction } from './action.js';
import { main } from './main.js';

const argv = process.argv.slice(2);
try {
  process.exitCode = argv.length > 0 ? await main(argv) : await runAction(process.env, { main });
} catch (err) {
  process.stderr.write(`deferguard: internal error: ${err instanceof Error && err.stack ? err.stack : String(err)}\n`);
  process.exitCode = 3;
}
