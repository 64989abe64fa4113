// Every cap the engine applies to hostile input, in one place: the README's "What is guaranteed" and the docs quote
// these numbers. A cap hit while analysing is reported in `AnalyzeResult.limits`; what can be refused when a pack
// loads (a pattern too long, a template that could expand without bound) is refused there with file, line and rule.

export const LIMITS = {
  /** Characters of a draft analysed; the rest is skipped with a notice. */
  maxDraftChars: 100_000,
  /** Findings reported per reply (span findings beyond it are dropped, reply-level ones always kept). */
  maxFindings: 1_000,
  /** Characters of one message or suggestion after `{match}` / `$0` expansion; longer ones are cut. */
  maxExpandedChars: 2_000,
  /** Characters of one message or suggestion template as written in a pack. */
  maxTemplateChars: 2_000,
  /** `$0`..`$9` references in one substitution template, and `{match}` placeholders in one message. */
  maxTemplateReferences: 10,
  /** Elements of one token list (`pattern`, `notFollowedBy`, `notPrecededBy`). */
  maxPatternTokens: 16,
} as const;

/** What was cut while analysing a reply; absent from the result when nothing was. */
export interface AnalyzeLimits {
  /** The draft was longer than `maxDraftChars`: only the first `analysedChars` characters were analysed. */
  draft?: { analysedChars: number; totalChars: number };
  /** Span findings dropped beyond `maxFindings`. */
  droppedFindings?: number;
  /** Messages or suggestions cut at `maxExpandedChars`. */
  truncatedTexts?: number;
  /** Sentences whose token rules could not run because the tokenizer or a matcher failed on them. */
  failedSentences?: number;
}

/** The Japanese sentence the CLI and the panel show for a result whose limits were hit; '' when none were. */
export function describeLimits(limits: AnalyzeLimits | undefined): string {
  if (!limits) return '';
  const parts: string[] = [];
  if (limits.draft) parts.push(`下書きが長いため、最初の ${limits.draft.analysedChars.toLocaleString('en')} 文字だけを確認しました（全体 ${limits.draft.totalChars.toLocaleString('en')} 文字）`);
  if (limits.droppedFindings) parts.push(`指摘が多すぎるため、${LIMITS.maxFindings.toLocaleString('en')} 件を超えた ${limits.droppedFindings.toLocaleString('en')} 件は表示していません`);
  if (limits.truncatedTexts) parts.push(`長すぎるメッセージ・提案 ${limits.truncatedTexts} 件を ${LIMITS.maxExpandedChars.toLocaleString('en')} 文字で切りました`);
  if (limits.failedSentences) parts.push(`${limits.failedSentences} 文は形態素解析ができなかったため、品詞を使うルールを確認していません`);
  return parts.join('。') + (parts.length ? '。' : '');
}
