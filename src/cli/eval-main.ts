// `npm run eval`: scores the built-in pack on the labelled corpus and fails below the agreed thresholds.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createEngine, formatPackError } from '../engine/index';
import { evaluate, formatReport, type LabelledCase } from '../engine/evaluation';
import { sharedTokenizer } from '../node/dictionary';
import { loadBuiltinPack, projectRoot } from '../node/packs';

export const THRESHOLDS = { precision: 0.95, recall: 0.9, replyAccuracy: 0.9 };

export function readCorpus(dir = path.join(projectRoot, 'test', 'corpus')): LabelledCase[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((f) =>
      readFileSync(path.join(dir, f), 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as LabelledCase),
    );
}

const tokenizer = await sharedTokenizer();
const builtin = await loadBuiltinPack(tokenizer);
if (!builtin.ok) {
  console.error(builtin.errors.map(formatPackError).join('\n'));
  process.exit(2);
}
const engine = createEngine({ packs: [builtin.pack], tokenizer });
const cases = readCorpus();
const report = evaluate(cases, cases.map((c) => engine.analyze({ draft: c.draft, customer: c.customer })));
console.log(formatReport(report));
if (process.argv.includes('--misses')) {
  for (const m of report.misses) console.log(`  ${m.kind.padEnd(14)} ${m.id.padEnd(16)} ${m.category.padEnd(24)} ${m.text}${m.detail ? ` (${m.detail})` : ''}`);
} else if (report.misses.length > 0) console.log(`(${report.misses.length} misses; run with --misses to list them)`);
const failures: string[] = [];
for (const s of report.spans) {
  if (s.precision < THRESHOLDS.precision) failures.push(`${s.category}: span precision ${s.precision.toFixed(3)} < ${THRESHOLDS.precision}`);
  if (s.recall < THRESHOLDS.recall) failures.push(`${s.category}: span recall ${s.recall.toFixed(3)} < ${THRESHOLDS.recall}`);
}
for (const r of report.replies) {
  if (r.accuracy < THRESHOLDS.replyAccuracy) failures.push(`${r.category}: reply-level accuracy ${r.accuracy.toFixed(3)} < ${THRESHOLDS.replyAccuracy}`);
}
if (failures.length > 0) {
  console.log('\nFAILED thresholds:\n  ' + failures.join('\n  '));
  process.exit(1);
}
console.log('\nAll categories meet the thresholds (span precision ≥ 0.95, span recall ≥ 0.90, reply-level accuracy ≥ 0.90).');
