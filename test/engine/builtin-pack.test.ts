// The built-in pack as an agent meets it: its examples, the traps of the spec, the checklist driven by the
// customer's message, and its scores on the labelled corpus (the same figures `npm run eval` prints).
import { describe, expect, it } from 'vitest';
import { builtinEngine, builtinPack, countingTokenizer, pack, tokenizer } from '../helpers';
import { createReplyGenerator } from '../../bench/texts.mjs';
import { createEngine, loadPackText, runExamples, type AnalyzeResult } from '../../src/engine/index';
import { evaluate, formatMisses, formatReport, thresholdFailures } from '../../src/engine/evaluation';
import path from 'node:path';
import { corpusDir, readCorpus } from '../../src/node/corpus';

const spans = (result: AnalyzeResult, category: string) =>
  result.findings.filter((f) => f.scope === 'span' && f.category === category).map((f) => f.text);
const state = (result: AnalyzeResult, category: string) => result.checklist.find((i) => i.category === category)?.state;

describe('built-in pack: loading', () => {
  it('loads, and every rule has flag and pass examples that all pass', async () => {
    const loaded = await builtinPack();
    const outcomes = runExamples(loaded, { tokenizer: await tokenizer });
    expect(outcomes.filter((o) => !o.passed || o.skipped)).toEqual([]);
    for (const rule of loaded.rules) {
      expect(rule.examples.flag.length, `${rule.id} flag examples`).toBeGreaterThan(0);
      expect(rule.examples.pass.length, `${rule.id} pass examples`).toBeGreaterThan(0);
    }
  });

  it('has a fixed example for every suggestion of every rule (what one click does is tested, insertions included)', async () => {
    const loaded = await builtinPack();
    const missing: string[] = [];
    for (const rule of loaded.rules) {
      const count = (rule.replace ?? rule.suggestions).length;
      for (let i = 0; i < count; i++) {
        if (!rule.examples.flag.some((e) => e.fixed !== undefined && (e.suggestion ?? 0) === i)) missing.push(`${rule.id} suggestion ${i}`);
      }
    }
    expect(missing).toEqual([]);
  });

  // What keeps analysis fast is sending kuromoji only the sentences a token rule could match. One rule whose anchors
  // are too loose (a stem such as 知ら, found in every お知らせ) sends half of every reply; this catches that.
  it('sends kuromoji only a small share of ordinary replies (every token rule has selective anchors)', async () => {
    const counting = countingTokenizer(await tokenizer);
    const engine = createEngine({ packs: [await builtinPack()], tokenizer: counting });
    const generator = createReplyGenerator(11);
    let chars = 0;
    for (let i = 0; i < 40; i++) {
      const draft = generator.reply(2000);
      chars += draft.length;
      engine.analyze({ draft });
    }
    const tokenised = counting.calls.reduce((n, text) => n + text.length, 0);
    expect(tokenised / chars).toBeLessThan(0.15);
  });

  it('reserves error for forbidden phrases and clear keigo errors', async () => {
    const loaded = await builtinPack();
    const errorCategories = new Set(loaded.rules.filter((r) => r.severity === 'error').map((r) => r.category));
    expect([...errorCategories].sort()).toEqual(['forbidden-phrase', 'keigo']);
  });
});

describe('built-in pack: span rules on the traps of the spec', () => {
  it('flags でも/ですから/だって/だから only as conjunctions', async () => {
    const engine = await builtinEngine();
    const result = engine.analyze({
      draft: 'でも、どなたでもいつでも少しでもメールでもご利用いただけます。初めてのご利用ですから、ご案内します。それでも難しい場合は、何だってご相談ください。ですから、先ほどの通りです。',
    });
    expect(spans(result, 'forbidden-phrase')).toEqual(['でも、', 'ですから、']);
  });

  it('offers a cushion phrase that reads as a sentence when applied', async () => {
    const engine = await builtinEngine();
    const draft = 'でも、それは仕様です。';
    const f = engine.analyze({ draft }).findings.find((x) => x.category === 'forbidden-phrase')!;
    const texts = f.suggestions.map((s) => draft.slice(0, f.start) + s.text + draft.slice(f.end));
    expect(texts).toContain('恐れ入りますが、それは仕様です。');
    expect(texts).toContain('それは仕様です。');
  });

  it('does not mistake apologies, polite requests or reassurance for negative wording', async () => {
    const engine = await builtinEngine();
    const result = engine.analyze({
      draft: '申し訳ございません。問題ございません。間違いございません。ご不明な点はございませんか。ご返金いただくことはできませんでしょうか。料金が発生することはありません。返品はいたしかねます。交換はできます。',
    });
    expect(spans(result, 'negative-expression')).toEqual([]);
    expect(spans(engine.analyze({ draft: '返品はできません。原因はわかりません。お客様の環境の問題です。' }), 'negative-expression'))
      .toEqual(['できません', 'わかりません', 'の問題です']);
  });

  it('asks for an alternative and a feedback promise only when a refusal stands alone', async () => {
    const engine = await builtinEngine();
    const bare = engine.analyze({ draft: '海外発送はいたしかねます。' });
    expect(spans(bare, 'missing-alternative')).toEqual(['いたしかねます']);
    expect(spans(bare, 'missing-feedback-promise')).toEqual(['いたしかねます']);
    const full = engine.analyze({ draft: '海外発送はいたしかねますが、転送サービスはいかがでしょうか。ご要望は担当部署に共有いたします。' });
    expect(spans(full, 'missing-alternative')).toEqual([]);
    expect(spans(full, 'missing-feedback-promise')).toEqual([]);
  });

  it('separates double keigo and さ入れ (error) from customary forms', async () => {
    const engine = await builtinEngine();
    const bad = engine.analyze({ draft: '資料はご覧になられましたか。ブログに書かさせていただきます。おっしゃられた件です。' });
    expect(bad.findings.filter((f) => f.category === 'keigo').map((f) => [f.text, f.severity])).toEqual([
      ['ご覧になられ', 'error'],
      ['書かさせ', 'error'],
      ['おっしゃられ', 'error'],
    ]);
    const customary = engine.analyze({ draft: 'お召し上がりになる前に、お見えになるお客様にお伺いします。ご利用いただけるようになります。こちらの方法のほうが早いです。' });
    expect(spans(customary, 'keigo')).toEqual([]);
  });

  it('flags させていただく only from the third one in a reply', async () => {
    const engine = await builtinEngine();
    const two = '確認させていただきました。手配させていただきます。';
    expect(spans(engine.analyze({ draft: two }), 'keigo')).toEqual([]);
    expect(spans(engine.analyze({ draft: two + 'ご連絡させていただきます。' }), 'keigo')).toEqual(['させていただき', 'させていただき', 'させていただき']);
    // A 五段 verb's causative (行わせていただく) is the same form and counts too.
    expect(spans(engine.analyze({ draft: two + '返金で行わせていただきます。' }), 'keigo')).toEqual(['させていただき', 'させていただき', '行わせていただき']);
  });

  it('flags the first unexplained use of a term, not explained ones, later ones or ログイン', async () => {
    const engine = await builtinEngine();
    const result = engine.analyze({
      draft: 'ログインできない場合は、ブラウザのキャッシュ（一時保存データ）を削除してください。キャッシュが残るとブラウザが古い画面を表示します。',
    });
    expect(spans(result, 'jargon')).toEqual(['ブラウザ']);
  });

  it('flags plain-form endings only in a です・ます reply, and not inside quotes', async () => {
    const engine = await builtinEngine();
    expect(spans(engine.analyze({ draft: 'ご連絡ありがとうございます。原因は設定の誤りだ。' }), 'style-mix')).toEqual(['だ']);
    expect(spans(engine.analyze({ draft: 'お客様から「もう使わない、最悪だ」と伺いました。' }), 'style-mix')).toEqual([]);
  });

  it('flags vague timing and unfounded reassurance only without a date or a reason', async () => {
    const engine = await builtinEngine();
    expect(spans(engine.analyze({ draft: '近日中にご連絡いたします。大丈夫です。' }), 'vague-timeline')).toEqual(['近日中']);
    expect(spans(engine.analyze({ draft: '近日中、遅くとも3日までにご連絡いたします。' }), 'vague-timeline')).toEqual([]);
    expect(spans(engine.analyze({ draft: 'その点は大丈夫です。' }), 'unfounded-reassurance')).toEqual(['大丈夫です']);
    expect(spans(engine.analyze({ draft: '決済を確認いたしましたので、ご安心ください。' }), 'unfounded-reassurance')).toEqual([]);
  });
});

describe('built-in pack: checklist from the customer message', () => {
  it('asks for apology and empathy on an angry complaint, and names the evidence', async () => {
    const engine = await builtinEngine();
    const result = engine.analyze({
      customer: '注文した商品が1週間たっても届きません！！何度も問い合わせているのにどうなっているんですか。',
      draft: 'お問い合わせありがとうございます。配送状況を確認のうえ、本日中にご連絡いたします。',
    });
    expect(state(result, 'missing-apology')).toBe('missing');
    expect(state(result, 'missing-empathy')).toBe('missing');
    expect(state(result, 'missing-next-step')).toBe('satisfied');
    expect(result.checklist.find((i) => i.category === 'missing-apology')!.reason).toContain('届きません');
  });

  it('does not ask a how-to question for an apology', async () => {
    const engine = await builtinEngine();
    const result = engine.analyze({ customer: 'パスワードを変更する方法を教えてください。', draft: '設定画面の「パスワード変更」からお手続きください。' });
    expect(state(result, 'missing-apology')).toBe('not-required');
    expect(state(result, 'missing-empathy')).toBe('not-required');
    expect(state(result, 'missing-next-step')).toBe('satisfied');
  });

  it('does not count "we are investigating" or "please wait" as a next step', async () => {
    const engine = await builtinEngine();
    const result = engine.analyze({ customer: 'アプリが起動しません。', draft: 'ご不便をおかけし申し訳ございません。現在調査しております。今しばらくお待ちください。' });
    expect(state(result, 'missing-next-step')).toBe('missing');
  });

  it('uses defaults without a customer message and says so', async () => {
    const engine = await builtinEngine();
    const result = engine.analyze({ draft: '現在確認中です。' });
    expect(state(result, 'missing-apology')).toBe('not-required');
    expect(state(result, 'missing-next-step')).toBe('missing');
    for (const item of result.checklist) expect(item.reason, item.category).toContain('お客様のメッセージがない');
  });

  it('shows the escalation guidance when the customer demands a superior or threatens', async () => {
    const engine = await builtinEngine();
    const result = engine.analyze({ customer: 'もういいです。上司を出してください。消費者センターに相談します。', draft: '申し訳ございません。確認のうえご連絡いたします。' });
    const card = result.findings.find((f) => f.category === 'escalation')!;
    expect(card.severity).toBe('info');
    expect(card.description).toContain('エスカレーションの手順');
    expect(state(engine.analyze({ customer: '商品が届きません。', draft: '確認いたします。' }), 'escalation')).toBe('not-required');
  });

  it('reads the name from a signature and suggests addressing the customer by it', async () => {
    const engine = await builtinEngine();
    const customer = 'お世話になっております。\n請求書の再発行をお願いできますか。\n\n山田 太郎';
    const missing = engine.analyze({ customer, draft: '再発行のうえ、本日中にお送りいたします。' });
    expect(state(missing, 'missing-name')).toBe('missing');
    expect(missing.findings.find((f) => f.category === 'missing-name')!.suggestions.map((s) => s.text)).toEqual(['山田様']);
    expect(state(engine.analyze({ customer, draft: '山田様\n再発行のうえ、本日中にお送りいたします。' }), 'missing-name')).toBe('satisfied');
    expect(state(engine.analyze({ customer: '請求書の再発行をお願いできますか。', draft: 'お客様、承知いたしました。' }), 'missing-name')).toBe('not-required');
  });
  it('needs no next step for a question for a fact the reply answers, and quotes both from the start of a word', async () => {
    const engine = await builtinEngine();
    const item = (customer: string, draft: string) => engine.analyze({ customer, draft }).checklist.find((i) => i.category === 'missing-next-step')!;
    expect(item('キャンセル料っていつから発生しますか？\n佐藤', '佐藤様\nお問い合わせありがとうございます。キャンセル料はご出発の7日前から発生します。')).toMatchObject({
      state: 'not-required',
      reason: 'お客様のご質問（「キャンセル料っていつから発生しますか？」）に、返信が「キャンセル料はご出発の7日前から発生します」と答えています。ほかに残っていることがなければ不要です。',
    });
    // A can-I question, a request beside the question, or a reply with no figure still need a way forward.
    expect(item('予約の日程って変更できますか？', 'はい、3日前まで変更可能です。').state).toBe('missing');
    expect(item('入会金はいくらですか。来週から通いたいです。', '入会金は5,500円です。').state).toBe('missing');
    expect(item('結果はいつ頃わかりますか？', 'ご参加ありがとうございました。').state).toBe('missing');
  });

  it('needs no next step when the customer only reports the problem solved or thanks us, in any sentence order', async () => {
    const engine = await builtinEngine();
    const closing = 'ご連絡ありがとうございます。お役に立てて何よりです。';
    expect(state(engine.analyze({ customer: '解決しました。ありがとうございました。', draft: closing }), 'missing-next-step')).toBe('not-required');
    expect(state(engine.analyze({ customer: 'エラーが出ていましたが、再起動したら直りました。', draft: closing }), 'missing-next-step')).toBe('not-required');
    expect(state(engine.analyze({ customer: 'ご丁寧にありがとうございました。よくわかりました。', draft: closing }), 'missing-next-step')).toBe('not-required');
    // Solved, then a new question in another sentence: something is left to do.
    const more = engine.analyze({ customer: '解決しました。ところで、領収書はどこからダウンロードできますか。', draft: closing });
    expect(state(more, 'missing-next-step')).toBe('missing');
    expect(engine.analyzeCustomer('解決しました。ところで、領収書はどこからダウンロードできますか。').signals).not.toContain('resolved');
    // Thanks with a problem still open.
    expect(state(engine.analyze({ customer: 'ありがとうございます。ただ、まだ商品が届いていません。', draft: closing }), 'missing-next-step')).toBe('missing');
    expect(state(engine.analyze({ customer: '直りましたが、まだ動作が遅いです。', draft: closing }), 'missing-next-step')).toBe('missing');
  });
});

describe('engine additions used by the pack', () => {
  it('unless cancels a signal when another fires anywhere in the message, and names unknown ids', async () => {
    const p = await pack(`
id: t
name: t
version: 1.0.0
signals:
  - { id: question, label: ご質問, regex: '[？?]|ますか' }
  - { id: solved, label: 解決のご報告, phrases: [解決しました], unless: [question] }
rules: []
`);
    const engine = createEngine({ packs: [p], tokenizer: await tokenizer });
    expect(engine.analyzeCustomer('解決しました。').signals).toEqual(['solved']);
    const asked = engine.analyzeCustomer('解決しました。領収書は発行できますか。');
    expect(asked.signals).toEqual(['question']);
    expect(asked.evidence).not.toHaveProperty('solved');
    await expect(pack(`
id: t
name: t
version: 1.0.0
signals:
  - { id: solved, label: 解決, phrases: [解決しました], unless: [question] }
`)).rejects.toThrow(/signals\[0\]\.unless\[0\].*question/);
  });

  it('exceptWithin drops matches inside a regex match, e.g. a parenthesis', async () => {
    const p = await pack(`
id: t
name: t
version: 1.0.0
rules:
  - id: term
    kind: phrase
    category: jargon
    severity: info
    message: m
    phrases: [サーバー]
    exceptWithin: ['（[^）]*）']
`);
    const engine = createEngine({ packs: [p], tokenizer: await tokenizer });
    const draft = 'ステータスコード（サーバーの応答）。サーバーが停止しました。';
    expect(engine.analyze({ draft }).findings.map((f) => f.start)).toEqual([draft.indexOf('。サーバー') + 1]);
  });

  it('once applies to conditional rules: only the first occurrence is reported', async () => {
    const p = await pack(`
id: t
name: t
version: 1.0.0
rules:
  - id: term
    kind: conditional
    category: jargon
    severity: info
    message: m
    if: { phrases: [ログ], except: [ログイン] }
    then: [{ phrases: [ログ（] }]
    once: true
`);
    const engine = createEngine({ packs: [p], tokenizer: await tokenizer });
    const draft = 'ログインの後、ログを確認します。ログを送ります。';
    expect(engine.analyze({ draft }).findings.map((f) => f.start)).toEqual([draft.indexOf('、ログ') + 1]);
    expect(engine.analyze({ draft: 'ログ（記録）を確認します。ログを送ります。' }).findings).toEqual([]);
  });
});

describe('pack loading errors met while writing the pack', () => {
  it('refuses an alias used before its anchor with a message, not a crash', async () => {
    const result = await loadPackText('id: t\nname: t\nversion: 1.0.0\nrules:\n  - { id: a, kind: phrase, category: c, severity: info, message: m, phrases: *words }\nwords: &words [x]\n', { file: 'alias.yaml' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]!.message).toMatch(/YAML\/JSON として読めません: .*words/);
  });
});

describe('built-in pack on the labelled corpus (npm run eval)', () => {
  it('meets span precision 0.95, span recall 0.90 and reply-level accuracy 0.90 in every category', async () => {
    const cases = readCorpus();
    const engine = await builtinEngine();
    const report = evaluate(cases, cases.map((c) => engine.analyze({ draft: c.draft, customer: c.customer })));
    const failures = thresholdFailures(report);
    // Printed so a failing run shows the figures and what was missed.
    console.log(formatReport(report) + (failures.length ? `\n\nmisses:\n${formatMisses(report)}` : ''));
    expect(failures).toEqual([]);
  });
});

// Blind span sets that label only some categories wait in test/corpus/incoming/ and are scored on their own: in the
// corpus, their unlabelled refusals would count against categories they never judged.
const INCOMING_SPAN_SETS = [
  { set: 'blind set 5', prefix: 'b5s-', categories: ['jargon', 'keigo', 'negative-expression', 'style-mix'] },
  { set: 'blind set 8', prefix: 'b8s-', categories: ['keigo', 'negative-expression'] },
  { set: 'blind set 12', prefix: 'b12s-', categories: ['keigo', 'negative-expression'] },
  { set: 'blind set 22 (the everyday slips of issue 10)', prefix: 'b22s-', categories: ['jargon', 'keigo', 'negative-expression', 'style-mix'] },
];

describe.each(INCOMING_SPAN_SETS)('built-in pack on $set (span cases waiting in test/corpus/incoming/)', ({ prefix, categories }) => {
  it('keeps the categories it labels at the corpus bar', async () => {
    const cases = readCorpus(path.join(corpusDir, 'incoming')).filter((c) => c.id.startsWith(prefix));
    expect(cases.length).toBeGreaterThan(200);
    const engine = await builtinEngine();
    const report = evaluate(cases, cases.map((c) => engine.analyze({ draft: c.draft, customer: c.customer })));
    expect(report.spans.map((s) => s.category).sort()).toEqual(categories);
    const failures = thresholdFailures(report);
    if (failures.length) console.log(formatMisses(report));
    expect(failures).toEqual([]);
  });
});

describe('scoring what a labelled set can judge', () => {
  const result = (findings: { category: string; start: number; end: number }[]): AnalyzeResult =>
    ({ findings: findings.map((f) => ({ ...f, scope: 'span', rule: 'r', severity: 'warning', message: '' })), checklist: [] }) as unknown as AnalyzeResult;
  const draft = 'でも、返品はできません。';
  const conj = { category: 'forbidden-phrase', start: 0, end: 2 };
  const refusal = { category: 'missing-alternative', start: 6, end: 11 };

  it('counts a finding on unlabelled text against precision in a category the set labels', () => {
    const report = evaluate([{ id: 'a', draft, expect: [] }, { id: 'b', draft, expect: [{ category: 'forbidden-phrase', text: 'でも' }] }], [result([conj]), result([conj])]);
    expect(report.overall.precision).toBe(0.5);
    expect(report.unscored.findings).toBe(0);
  });

  it('does not score span findings of a case written for reply-level labels only, and says how many it left out', () => {
    const report = evaluate([{ id: 'a', draft, reply: {} }, { id: 'b', draft, expect: [{ category: 'forbidden-phrase', text: 'でも' }] }], [result([conj]), result([conj])]);
    expect(report.overall.precision).toBe(1);
    expect(report.unscored).toEqual({ findings: 1, categories: [] });
    expect(formatReport(report)).toContain('not scored: 1 span findings');
  });

  it('does not score a category that no case of the set labels, and names it', () => {
    const report = evaluate([{ id: 'b', draft, expect: [{ category: 'forbidden-phrase', text: 'でも' }] }], [result([conj, refusal])]);
    expect(report.spans.map((s) => s.category)).toEqual(['forbidden-phrase']);
    expect(report.unscored).toEqual({ findings: 1, categories: ['missing-alternative'] });
    expect(formatReport(report)).toContain('missing-alternative');
  });
});
