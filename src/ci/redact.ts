// Keeps secrets (API tokens, webhook URLs) out of every message deferguard prints or throws.

const REDACTED = '***';

/** URL query parameters whose values are secrets wherever they appear. */
const SECRET_PARAMS = /([?&](?:token|access_token|key|api_key|apikey|sig|signature|secret|code)=)[^&#\s]+/gi;
/** Credentials embedded in a URL (https://user:pass@host). */
const URL_CREDENTIALS = /\b(https?:\/\/)[^/\s:@]+(?::[^/\s@]*)?@/gi;
/** Well-known token shapes, redacted even when nobody registered them. */
const TOKEN_SHAPES = /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abprs]-[A-Za-z0-9-]{10,})\b/g;
/** Slack and Discord webhook paths are secrets in themselves. */
const WEBHOOK_PATHS = /\b(https?:\/\/(?:hooks\.slack\.com|[a-z0-9.-]*discord(?:app)?\.com\/api\/webhooks))\/[^\s"'<>]+/gi;

export class Redactor {
  private readonly secrets = new Set<string>();

  constructor(secrets: Iterable<string | undefined> = []) {
    for (const s of secrets) this.add(s);
  }

  /** Registers a secret. Short strings are ignored: redacting "a" would destroy every message. */
  add(secret: string | undefined): void {
    if (!secret || secret.length < 6) return;
    this.secrets.add(secret);
    // The same secret may appear percent-encoded in URLs or base64-encoded in Basic auth.
    const enc = encodeURIComponent(secret);
    if (enc !== secret) this.secrets.add(enc);
    this.secrets.add(Buffer.from(secret, 'utf8').toString('base64'));
  }

  /** Registers a webhook URL: the whole URL, and its path (which carries the secret). */
  addUrl(url: string | undefined): void {
    if (!url) return;
    this.add(url);
    try {
      const u = new URL(url);
      if (u.pathname.length > 1) this.add(u.pathname + u.search);
      if (u.password) this.add(u.password);
      if (u.username) this.add(u.username);
    } catch {
      // not a URL: the whole string is already registered
    }
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret containing another is removed whole.
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join(REDACTED);
    return out
      .replace(WEBHOOK_PATHS, `$1/${REDACTED}`)
      .replace(URL_CREDENTIALS, `$1${REDACTED}@`)
      .replace(SECRET_PARAMS, `$1${REDACTED}`)
      .replace(TOKEN_SHAPES, REDACTED);
  }

  /** A URL safe to show: origin and path, secrets removed. */
  describeUrl(url: string): string {
    return this.redact(url);
  }
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

/** A logger that passes every message through a redactor first. */
export function redactingLogger(inner: Logger, redactor: Redactor): Logger {
  return {
    info: (m) => inner.info(redactor.redact(m)),
    warn: (m) => inner.warn(redactor.redact(m)),
    debug: (m) => inner.debug(redactor.redact(m)),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, debug() {} };

/** Logs to stderr; debug lines only when DEFERGUARD_DEBUG is set. */
export function stderrLogger(debug = process.env.DEFERGUARD_DEBUG !== undefined): Logger {
  return {
    info: (m) => process.stderr.write(`deferguard: ${m}\n`),
    warn: (m) => process.stderr.write(`deferguard: warning: ${m}\n`),
    debug: (m) => {
      if (debug) process.stderr.write(`deferguard: debug: ${m}\n`);
    },
  };
}
