// The engine's public surface. DOM-free: used by the CLI, the tests and the extension alike.
export * from './types';
export { createEngine, TOO_LONG_RULE, type Engine, type EngineOptions } from './engine';
export { LIMITS, describeLimits, type AnalyzeLimits } from './limits';
export { buildTokenizer, type Tokenizer, type DictionaryLoader } from './tokenizer';
export { loadPackText, parsePackText } from './pack-text';
export {
  loadPackData,
  type LoadedPack,
  type CompiledRule,
  type CompiledSignal,
  type PackError,
  type PackResult,
  type LoadOptions,
} from './pack';
export { formatPackError, MAX_PACK_BYTES } from './pack-errors';
export { runExamples, type ExampleOutcome } from './examples';
export {
  suggestionEdit,
  applyEdit,
  applySuggestion,
  fixDraft,
  placementOf,
  SUGGESTION_PLACEMENTS,
  DEFAULT_PLACEHOLDERS,
  PLACEMENT_LABELS,
  type TextEdit,
  type FixOptions,
  type AppliedFix,
  type FixDraftResult,
} from './fix';
export { packSchema } from './pack-schema';
export { splitSentences, lineColumn, escapeRegex } from './text';
export { SEVERITIES, isSeverity, TOKEN_FIELDS, type TokenField } from './vocabulary';
export { compileRegex, MatcherCompileError } from './matcher';
export { formatPath, type Path } from './schema';
export {
  stackPacks,
  qualifiedId,
  AGENT_LAYER,
  type AgentToggles,
  type LockedSettings,
  type LayerIssue,
  type StackResult,
} from './layers';
export type { PackOverride } from './pack';
export {
  evaluate,
  formatReport,
  percent,
  formatMisses,
  thresholdFailures,
  resolveSpan,
  THRESHOLDS,
  type LabelledCase,
  type SpanLabel,
  type EvaluationReport,
  type CategoryScore,
  type ReplyScore,
  type Miss,
} from './evaluation';
