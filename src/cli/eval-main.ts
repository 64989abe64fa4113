// `npm run eval`: scores the built-in pack on the labelled corpus (test/corpus/*.jsonl), prints per-category
// figures and every miss, and exits 1 below the agreed thresholds (2 when the pack or corpus cannot be read).
import { createEngine, formatPackError } from '../engine/index';
import { evaluate, formatMisses, formatReport, thresholdFailures, THRESHOLDS } from '../engine/evaluation';
import { sharedTokenizer } from '../node/dictionary';
import { loadBuiltinPack } from '../node/packs';
import { readCorpus } from '../node/corpus';

const tokenizer = await sharedTokenizer();
const builtin = await loadBuiltinPack(tokenizer);
if (!builtin.ok) {
  console.error(builtin.errors.map(formatPackError).join('\n'));
  process.exit(2);
}
let cases;
try {
  cases = readCorpus();
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const engine = createEngine({ packs: [builtin.pack], tokenizer });
let report;
try {
  report = evaluate(cases, cases.map((c) => engine.analyze({ draft: c.draft, customer: c.customer })));
} catch (error) {
  // A label whose text is not in its draft: name the case rather than print a stack trace.
  console.error(`コーパスのラベルが不正です: ${(error as Error).message}`);
  process.exit(2);
}
console.log(formatReport(report));
if (report.misses.length > 0) console.log(`\nmisses (${report.misses.length}):\n${formatMisses(report)}`);
const failures = thresholdFailures(report);
if (failures.length > 0) {
  console.log('\nFAILED thresholds:\n  ' + failures.join('\n  '));
  process.exit(1);
}
console.log(`\nAll categories meet the thresholds (span precision ≥ ${THRESHOLDS.precision}, span recall ≥ ${THRESHOLDS.recall}, reply-level accuracy ≥ ${THRESHOLDS.replyAccuracy}).`);
