// `npm run fuzz`: 10,000 hostile drafts (plus a few of 200,000 characters) through the built-in pack and the real
// tokenizer, checking the invariants of src/node/fuzz.ts. Prints the figures; exits 1 when any draft broke one.
// `--drafts N`, `--seed N`, `--big N` change the run.
import { formatPackError } from '../engine/index';
import { sharedTokenizer } from '../node/dictionary';
import { loadBuiltinPack } from '../node/packs';
import { readCorpus } from '../node/corpus';
import { formatFuzzReport, runFuzz } from '../node/fuzz';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const tokenizer = await sharedTokenizer();
const builtin = await loadBuiltinPack(tokenizer);
if (!builtin.ok) {
  console.error(builtin.errors.map(formatPackError).join('\n'));
  process.exit(2);
}
const cases = readCorpus();
const texts = [...cases.map((c) => c.draft), ...cases.flatMap((c) => (c.customer ? [c.customer] : []))];
const report = runFuzz({ packs: [builtin.pack], tokenizer, texts, drafts: arg('--drafts', 10_000), seed: arg('--seed', 1), big: arg('--big', 3), bigChars: 200_000 });
console.log(formatFuzzReport(report));
for (const f of report.failures.slice(0, 10)) console.log(`\n[${f.invariant}] ${JSON.stringify(f.draft)}\n  ${f.detail.split('\n').join('\n  ')}`);
process.exit(report.throws + report.wrongTotal > 0 ? 1 : 0);
