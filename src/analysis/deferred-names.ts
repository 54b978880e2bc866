// The names a Go file defers, read from its text: `defer pkg.Name(`, `defer x.Name(`,
// `defer Name(`. A cheap, package-crossing view (comments and strings included, so it only ever
// says more) for questions one package's syntax cannot answer, such as whether another package
// of the module defers a recovering helper. Shared by the engine and the cache key.

/** The deferred function's or method's name is group 1. */
const DEFERRED_NAME = /\bdefer[ \t]+(?:[A-Za-z_][A-Za-z0-9_]*\.)*([A-Za-z_][A-Za-z0-9_]*)[ \t]*\(/g;

// One byte per character: identifiers and keywords are ASCII, whatever the file's other text.
const latin1 = new TextDecoder('latin1');

/** A file's bytes as text, one character per byte (enough for ASCII patterns). */
export function latin1Text(bytes: Uint8Array): string {
  return latin1.decode(bytes);
}

/** The names of the functions and methods a Go file's text defers. */
export function deferredNamesIn(bytes: Uint8Array): Set<string> {
  const out = new Set<string>();
  for (const m of latin1.decode(bytes).matchAll(DEFERRED_NAME)) out.add(m[1]!);
  return out;
}
