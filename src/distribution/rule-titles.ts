// A readable title for every rule of a stack: its message with the template filled by the rule's own first flag
// example, as the agent would see it (「接続詞「でも、」は、言い訳や反論に聞こえます。」 rather than 「接続詞「{match}」は…」).
// The examples are the pack author's text, never a draft. Used by the engine host (for the panel's statistics and the
// stored pack status), the options page and `kizuki stats report`.
import { createEngine } from '../engine/engine';
import type { LoadedPack } from '../engine/model';
import type { Tokenizer } from '../engine/tokenizer';
import { fillTemplateFallback } from '../shared/rule-text';
import { nextTask } from '../shared/next-task';

/** `pack/id` → title. Rules switched off still get one (the stack is rebuilt with every rule on). */
export function ruleTitles(packs: readonly LoadedPack[], tokenizer: Tokenizer | null | undefined): Map<string, string> {
  const titles = new Map<string, string>();
  for (const _ of titleEachRule(packs, tokenizer, titles));
  return titles;
}

/**
 * The same titles, computed a few rules at a time: the first run of each rule's example compiles what the rule needs
 * (0.4 s for the built-in pack in the offscreen document at browser start), so the engine host, which answers
 * keystrokes on the same thread, lets other work run every `sliceMs`.
 */
export async function ruleTitlesInSlices(packs: readonly LoadedPack[], tokenizer: Tokenizer | null | undefined, sliceMs = 8): Promise<Map<string, string>> {
  const titles = new Map<string, string>();
  let sliceStart = performance.now();
  for (const _ of titleEachRule(packs, tokenizer, titles)) {
    if (performance.now() - sliceStart < sliceMs) continue;
    await nextTask();
    sliceStart = performance.now();
  }
  return titles;
}

/** Fills `titles`, one rule per step. */
function* titleEachRule(packs: readonly LoadedPack[], tokenizer: Tokenizer | null | undefined, titles: Map<string, string>): Generator<void> {
  const allOn = packs.map((p) => ({ ...p, rules: p.rules.map((r) => (r.enabled ? r : { ...r, enabled: true })) }));
  const engine = createEngine({ packs: allOn, tokenizer: tokenizer ?? null, cacheSize: 64 });
  for (const pack of allOn) {
    for (const rule of pack.rules) {
      const key = `${rule.pack}/${rule.id}`;
      const example = rule.examples.flag[0];
      let title: string | undefined;
      if (example && /\{(match|signals|name)\}/.test(rule.message)) {
        try {
          const result = engine.analyze({ draft: example.draft, ...(example.customer !== undefined ? { customer: example.customer } : {}) });
          title = result.findings.find((f) => f.pack === rule.pack && f.rule === rule.id)?.message;
        } catch {
          title = undefined;
        }
        yield;
      }
      titles.set(key, title ?? fillTemplateFallback(rule.message));
    }
  }
}

/** Adds each rule's title to the status rows (in place), a few rules at a time (see ruleTitlesInSlices). */
export async function withRuleTitlesInSlices<R extends TitledRow>(rows: R[], packs: readonly LoadedPack[], tokenizer: Tokenizer | null | undefined): Promise<R[]> {
  return addTitles(rows, await ruleTitlesInSlices(packs, tokenizer));
}

type TitledRow = { packId?: string; rules?: { id: string; title?: string }[] };

function addTitles<R extends TitledRow>(rows: R[], titles: Map<string, string>): R[] {
  for (const row of rows) for (const rule of row.rules ?? []) {
    const title = titles.get(`${row.packId}/${rule.id}`);
    if (title) rule.title = title;
  }
  return rows;
}
