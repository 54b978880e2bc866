// The report formats by name (--format NAME[=path]).
import type { Finding, RuleMeta } from '../findings/model.js';
import type { Formatter, ReportOptions } from './common.js';
import { format as checkstyle } from './checkstyle.js';
import { format as github } from './github.js';
import { format as golangci } from './golangci.js';
import { format as html } from './html.js';
import { format as json } from './json.js';
import { format as junit } from './junit.js';
import { format as markdown } from './markdown.js';
import { format as rdjson } from './rdjson.js';
import { format as sarif } from './sarif.js';
import { format as text } from './text.js';

export type { Formatter, ReportOptions } from './common.js';

export const FORMATS: Readonly<Record<string, Formatter>> = {
  text,
  json,
  sarif,
  github,
  checkstyle,
  junit,
  rdjson,
  'golangci-json': golangci,
  markdown,
  html,
};

export function formatNames(): string[] {
  return Object.keys(FORMATS).sort();
}

export class UnknownFormatError extends Error {
  constructor(name: string) {
    super(`unknown output format "${name}": use one of ${formatNames().join(', ')}`);
    this.name = 'UnknownFormatError';
  }
}

export function render(formatName: string, findings: readonly Finding[], rules: readonly RuleMeta[], opts: ReportOptions = {}): string {
  const f = Object.hasOwn(FORMATS, formatName) ? FORMATS[formatName] : undefined;
  if (!f) throw new UnknownFormatError(formatName);
  return f(findings, rules, opts);
}
