// The engine's public data shapes. Everything here is plain JSON so that findings can cross
// process boundaries (CLI output, extension messaging) unchanged.

import type { AnalyzeLimits } from './limits';
import type { Severity } from './vocabulary';

export type { Severity } from './vocabulary';

/** A token as produced by kuromoji/IPADIC, with offsets into the analysed text. */
export interface Token {
  surface: string;
  pos: string;
  pos_detail_1: string;
  pos_detail_2: string;
  pos_detail_3: string;
  conjugated_type: string;
  conjugated_form: string;
  basic_form: string;
  reading: string;
  pronunciation: string;
  /** UTF-16 offset of the token's first code unit in the string that was tokenised. */
  start: number;
  end: number;
}

/**
 * Where a suggestion's text goes. Absent: it replaces the finding's span [start, end) (for a reply-level finding,
 * which has no span, absent means `reply-end`). `fix.ts` turns a finding plus a suggestion into one text edit.
 * - `after-sentence`: added right after the sentence holding the finding (after its 。！？!? or at its line end);
 * - `reply-start`: the very start of the reply, as a line of its own (an addressee such as 山田様);
 * - `after-greeting`: after the addressee and greeting (「山田様」「お問い合わせいただきありがとうございます。」);
 * - `before-closing`: before the closing formula and signature (「よろしくお願いいたします。」);
 * - `reply-end`: the end of the reply.
 */
export type SuggestionPlacement = 'after-sentence' | 'reply-start' | 'after-greeting' | 'before-closing' | 'reply-end';

export interface Suggestion {
  /** The text to write: a replacement for [start, end), or, with `insert`, text to add there. */
  text: string;
  label?: string;
  /** Insert the text at this place instead of replacing the span (see SuggestionPlacement). */
  insert?: SuggestionPlacement;
}

export interface Finding {
  rule: string;
  /** Id of the pack the rule came from. */
  pack: string;
  category: string;
  severity: Severity;
  /** 'span' findings underline [start, end); 'reply' findings are about the reply as a whole. */
  scope: 'span' | 'reply';
  start?: number;
  end?: number;
  /** The exact draft text of [start, end), for readers of JSON output. */
  text?: string;
  message: string;
  description?: string;
  link?: string;
  suggestions: Suggestion[];
  /** Packs (or `@agent`) that changed this rule's severity, message or state through overrides, in order. */
  overriddenBy?: string[];
}

export type ChecklistState = 'satisfied' | 'missing' | 'not-required';

export interface ChecklistItem {
  rule: string;
  pack: string;
  category: string;
  /** Short Japanese label for the panel, e.g. 「お詫び」. */
  label: string;
  state: ChecklistState;
  /** Why this state: which customer signal required it, or that no customer message was given. */
  reason: string;
  overriddenBy?: string[];
}

export interface CustomerContext {
  /** Whether a customer message was given at all. */
  known: boolean;
  /** Signal ids that fired (e.g. complaint, anger, urgency, superior). */
  signals: string[];
  /** For each fired signal, the text that triggered it. */
  evidence: Record<string, string>;
  /** The customer's name if it could be read from the message (e.g. a signature), else undefined. */
  name?: string;
}

export interface AnalyzeInput {
  draft: string;
  customer?: string;
}

export interface AnalyzeResult {
  findings: Finding[];
  checklist: ChecklistItem[];
  /** Present only when a cap of LIMITS was hit: what was cut (show it with describeLimits()). */
  limits?: AnalyzeLimits;
}
