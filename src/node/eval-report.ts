// Scoring the built-in pack on the labelled corpus and, beside it, on the blind set: shared by `npm run eval` and the
// documents that show its figures (test/docs/eval-report.test.ts keeps them equal to what the code scores).
import { evaluate, formatReport, percent, type Engine, type EvaluationReport } from '../engine/index';
import { blindCorpusDir, readCorpus } from './corpus';

export interface CorpusScores {
  corpus: EvaluationReport;
  blind: EvaluationReport;
}

/** Throws with the case named when a corpus cannot be read or a label is not in its draft. */
export function scoreCorpora(engine: Engine): CorpusScores {
  const score = (dir?: string) => {
    const cases = readCorpus(dir);
    try {
      return evaluate(cases, cases.map((c) => engine.analyze({ draft: c.draft, customer: c.customer })));
    } catch (error) {
      throw new Error(`コーパスのラベルが不正です: ${(error as Error).message}`);
    }
  };
  return { corpus: score(), blind: score(blindCorpusDir) };
}

/** Both reports and the side-by-side line, as `npm run eval` prints them before the misses. */
export function formatScores({ corpus, blind }: CorpusScores): string {
  return [
    '== corpus (test/corpus)',
    formatReport(corpus),
    '',
    '== blind set (test/corpus/blind: written without reading the rules; never tuned on)',
    formatReport(blind),
    '',
    `side by side: reply-level accuracy corpus ${percent(corpus.overall.replyAccuracy)} / blind ${percent(blind.overall.replyAccuracy)}; ` +
      `span precision corpus ${percent(corpus.overall.precision)} / blind ${percent(blind.overall.precision)}; ` +
      `span recall corpus ${percent(corpus.overall.recall)} / blind ${percent(blind.overall.recall)}`,
  ].join('\n');
}
