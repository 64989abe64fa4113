// `npm run eval`: scores the built-in pack on the labelled corpus (test/corpus/*.jsonl) and, beside it, on the blind
// set (test/corpus/blind/*.jsonl); prints per-category figures and every corpus miss, and exits 1 when the corpus is
// below the agreed thresholds (2 when the pack or a corpus cannot be read). `--misses blind` lists the blind misses.
import { createEngine, formatMisses, formatPackError, thresholdFailures, THRESHOLDS } from '../engine/index';
import { sharedTokenizer } from '../node/dictionary';
import { loadBuiltinPack } from '../node/packs';
import { formatScores, scoreCorpora } from '../node/eval-report';

const tokenizer = await sharedTokenizer();
const builtin = await loadBuiltinPack(tokenizer);
if (!builtin.ok) {
  console.error(builtin.errors.map(formatPackError).join('\n'));
  process.exit(2);
}
const showBlindMisses = process.argv.includes('blind');
const engine = createEngine({ packs: [builtin.pack], tokenizer });
let scores;
try {
  scores = scoreCorpora(engine);
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const { corpus: report, blind } = scores;
console.log(formatScores(scores));
if (report.misses.length > 0) console.log(`\ncorpus misses (${report.misses.length}):\n${formatMisses(report)}`);
if (showBlindMisses && blind.misses.length > 0) console.log(`\nblind misses (${blind.misses.length}):\n${formatMisses(blind)}`);
const failures = thresholdFailures(report);
if (failures.length > 0) {
  console.log('\nFAILED thresholds:\n  ' + failures.join('\n  '));
  process.exit(1);
}
console.log(`\nAll corpus categories meet the thresholds (span precision ≥ ${THRESHOLDS.precision}, span recall ≥ ${THRESHOLDS.recall}, reply-level accuracy ≥ ${THRESHOLDS.replyAccuracy}).`);
