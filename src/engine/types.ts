// The engine's public data shapes. Everything here is plain JSON so that findings can cross
// process boundaries (CLI output, extension messaging) unchanged.

import type { AnalyzeLimits } from './limits';

export type Severity = 'error' | 'warning' | 'info';

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

export interface Suggestion {
  /** Replacement for [start, end) of the finding; for reply-level findings, text to add to the reply. */
  text: string;
  label?: string;
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
