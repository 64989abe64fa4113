import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/index';
import { builtinEngine, builtinPack, countingTokenizer, pack, tokenizer } from '../helpers';

const TEST_PACK = `
id: t
name: test
version: 1.0.0
signals:
  - { id: complaint, label: 苦情, phrases: [届きません, 壊れ] }
  - { id: name, label: お名前, capture: true, regex: '(?m)^([一-龥]{1,4})$' }
rules:
  - id: conj
    kind: morpheme
    category: forbidden-phrase
    severity: error
    message: 「{match}」は避けましょう
    pattern: [{ surface: [でも, ですから], pos: 接続詞 }]
    suggestions: [{ text: '', label: 削除 }]
  - id: dekinai
    kind: substitution
    category: negative-expression
    severity: warning
    message: 否定的です
    pattern: [{ basic_form: できる, pos: 動詞 }, { basic_form: ます }, { basic_form: ん }]
    notFollowedBy: [{ basic_form: です }]
    replace: [いたしかねます]
    examples:
      flag: [{ draft: 返品できません。, fixed: 返品いたしかねます。 }]
      pass: [ご確認いただくことはできませんでしょうか。]
  - id: ryokai
    kind: substitution
    category: keigo
    severity: warning
    message: 「{match}」
    regex: 了解(しました|です)
    replace: [承知いたしました, "かしこまり$1"]
  - id: apology
    kind: requirement
    category: missing-apology
    severity: warning
    label: お詫び
    message: '{signals}があるのにお詫びがありません'
    when: { any: [complaint] }
    require: [{ phrases: [申し訳ございません] }]
    suggestions: [ご不便をおかけし申し訳ございません。]
  - id: next
    kind: requirement
    category: missing-next-step
    severity: warning
    label: 次の対応
    message: 次の対応がありません
    when: always
    require: [{ regex: 'ご連絡いたします|ください' }]
  - id: named
    kind: requirement
    category: missing-name
    severity: info
    label: 宛名
    message: 宛名がありません
    when: { any: [name] }
    require: [{ regex: '様' }]
    suggestions: ['{name}様']
  - id: alt
    kind: conditional
    category: missing-alternative
    severity: warning
    message: 代替案がありません
    if: { phrases: [いたしかねます] }
    then: [{ phrases: [いかがでしょうか] }]
  - id: mix
    kind: conditional
    category: style-mix
    severity: info
    message: 常体が混ざっています
    if: { regex: 'である。' }
    notWith: [{ phrases: [です。, ます。] }]
  - id: jargon
    kind: phrase
    category: jargon
    severity: info
    message: 専門用語
    phrases: [キャッシュ]
    except: [キャッシュ（]
    once: true
  - id: sasete
    kind: phrase
    category: keigo
    severity: info
    message: 多用
    phrases: [させていただ]
    minOccurrences: 3
`;

describe('analyze', async () => {
  const t = await tokenizer;
  const p = await pack(TEST_PACK);
  const engine = createEngine({ packs: [p], tokenizer: t });

  it('flags conjunction でも but not the particle in どなたでも, with exact offsets', () => {
    const draft = 'でも、どなたでもご利用いただけます。';
    const spans = engine.analyze({ draft }).findings.filter((f) => f.rule === 'conj');
    expect(spans.map((f) => [f.start, f.end, f.text])).toEqual([[0, 2, 'でも']]);
  });

  it('keeps UTF-16 offsets exact across CRLF, emoji, surrogate pairs and full/half width', () => {
    const draft = '😀𠮷ｶﾀｶﾅＡＢＣ\r\nでも、返品できません。\r\nですから、了解しました🙇‍♀️。';
    const { findings } = engine.analyze({ draft });
    for (const f of findings.filter((f) => f.scope === 'span')) expect(draft.slice(f.start, f.end)).toBe(f.text);
    expect(findings.filter((f) => f.scope === 'span').map((f) => f.text)).toEqual(['でも', 'できません', 'ですから', '了解しました']);
  });

  it('builds substitutions from the match and drops replacements equal to the original', () => {
    const { findings } = engine.analyze({ draft: '了解です。返品できません。' });
    expect(findings.find((f) => f.rule === 'ryokai')!.suggestions.map((s) => s.text)).toEqual(['承知いたしました', 'かしこまりです']);
    expect(findings.find((f) => f.rule === 'dekinai')!.suggestions).toEqual([{ text: 'いたしかねます' }]);
  });

  it('does not flag a polite request through notFollowedBy', () => {
    expect(engine.analyze({ draft: 'ご確認いただくことはできませんでしょうか。' }).findings.filter((f) => f.rule === 'dekinai')).toEqual([]);
  });

  it('gates the apology requirement on the customer message and explains the checklist state', () => {
    const draft = '確認のうえご連絡いたします。';
    const complaint = engine.analyze({ draft, customer: '商品が届きません。' });
    const howTo = engine.analyze({ draft, customer: '使い方を教えてください。' });
    const none = engine.analyze({ draft });
    const state = (r: typeof none, c: string) => r.checklist.find((i) => i.category === c)!;
    expect(state(complaint, 'missing-apology').state).toBe('missing');
    expect(state(complaint, 'missing-apology').reason).toContain('届きません');
    expect(complaint.findings.find((f) => f.category === 'missing-apology')).toMatchObject({ scope: 'reply', message: '苦情があるのにお詫びがありません' });
    expect(state(howTo, 'missing-apology').state).toBe('not-required');
    expect(state(none, 'missing-apology').state).toBe('not-required');
    expect(state(none, 'missing-apology').reason).toContain('メッセージがない');
    expect(state(none, 'missing-next-step').state).toBe('satisfied');
    expect(engine.analyze({ draft: '申し訳ございません。', customer: '壊れていました' }).checklist.map((i) => i.state)).toEqual(['satisfied', 'missing', 'not-required']);
  });

  it('with creditWhenPresent, shows an apology the reply makes anyway as done, never as a finding', async () => {
    const crediting = await pack(TEST_PACK.replace("    when: { any: [complaint] }\n    require: [{ phrases: [申し訳ございません] }]", "    when: { any: [complaint] }\n    creditWhenPresent: true\n    require: [{ phrases: [申し訳ございません] }]"));
    const withCredit = createEngine({ packs: [crediting], tokenizer: t });
    const item = (e: typeof engine, draft: string, customer?: string) => e.analyze({ draft, customer }).checklist.find((i) => i.category === 'missing-apology')!;
    // No signal read from the customer (「使えない」 is not in this pack's complaint list), but the reply apologises.
    expect(item(withCredit, '申し訳ございません。確認いたします。', '使えないんですけど')).toMatchObject({ state: 'satisfied', reason: '返信に「申し訳ございません」があります。' });
    expect(item(engine, '申し訳ございません。確認いたします。', '使えないんですけど').state).toBe('not-required');
    // Without a customer message there is nothing to go by; without an apology nothing changes.
    expect(item(withCredit, '申し訳ございません。確認いたします。').state).toBe('not-required');
    expect(item(withCredit, '確認いたします。', '使えないんですけど').state).toBe('not-required');
    expect(withCredit.analyze({ draft: '確認いたします。', customer: '使えないんですけど' }).findings.filter((f) => f.scope === 'reply').map((f) => f.rule)).toEqual(engine.analyze({ draft: '確認いたします。', customer: '使えないんですけど' }).findings.filter((f) => f.scope === 'reply').map((f) => f.rule));
  });

  it('with answered, needs no next step for a question the reply answers, and says which words answer it', async () => {
    const answering = await pack(TEST_PACK
      .replace("  - { id: complaint, label: 苦情, phrases: [届きません, 壊れ] }", "  - { id: complaint, label: 苦情, phrases: [届きません, 壊れ] }\n  - { id: when-q, label: 時期のご質問, regex: '[^。？?]*いつ[^。？?]*[？?]', unless: [complaint] }")
      .replace("    when: always\n    require: [{ regex: 'ご連絡いたします|ください' }]", "    when: always\n    answered: { questions: [when-q], answers: [{ regex: '[0-9]+日' }] }\n    require: [{ regex: 'ご連絡いたします|ください' }]"));
    const e = createEngine({ packs: [answering], tokenizer: t });
    const item = (draft: string, customer?: string) => e.analyze({ draft, customer }).checklist.find((i) => i.category === 'missing-next-step')!;
    const findings = (draft: string, customer?: string) => e.analyze({ draft, customer }).findings.filter((f) => f.category === 'missing-next-step').length;
    expect(item('7日で届きます。', '注文した本はいつ届きますか？')).toMatchObject({
      state: 'not-required',
      reason: 'お客様のご質問（「注文した本はいつ届きますか？」）に、返信が「7日」と答えています。ほかに残っていることがなければ不要です。',
    });
    expect(findings('7日で届きます。', '注文した本はいつ届きますか？')).toBe(0);
    // No answer in the reply, a complaint beside the question, or no customer message: the check stands as before.
    expect(item('ご注文ありがとうございます。', '注文した本はいつ届きますか？').state).toBe('missing');
    expect(item('7日で届きます。', '本が壊れていました。代わりはいつ届きますか？').state).toBe('missing');
    expect(item('7日で届きます。').state).toBe('missing');
    // A reply that does what the check asks is shown done, answer or not.
    expect(item('7日で届きます。届かなければご連絡ください。', '注文した本はいつ届きますか？').state).toBe('satisfied');
    // An unknown signal is refused where it is named.
    await expect(pack(TEST_PACK.replace("    when: always\n    require:", "    when: always\n    answered: { questions: [nope], answers: [{ regex: '日' }] }\n    require:")))
      .rejects.toThrow(/ルール next .*answered\.questions\[0\].*シグナル「nope」が定義されていません/);
  });

  it('fills the customer name captured by a signal into suggestions', () => {
    const r = engine.analyze({ draft: 'ご連絡いたします。', customer: '注文の件です。\n山田' });
    expect(r.findings.find((f) => f.category === 'missing-name')!.suggestions).toEqual([{ text: '山田様' }]);
  });

  it('evaluates conditionals both ways (then / notWith)', () => {
    const ids = (draft: string) => engine.analyze({ draft }).findings.map((f) => f.rule);
    expect(ids('返品はいたしかねます。')).toContain('alt');
    expect(ids('返品はいたしかねますが、交換はいかがでしょうか。')).not.toContain('alt');
    expect(ids('仕様である。ご確認ください。')).not.toContain('mix');
    expect(ids('仕様である。確認します。')).toContain('mix');
  });

  it('honours once and minOccurrences', () => {
    const f = (draft: string, rule: string) => engine.analyze({ draft }).findings.filter((x) => x.rule === rule);
    expect(f('キャッシュを消し、キャッシュを確認', 'jargon')).toHaveLength(1);
    expect(f('キャッシュ（一時データ）を消してください', 'jargon')).toHaveLength(0);
    expect(f('させていただきます。させていただきます。', 'sasete')).toHaveLength(0);
    expect(f('させていただきます。させていただきます。させていただきます。', 'sasete')).toHaveLength(3);
  });

  it('cuts a huge draft without punctuation into bounded sentences', () => {
    const { findings } = engine.analyze({ draft: 'あ'.repeat(50_000) + 'でも、了解しました' });
    expect(findings.map((f) => f.rule)).toContain('ryokai');
  });
});

describe('sentence cache', async () => {
  const inner = await tokenizer;
  const p = await pack(TEST_PACK);

  it('re-tokenises only the edited sentence', () => {
    const counting = countingTokenizer(inner);
    const engine = createEngine({ packs: [p], tokenizer: counting });
    const draft = 'でも、返品できません。ですから交換します。了解しました。でもご安心ください。';
    engine.analyze({ draft });
    const before = counting.calls.length;
    engine.analyze({ draft: draft.replace('交換', '交替') });
    expect(counting.calls.slice(before)).toEqual(['ですから交替します。']);
  });

  it('is bounded: old sentences are forgotten beyond the capacity', () => {
    const counting = countingTokenizer(inner);
    const engine = createEngine({ packs: [p], tokenizer: counting, cacheSize: 3 });
    const sentences = ['でもA。', 'でもB。', 'でもC。', 'でもD。'];
    for (const s of sentences) engine.analyze({ draft: s });
    engine.analyze({ draft: 'でもD。' });
    expect(counting.calls.filter((c) => c === 'でもD。')).toHaveLength(1);
    engine.analyze({ draft: 'でもA。' });
    expect(counting.calls.filter((c) => c === 'でもA。')).toHaveLength(2);
  });

  it('runs token-free rules before the tokenizer is ready, then everything once it is attached', () => {
    const engine = createEngine({ packs: [p], tokenizer: null });
    const draft = 'でも、了解しました。';
    expect(engine.analyze({ draft }).findings.filter((f) => f.scope === 'span').map((f) => f.rule)).toEqual(['ryokai']);
    engine.setTokenizer(inner);
    expect(engine.analyze({ draft }).findings.filter((f) => f.scope === 'span').map((f) => f.rule)).toEqual(['conj', 'ryokai']);
  });

  it('runs a requirement only when it is required, and only until a sentence meets it', async () => {
    const counting = countingTokenizer(inner);
    const lazy = await pack(`
id: lazy
name: lazy
version: 1.0.0
signals: [{ id: complaint, label: 苦情, phrases: [壊れ] }]
rules:
  - { id: apology, kind: requirement, category: missing-apology, severity: warning, label: お詫び, message: お詫びがありません,
      when: { any: [complaint] }, require: [{ pattern: [{ surface: 申し訳 }, { basic_form: ござる }] }] }
`);
    const engine = createEngine({ packs: [lazy], tokenizer: counting });
    const draft = '申し訳ございません。申し訳程度ですが、申し訳ございません。申し訳ありません。';
    expect(engine.analyze({ draft }).checklist[0]!.state).toBe('not-required');
    expect(counting.calls).toEqual([]);
    expect(engine.analyze({ draft, customer: '壊れていました。' }).checklist[0]).toMatchObject({ state: 'satisfied' });
    // The customer's sentence that raised the signal is tokenised once, to quote their words (「壊れていました」).
    expect(counting.calls).toEqual(['壊れていました。', '申し訳ございません。']);
    expect(engine.analyze({ draft: 'お待たせして申し訳ございません。申し訳ございませんでした。', customer: '壊れていました。' }).checklist[0]!.state).toBe('satisfied');
    expect(counting.calls.slice(2)).toEqual(['お待たせして申し訳ございません。']);
  });

  it('skips tokenising sentences that no token pattern could match', () => {
    const counting = countingTokenizer(inner);
    const engine = createEngine({ packs: [p], tokenizer: counting });
    engine.analyze({ draft: 'お問い合わせありがとうございます。確認いたしました。' });
    expect(counting.calls).toEqual([]);
  });
});

describe('built-in pack', () => {
  it('loads with every example passing and tells でも from どなたでも', async () => {
    const engine = await builtinEngine();
    const spans = engine.analyze({ draft: 'でも、どなたでもご利用いただけます。' }).findings.filter((f) => f.category === 'forbidden-phrase');
    expect(spans.map((f) => f.text)).toEqual(['でも、']); // the comma is part of the span so that deleting it leaves a clean sentence
  });
});

describe('examples before the tokenizer is ready (a team pack compiled at browser start)', async () => {
  const { loadPackText, runExamples } = await import('../../src/engine/index');
  const base = await builtinPack();
  const teamPack = (rule: string) => `id: team\nname: team\nversion: 1.0.0\nrules:\n${rule}`;
  const phraseRule = `  - { id: heisha, kind: phrase, category: house-style, severity: info, message: m, phrases: [弊社], examples: { flag: [御社で確認します。] } }\n`;
  const tokenRule = `  - { id: demo, kind: morpheme, category: house-style, severity: info, message: m, pattern: [{ surface: でも, pos: 接続詞 }], examples: { flag: [それは仕様です。] } }\n`;

  it('still refuses a phrase rule whose example fails, although a base signal (the name) needs tokens', async () => {
    expect(base.signals.some((s) => s.matcher.needsTokens)).toBe(true);
    const result = await loadPackText(teamPack(phraseRule), { file: 'team.yaml', tokenizer: null, baseSignals: base.signals });
    expect(result.ok).toBe(false);
  });

  it('skips, and says so, the examples of a token rule; they fail once the tokenizer is there', async () => {
    const loaded = await loadPackText(teamPack(tokenRule), { file: 'team.yaml', tokenizer: null, baseSignals: base.signals, runExamples: false });
    if (!loaded.ok) throw new Error('the pack itself is valid');
    expect(runExamples(loaded.pack, { tokenizer: null, baseSignals: base.signals })).toMatchObject([{ rule: 'demo', skipped: true, passed: true }]);
    expect(runExamples(loaded.pack, { tokenizer: await tokenizer, baseSignals: base.signals })).toMatchObject([{ rule: 'demo', passed: false }]);
  });
});
