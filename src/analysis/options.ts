// Rule options: the parts of the configuration that rules read (the team's ban list, additions to
// the blocking-call catalogue, extra request-handler signatures, per-rule settings). Parsed from
// plain JSON-like data with errors that say where the problem is.
import { isSeverity, type Severity } from '../findings/model.js';

export const BANNED_CONTEXTS = ['defer', 'defer-in-loop', 'loop', 'handler', 'anywhere'] as const;
export type BannedContext = (typeof BANNED_CONTEXTS)[number];

export interface BannedCall {
  /** Qualified callee name as TypeInfo.callee prints it: `os.RemoveAll`, `(*database/sql.DB).Exec`. */
  name: string;
  context: BannedContext;
  severity: Severity;
  reason: string;
}

export interface RuleOptions {
  banned: BannedCall[];
  /** Qualified names added to the blocking-call catalogue. */
  blockingCalls: string[];
  /** Extra handler parameter types (`*github.com/acme/web.Context`), added to the built-in list. */
  handlers: string[];
  /** Free-form settings per rule id. */
  rules: Record<string, Record<string, unknown>>;
}

export function defaultRuleOptions(): RuleOptions {
  return { banned: [], blockingCalls: [], handlers: [], rules: {} };
}

export class OptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptionsError';
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringList(v: unknown, where: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x.trim() === '')) {
    throw new OptionsError(`${where}: expected a list of non-empty strings`);
  }
  return (v as string[]).map((x) => x.trim());
}

/** Validates rule options given as parsed JSON; `source` names the file in errors. */
export function parseRuleOptions(value: unknown, source = 'options'): RuleOptions {
  if (!isObject(value)) throw new OptionsError(`${source}: expected an object`);
  const known = new Set(['banned', 'blockingCalls', 'handlers', 'rules']);
  for (const k of Object.keys(value).sort()) {
    if (!known.has(k)) throw new OptionsError(`${source}: unknown key "${k}" (expected ${[...known].join(', ')})`);
  }
  const out = defaultRuleOptions();
  const banned = value.banned;
  if (banned !== undefined) {
    if (!Array.isArray(banned)) throw new OptionsError(`${source}: banned: expected a list`);
    banned.forEach((b, i) => {
      const where = `${source}: banned[${i}]`;
      if (!isObject(b)) throw new OptionsError(`${where}: expected an object with name, context, severity, reason`);
      if (typeof b.name !== 'string' || b.name.trim() === '') throw new OptionsError(`${where}: name must be a qualified function name such as "os.RemoveAll"`);
      const context = b.context ?? 'anywhere';
      if (typeof context !== 'string' || !(BANNED_CONTEXTS as readonly string[]).includes(context)) {
        throw new OptionsError(`${where}: context must be one of ${BANNED_CONTEXTS.join(', ')}`);
      }
      const severity = b.severity ?? 'medium';
      if (typeof severity !== 'string' || !isSeverity(severity)) throw new OptionsError(`${where}: severity must be critical, high, medium or low`);
      if (b.reason !== undefined && typeof b.reason !== 'string') throw new OptionsError(`${where}: reason must be a string`);
      out.banned.push({ name: b.name.trim(), context: context as BannedContext, severity, reason: typeof b.reason === 'string' ? b.reason : '' });
    });
  }
  out.blockingCalls = stringList(value.blockingCalls, `${source}: blockingCalls`);
  out.handlers = stringList(value.handlers, `${source}: handlers`);
  if (value.rules !== undefined) {
    if (!isObject(value.rules)) throw new OptionsError(`${source}: rules: expected an object keyed by rule id`);
    for (const [id, v] of Object.entries(value.rules)) {
      if (!isObject(v)) throw new OptionsError(`${source}: rules.${id}: expected an object`);
      out.rules[id] = v;
    }
  }
  return out;
}
