// The engine host's first analysis ran on cold code: measured in Chromium at browser start, 208-277 ms for an empty
// draft and a two-sentence customer message, against 2-7 ms for every analysis after it, and the agent's first
// keystroke paid for it. Most of it is compiling RE2 programs, which a trusted pack compiles on first use (in Node,
// 17-28 programs and 51-74 ms of the 75-120 ms), the rest V8 running the engine for the first time. So once the
// tokenizer is attached (and whenever the host adopts an engine built with it), the host analyses a sample exchange
// before any page asks, in slices, each in a task of its own: a page's request waits for one slice at most. Every
// matcher runs on every sentence, so the first slice does most of the compiling (about the whole cold cost).
import type { Engine } from '../engine/engine';

/**
 * A plausible exchange with the kinds of text the rules look at (a complaint and questions, a name, an apology, a
 * conjunction, negative wording, a keigo slip, a next step). Only its cost matters: the results are thrown away, and
 * an analysis changes no state that a later one reads (the engine's caches are keyed by the text).
 */
const CUSTOMER_SENTENCES = [
  '先週注文した商品がまだ届きません。',
  '急いでいるので、いつ届くのか教えていただけますか？',
  '何度もお問い合わせしているのに返事がなく、とても困っています！！',
  '返金はできますか。',
  '山田花子',
];
const DRAFT_SENTENCES = [
  '山田様',
  'お問い合わせいただきありがとうございます。',
  'ご不便をおかけして申し訳ございません。',
  'でも、配送状況を確認したところ、倉庫からの出荷が遅れておりました。',
  '返金はできませんが、本日中に再発送いたします。',
  '了解しました。担当の者に確認して、明日までにご連絡させていただきます。',
  'よろしくお願いいたします。',
];

/** Yields to the host's other tasks (a page's request) between two slices. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Analyses the sample: each draft sentence with a customer sentence, then the whole exchange. Stops when `stillWanted`
 * says the engine was replaced meanwhile (the new one is warmed on its own). Returns whether it went through: a
 * failure is left to the agent's own analysis, which will meet it too and report it.
 */
export async function warmUp(engine: Engine, stillWanted: () => boolean = () => true): Promise<boolean> {
  const slices = DRAFT_SENTENCES.map((draft, i) => ({ draft, customer: CUSTOMER_SENTENCES[i % CUSTOMER_SENTENCES.length] }));
  slices.push({ draft: DRAFT_SENTENCES.join('\n'), customer: CUSTOMER_SENTENCES.join('\n') });
  for (const slice of slices) {
    await nextTask();
    if (!stillWanted()) return false;
    try {
      engine.analyze(slice);
    } catch {
      return false;
    }
  }
  return true;
}
