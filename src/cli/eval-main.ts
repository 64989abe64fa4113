// `npm run eval`: scores the built-in pack on the labelled corpus (test/corpus/*.jsonl) and, beside it, on the blind
// set (test/corpus/blind/*.jsonl); prints per-category figures and every corpus miss, and exits 1 when the corpus is
// below the agreed thresholds (2 when the pack or a corpus cannot be read). `--misses blind` lists the blind misses.
import { createEngine, evaluate, formatMisses, formatPackError, formatReport, thresholdFailures, THRESHOLDS } from '../engine/index';
import { sharedTokenizer } from '../node/dictionary';
import { loadBuiltinPack } from '../node/packs';
import { blindCorpusDir, readCorpus } from '../node/corpus';

const tokenizer = await sharedTokenizer();
const builtin = await loadBuiltinPack(tokenizer);
if (!builtin.ok) {
  console.error(builtin.errors.map(formatPackError).join('\n'));
  process.exit(2);
}
const showBlindMisses = process.argv.includes('blind');

function score(dir?: string) {
  let cases;
  try {
    cases = readCorpus(dir);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  try {
    return evaluate(cases, cases.map((c) => engine.analyze({ draft: c.draft, customer: c.customer })));
  } catch (error) {
    // A label whose text is not in its draft: name the case rather than print a stack trace.
    console.error(`コーパスのラベルが不正です: ${(error as Error).message}`);
    process.exit(2);
  }
}

const engine = createEngine({ packs: [builtin.pack], tokenizer });
const report = score();
const blind = score(blindCorpusDir);
console.log('== corpus (test/corpus)\n' + formatReport(report));
console.log('\n== blind set (test/corpus/blind: written without reading the rules; never tuned on)\n' + formatReport(blind));
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
console.log(`\nside by side: reply-level accuracy corpus ${pct(report.overall.replyAccuracy)} / blind ${pct(blind.overall.replyAccuracy)}; ` +
  `span precision corpus ${pct(report.overall.precision)} / blind ${pct(blind.overall.precision)}; span recall corpus ${pct(report.overall.recall)} / blind ${pct(blind.overall.recall)}`);
if (report.misses.length > 0) console.log(`\ncorpus misses (${report.misses.length}):\n${formatMisses(report)}`);
if (showBlindMisses && blind.misses.length > 0) console.log(`\nblind misses (${blind.misses.length}):\n${formatMisses(blind)}`);
const failures = thresholdFailures(report);
if (failures.length > 0) {
  console.log('\nFAILED thresholds:\n  ' + failures.join('\n  '));
  process.exit(1);
}
console.log(`\nAll corpus categories meet the thresholds (span precision ≥ ${THRESHOLDS.precision}, span recall ≥ ${THRESHOLDS.recall}, reply-level accuracy ≥ ${THRESHOLDS.replyAccuracy}).`);
