// Words the QA lead's console, the panel and the team report show for rules: Japanese severity names, a rule's
// readable title, and week labels a person reads (「11月10日の週」, not 「2026-W46」). Pure; no DOM, no extension API.
import type { Severity } from '../engine/types';

/** The same words the card uses for severities. */
export const SEVERITY_JA: Record<Severity, string> = { error: '要修正', warning: '注意', info: '参考' };
/** Longer forms, for lists where a QA lead chooses or reads severities. */
export const SEVERITY_JA_LONG: Record<Severity, string> = {
  error: '要修正（送る前に必ず直す）',
  warning: '注意（多くの返信で直す）',
  info: '参考（無視してもよい）',
};

/**
 * A message template with its placeholders filled by stand-ins, for when no example of the rule could show it:
 * {match} becomes 「…」's contents 〇〇, {signals} the customer's situation, {name} a name.
 */
export function fillTemplateFallback(message: string): string {
  return message
    .replace(/\{match\}/g, '〇〇')
    .replace(/\{signals\}/g, '（お客様の状況）')
    .replace(/\{name\}/g, '〇〇');
}

/** Monday (UTC) of an ISO week `2026-W46`; undefined for anything else. */
export function isoWeekMonday(week: string): Date | undefined {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) return undefined;
  const year = Number(m[1]);
  const n = Number(m[2]);
  if (n < 1 || n > 53) return undefined;
  // The week holding 4 January is week 1.
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const monday1 = jan4.getTime() - ((jan4.getUTCDay() || 7) - 1) * 86_400_000;
  return new Date(monday1 + (n - 1) * 7 * 86_400_000);
}

/** 「11/10〜」: the week's Monday, short, for a chart axis. */
export function weekShort(week: string): string {
  const d = isoWeekMonday(week);
  return d ? `${d.getUTCMonth() + 1}/${d.getUTCDate()}〜` : week;
}

/** 「2026年11月10日の週」, for tables and accessible labels. */
export function weekLong(week: string): string {
  const d = isoWeekMonday(week);
  return d ? `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日の週` : week;
}
