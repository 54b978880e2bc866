// Severity routing: what happens to a finding of each severity in CI. Configurable from
// `.deferguard.yml` (`ci.routes`), with the product's default grades.

import { SEVERITIES, compareFindings, isSeverity } from '../findings/model.js';
import type { Finding, Severity } from '../findings/model.js';

export interface RouteActions {
  /** Fail the check (non-zero result). */
  fail: boolean;
  /** Inline PR review comment on the changed line. */
  comment: boolean;
  /** Send to the alert webhooks. */
  alert: boolean;
  /** Labels added to the pull request. */
  labels: string[];
}

export type Routing = Record<Severity, RouteActions>;

/** Every finding is always in the summary; these are the extra actions per severity. */
export const DEFAULT_ROUTING: Routing = {
  critical: { fail: true, comment: true, alert: true, labels: [] },
  high: { fail: false, comment: true, alert: false, labels: ['needs-review'] },
  medium: { fail: false, comment: false, alert: false, labels: [] },
  low: { fail: false, comment: false, alert: false, labels: [] },
};

export class RoutingConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RoutingConfigError';
  }
}

const ACTIONS = ['fail', 'comment', 'alert', 'summary'] as const;

/**
 * Reads routes from configuration. Each severity maps to a list of actions:
 * `fail`, `comment`, `alert`, `summary` (always implied) and `label:<name>`. Severities left
 * out keep their default. Example (YAML): `critical: [fail, comment, alert]`.
 */
export function parseRouting(value: unknown, where = 'ci.routes'): Routing {
  const routing: Routing = structuredClone(DEFAULT_ROUTING);
  if (value === undefined || value === null) return routing;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new RoutingConfigError(`${where} must be a map from severity (${SEVERITIES.join(', ')}) to a list of actions`);
  }
  for (const [sev, actions] of Object.entries(value as Record<string, unknown>)) {
    if (!isSeverity(sev)) throw new RoutingConfigError(`${where}: unknown severity ${JSON.stringify(sev)}; expected one of ${SEVERITIES.join(', ')}`);
    const list = typeof actions === 'string' ? [actions] : actions;
    if (!Array.isArray(list)) throw new RoutingConfigError(`${where}.${sev} must be a list of actions (${ACTIONS.join(', ')}, label:<name>)`);
    const r: RouteActions = { fail: false, comment: false, alert: false, labels: [] };
    for (const a of list) {
      if (typeof a !== 'string') throw new RoutingConfigError(`${where}.${sev}: every action must be a string, got ${JSON.stringify(a)}`);
      const action = a.trim();
      if (action.startsWith('label:')) {
        const name = action.slice('label:'.length).trim();
        if (!name || name.length > 50 || /[,\n\r]/.test(name)) throw new RoutingConfigError(`${where}.${sev}: invalid label in ${JSON.stringify(a)} (1 to 50 characters, no commas)`);
        if (!r.labels.includes(name)) r.labels.push(name);
      } else if (action === 'fail' || action === 'comment' || action === 'alert') {
        r[action] = true;
      } else if (action !== 'summary') {
        throw new RoutingConfigError(`${where}.${sev}: unknown action ${JSON.stringify(a)}; expected one of ${ACTIONS.join(', ')} or label:<name>`);
      }
    }
    routing[sev] = r;
  }
  return routing;
}

export interface RoutedFindings {
  /** Findings that fail the check; the check fails when this is non-empty. */
  failing: Finding[];
  /** Findings to comment inline on (when their line is in the diff). */
  comment: Finding[];
  /** Findings for the alert webhooks. */
  alert: Finding[];
  /** Labels to add to the pull request, sorted. */
  labels: string[];
  /** Everything, for the summary. */
  all: Finding[];
}

export function routeFindings(findings: readonly Finding[], routing: Routing = DEFAULT_ROUTING): RoutedFindings {
  const all = [...findings].sort(compareFindings);
  const labels = new Set<string>();
  const out: RoutedFindings = { failing: [], comment: [], alert: [], labels: [], all };
  for (const f of all) {
    const r = routing[f.severity];
    if (r.fail) out.failing.push(f);
    if (r.comment) out.comment.push(f);
    if (r.alert) out.alert.push(f);
    for (const l of r.labels) labels.add(l);
  }
  out.labels = [...labels].sort();
  return out;
}
