// Reading command-line flags the way the commands spell them: `--name value`, `--name=value`,
// short flags, and positional arguments. Errors name the flag.

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export class FlagReader {
  private i = -1;
  private eq = -1;
  /** The current argument as given. */
  arg = '';
  /** The flag name of the current argument (`--format` for `--format=json`). */
  name = '';

  constructor(private readonly args: readonly string[]) {}

  /** Moves to the next argument; false at the end. */
  next(): boolean {
    if (++this.i >= this.args.length) return false;
    this.arg = this.args[this.i]!;
    this.eq = this.arg.startsWith('--') ? this.arg.indexOf('=') : -1;
    this.name = this.eq > 0 ? this.arg.slice(0, this.eq) : this.arg;
    return true;
  }

  /** The flag's value: after `=`, or the next argument. */
  value(): string {
    if (this.eq > 0) return this.arg.slice(this.eq + 1);
    const v = this.args[++this.i];
    if (v === undefined) throw new UsageError(`flag ${this.name} needs a value`);
    return v;
  }

  /** A value that names a file. */
  path(): string {
    const v = this.value();
    if (v.trim() === '') throw new UsageError(`flag ${this.name} needs a file name`);
    return v;
  }

  /** Whether the value was given inline (`--flag=value`). */
  hasInlineValue(): boolean {
    return this.eq > 0;
  }

  /** For boolean flags: `--flag=x` is an error. */
  noValue(): void {
    if (this.eq > 0) throw new UsageError(`flag ${this.name} takes no value`);
  }
}
