// The GitHub Action around `deferguard ci`: turns the action's inputs (INPUT_* variables) into
// command-line arguments and runs the bundled deferguard, or, when the `version` input asks for
// another release, that release through npx. The token input reaches the command through the
// environment only (never argv, which other processes can read).
import { spawn } from 'node:child_process';
import { version } from './main.js';

export type Env = Record<string, string | undefined>;

export class ActionInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActionInputError';
  }
}

/** The value of an action input: GitHub passes `with: { fail-on: high }` as INPUT_FAIL-ON. */
export function input(env: Env, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

function boolInput(env: Env, name: string, dflt: boolean): boolean {
  const v = input(env, name).toLowerCase();
  if (v === '') return dflt;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new ActionInputError(`input ${name} must be true or false, not "${input(env, name)}"`);
}

export interface ActionPlan {
  /** Arguments for `deferguard` (starting with "ci"). */
  args: string[];
  /** A deferguard release other than the bundled one, to run through npx. */
  version: string | undefined;
}

/** The `deferguard ci` command line the inputs describe. */
export function actionPlan(env: Env, bundled = version()): ActionPlan {
  const args = ['ci'];
  const wd = input(env, 'working-directory');
  if (wd !== '' && wd !== '.') args.push('-C', wd);
  const config = input(env, 'config');
  if (config) args.push('--config', config);
  const failOn = input(env, 'fail-on');
  if (failOn) args.push('--fail-on', failOn);
  if (!boolInput(env, 'only-new', true)) args.push('--only-new=false');
  const baseline = input(env, 'baseline');
  if (baseline) args.push('--baseline', baseline);
  const phase = input(env, 'phase') || 'all';
  if (phase !== 'all' && phase !== 'analyse' && phase !== 'analyze' && phase !== 'post') {
    throw new ActionInputError(`input phase must be all, analyse or post, not "${phase}"`);
  }
  // The post phase analyses nothing: paths, SARIF and golangci-lint do not apply.
  if (phase !== 'post') {
    const sarif = input(env, 'sarif');
    if (sarif) args.push('--sarif', sarif);
    if (boolInput(env, 'golangci-lint', false)) args.push('--with-golangci-lint');
  }
  const mode = input(env, 'comment-mode');
  if (mode) args.push('--comment-mode', mode);
  const key = input(env, 'summary-key') || (wd !== '' && wd !== '.' ? wd.replace(/[^A-Za-z0-9._/-]/g, '-').slice(0, 100) : '');
  if (key) args.push('--summary-key', key);
  const checkRun = input(env, 'check-run');
  if (checkRun) args.push('--check-run', checkRun);
  if (phase !== 'all') {
    const artifact = input(env, 'artifact');
    if (!artifact) throw new ActionInputError(`input phase ${phase} needs the artifact input (a directory)`);
    args.push('--phase', phase, '--artifact', artifact);
  }
  if (phase !== 'post') {
    for (const p of input(env, 'paths').split(/\s+/)) if (p !== '') args.push(p);
  }
  const v = input(env, 'version').replace(/^v(?=\d)/, '');
  if (v !== '' && v !== 'bundled' && !/^(?:latest|\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/.test(v)) {
    throw new ActionInputError(`input version must be a release like 1.2.3, latest or bundled, not "${input(env, 'version')}"`);
  }
  return { args, version: v === '' || v === 'bundled' || v === bundled ? undefined : v };
}

export interface RunActionDeps {
  /** Runs the bundled command line. */
  main: (argv: string[]) => Promise<number>;
  /** Runs another release: `npx --yes deferguard@<version> <args>`. */
  spawnNpx?: (args: string[], env: Env) => Promise<number>;
  stderr?: (s: string) => void;
}

function defaultNpx(args: string[], env: Env): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('npx', args, { stdio: 'inherit', env: env as NodeJS.ProcessEnv });
    child.on('error', (e) => {
      process.stderr.write(`deferguard action: cannot run npx: ${e.message}\n`);
      resolve(3);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 3 : 0)));
  });
}

/** The action: exit code of `deferguard ci` (2 for bad inputs). */
export async function runAction(env: Env, deps: RunActionDeps): Promise<number> {
  const stderr = deps.stderr ?? ((s: string) => void process.stderr.write(s));
  let plan: ActionPlan;
  try {
    plan = actionPlan(env);
  } catch (e) {
    if (e instanceof ActionInputError) {
      stderr(`deferguard action: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (plan.version === undefined) return deps.main(plan.args);
  stderr(`deferguard action: running deferguard ${plan.version} from npm (this action bundles ${version()})\n`);
  return (deps.spawnNpx ?? defaultNpx)(['--yes', `deferguard@${plan.version}`, ...plan.args], env);
}
