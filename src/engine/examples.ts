// Examples are a pack's tests: every `flag` example must produce a finding of its rule, every `pass`
// example none, and a `fixed` example must read exactly so after applying a suggestion (the first, or the one its
// `suggestion` names) to the rule's first finding, through the same function the extension's card uses (fix.ts).
import { createEngine } from './engine';
import { applySuggestion } from './fix';
import type { CompiledSignal, Example, LoadedPack } from './model';
import type { Tokenizer } from './tokenizer';

export interface ExampleOutcome {
  rule: string;
  kind: 'flag' | 'pass';
  index: number;
  example: Example;
  passed: boolean;
  /** Why it failed, or that it was skipped. */
  message: string;
  skipped?: boolean;
}

export function runExamples(
  pack: LoadedPack,
  options: { tokenizer: Tokenizer | null; baseSignals?: CompiledSignal[] },
): ExampleOutcome[] {
  const outcomes: ExampleOutcome[] = [];
  const signalPack = { ...pack, rules: [], signals: [...(options.baseSignals ?? []), ...pack.signals] };
  for (const rule of pack.rules) {
    const engine = createEngine({
      packs: [signalPack, { ...pack, signals: [], rules: [{ ...rule, enabled: true }] }],
      tokenizer: options.tokenizer,
    });
    // Signals (read from the customer's message) only decide whether a requirement applies (`when`).
    const needsTokens =
      !!rule.matcher?.needsTokens ||
      [...(rule.require ?? []), ...(rule.then ?? []), ...(rule.notWith ?? [])].some((m) => m.needsTokens) ||
      (rule.when !== undefined && signalPack.signals.some((s) => s.matcher.needsTokens));
    (['flag', 'pass'] as const).forEach((kind) => {
      rule.examples[kind].forEach((example, index) => {
        const base = { rule: rule.id, kind, index, example };
        if (needsTokens && !options.tokenizer) {
          outcomes.push({ ...base, passed: true, skipped: true, message: '形態素解析器がないため未実行' });
          return;
        }
        const { findings } = engine.analyze({ draft: example.draft, customer: example.customer });
        const own = findings.filter((f) => f.rule === rule.id && f.pack === rule.pack);
        if (kind === 'flag' && own.length === 0) {
          outcomes.push({ ...base, passed: false, message: 'flag の例なのに指摘されませんでした' });
        } else if (kind === 'pass' && own.length > 0) {
          const what = own.map((f) => (f.text ? `「${f.text}」` : '返信全体')).join('、');
          outcomes.push({ ...base, passed: false, message: `pass の例なのに ${what} が指摘されました` });
        } else if (kind === 'flag' && example.fixed !== undefined) {
          const f = own[0]!;
          const suggestion = f.suggestions[example.suggestion ?? 0];
          const fixed = suggestion ? applySuggestion(example.draft, f, suggestion)?.text : undefined;
          outcomes.push(
            fixed === example.fixed
              ? { ...base, passed: true, message: 'ok' }
              : { ...base, passed: false, message: `修正後の文が違います: 期待「${example.fixed}」、実際「${fixed ?? '(提案なし)'}」` },
          );
        } else outcomes.push({ ...base, passed: true, message: 'ok' });
      });
    });
  }
  return outcomes;
}
