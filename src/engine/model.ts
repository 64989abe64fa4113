// The shapes of a loaded pack: what pack.ts produces and the engine, the examples and the layering read. Types only,
// kept apart from pack.ts so that the engine does not import the loader that runs it (pack.ts → examples.ts →
// engine.ts would otherwise lead back to pack.ts).
import type { Matcher } from './matcher';
import type { Severity, Suggestion } from './types';

export type RuleKind = 'phrase' | 'morpheme' | 'substitution' | 'requirement' | 'conditional';

export interface Example {
  draft: string;
  customer?: string;
  fixed?: string;
  /** Which suggestion `fixed` applies (0-based, default 0). */
  suggestion?: number;
}

export type When = 'always' | { any?: string[]; all?: string[]; none?: string[] };

export interface CompiledRule {
  pack: string;
  id: string;
  kind: RuleKind;
  category: string;
  severity: Severity;
  message: string;
  description?: string;
  link?: string;
  enabled: boolean;
  /** 'safe': `kizuki check --fix` applies the first suggestion unattended (see fix.ts, fixDraft). */
  fix?: 'safe';
  /** Span rules: what to flag. Conditional rules: the `if` part. */
  matcher?: Matcher;
  suggestions: Suggestion[];
  /** Substitution templates ($0, $1 …). */
  replace?: Suggestion[];
  once: boolean;
  minOccurrences: number;
  label?: string;
  when?: When;
  withoutCustomer?: 'required' | 'not-required';
  /** Requirement rules: a reply that does it anyway shows it done, even when no signal asked for it (see engine). */
  creditWhenPresent?: boolean;
  require?: Matcher[];
  /** Requirement rules: not required when one of these question signals fired and the reply contains an answer. */
  answered?: { questions: string[]; answers: Matcher[] };
  then?: Matcher[];
  notWith?: Matcher[];
  examples: { flag: Example[]; pass: Example[] };
  /** Ids of the later packs (or `@agent`) that changed this rule through overrides, in order. */
  overriddenBy?: string[];
  /** Line of the rule in its pack file, for messages about it. */
  line?: number;
  /** Id of the later pack whose rule of the same id replaced this one (see layers.ts). */
  shadowedBy?: string;
}

/** A change a pack makes to a rule of a pack loaded before it. */
export interface PackOverride {
  /** `pack/id`, or a bare id meaning that id in every earlier pack. */
  rule: string;
  enabled?: boolean;
  severity?: Severity;
  message?: string;
  description?: string;
  link?: string;
  /** Marks an earlier pack's rule safe for `kizuki check --fix`. */
  fix?: 'safe';
  /** Position in the pack, for error messages. */
  index: number;
  line?: number;
}

export interface CompiledSignal {
  pack: string;
  id: string;
  label: string;
  capture: boolean;
  /** Signals that cancel this one when they fire anywhere in the message (「解決しました」 followed by a new question). */
  unless: string[];
  matcher: Matcher;
}

export interface LoadedPack {
  id: string;
  name: string;
  version: string;
  description?: string;
  /** The check before sending that the pack asks for (the managed policy and earlier layers decide who wins). */
  sendCheck?: 'off' | 'nudge' | 'confirm';
  file: string;
  rules: CompiledRule[];
  signals: CompiledSignal[];
  overrides: PackOverride[];
}

export interface PackError {
  file: string;
  /** Rule id, when the error is inside a rule. */
  rule?: string;
  /** Field path such as `rules[2].pattern[0].pos`. */
  path?: string;
  line?: number;
  message: string;
  /** The failing example, for example failures. */
  example?: string;
}

export type PackResult = { ok: true; pack: LoadedPack } | { ok: false; errors: PackError[] };
