// deferguard explain <rule>: prints the rule's documentation (docs/rules/<id>.md).
import { readFileSync } from 'node:fs';
import { ruleById, analyzers } from '../rules/index.js';

/** docs/ of the installed package: two levels above src/cli or dist/cli. */
const DOCS = new URL('../../docs/rules/', import.meta.url);

export async function run(args: string[]): Promise<number> {
  if (args.length !== 1 || args[0]!.startsWith('-')) {
    const help = args[0] === '-h' || args[0] === '--help';
    (help ? process.stdout : process.stderr).write('usage: deferguard explain <rule>\n\nPrints the documentation of a rule; "deferguard rules" lists them.\n');
    return help ? 0 : 2;
  }
  const id = args[0]!;
  if (!ruleById(id)) {
    const near = analyzers.map((a) => a.meta.id).filter((x) => x.includes(id) || id.includes(x));
    process.stderr.write(`deferguard explain: unknown rule "${id}"${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}; "deferguard rules" lists them\n`);
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(new URL(`${id}.md`, DOCS), 'utf8');
  } catch (e) {
    process.stderr.write(`deferguard explain: the documentation of ${id} is missing from this installation: ${(e as Error).message}\n`);
    return 3;
  }
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
  return 0;
}
