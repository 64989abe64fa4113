// Packs written to hurt (issue 9): each is refused when it loads, or runs within the caps of LIMITS.
import { describe, expect, it } from 'vitest';
import { createEngine, describeLimits, formatPackError, loadPackText, stackPacks, LIMITS, type PackError } from '../../src/engine/index';
import { TokenPattern } from '../../src/engine/morpheme';
import { pack, tokenizer } from '../helpers';

const header = 'id: team\nname: チーム\nversion: 1.0.0\n';
const rule = (body: string, kind = 'phrase') =>
  `${header}rules:\n  - id: r1\n    kind: ${kind}\n    category: jargon\n    severity: info\n    message: m\n${body}`;

function errorsOf(result: Awaited<ReturnType<typeof loadPackText>>): PackError[] {
  if (result.ok) throw new Error('the pack was expected to be refused');
  return result.errors;
}

describe('hostile packs', async () => {
  const t = await tokenizer;
  const load = (yaml: string) => loadPackText(yaml, { file: 'team.yaml', tokenizer: t });

  it('five wildcards and a token that never matches finish on a 400-character sentence (it took >20 s), with the right result', async () => {
    const wild = Array(5).fill('{ any: true, min: 0, max: 20 }').join(', ');
    const yaml = rule(`    pattern: [${wild}, { surface: 存在, pos: 動詞 }]\n`, 'morpheme');
    expect(yaml.length).toBeLessThan(400);
    const engine = createEngine({ packs: [await pack(yaml)], tokenizer: t });
    const draft = 'のが'.repeat(197) + '存在';
    expect(engine.analyze({ draft }).findings).toEqual([]);
    // The same pattern with a token that does occur matches, and from the first possible start, longest runs first.
    const found = createEngine({ packs: [await pack(yaml.replace('{ surface: 存在, pos: 動詞 }', '{ surface: 存在 }'))], tokenizer: t })
      .analyze({ draft }).findings;
    expect(found.map((f) => [f.start, f.end])).toEqual([[draft.length - 2 - 2 * 50, draft.length]]);
  });

  it('matching remembers failures but still finds [で, も] in で,で,も and keeps longest-first runs', () => {
    const tok = (surface: string, start: number) => ({ surface, pos: '助詞', pos_detail_1: '*', pos_detail_2: '*', pos_detail_3: '*',
      conjugated_type: '*', conjugated_form: '*', basic_form: surface, reading: '', pronunciation: '', start, end: start + 1 });
    const tokens = ['で', 'で', 'も', 'で', 'も'].map(tok);
    expect(new TokenPattern([{ surface: 'で' }, { surface: 'も' }]).findAll(tokens).map((m) => [m.from, m.to])).toEqual([[1, 3], [3, 5]]);
    const greedy = new TokenPattern([{ any: true, min: 0, max: 4 }, { surface: 'も' }]).findAll(tokens);
    expect(greedy.map((m) => [m.from, m.to])).toEqual([[0, 5]]);
    const reused = new TokenPattern([{ surface: 'で' }, { any: true, min: 0, max: 3 }, { surface: 'も' }]);
    expect(reused.matchAt(tokens, 0)!.spans).toEqual([[0, 1], [1, 4], [4, 5]]);
    expect(reused.matchAt(tokens, 3)!.spans).toEqual([[3, 4], [4, 4], [4, 5]]);
  });

  it(`a token list longer than ${LIMITS.maxPatternTokens} is refused with file, line, rule and field (lint and loading alike)`, async () => {
    const long = Array(LIMITS.maxPatternTokens + 1).fill('{ any: true }').join(', ');
    const [error] = errorsOf(await load(rule(`    pattern: [{ surface: で }]\n    notFollowedBy: [${long}]\n`, 'morpheme')));
    expect(error).toMatchObject({ file: 'team.yaml', rule: 'r1', path: 'rules[0].notFollowedBy', line: 11 });
    expect(formatPackError(error!)).toContain(`トークンが多すぎます（${LIMITS.maxPatternTokens + 1} 個、上限 ${LIMITS.maxPatternTokens} 個）`);
  });

  it('a substitution repeating $0 60,000 times is refused at load time', async () => {
    const [error] = errorsOf(await load(rule(`    phrases: [でも]\n    replace: ['${'$0'.repeat(60_000)}']\n`, 'substitution')));
    expect(error).toMatchObject({ rule: 'r1', path: 'rules[0].replace[0]', line: 11 });
    expect(error!.message).toContain('長すぎます');
    const [refs] = errorsOf(await load(rule(`    phrases: [でも]\n    replace: ['${'$0'.repeat(11)}']\n`, 'substitution')));
    expect(refs!.message).toContain('$0〜$9 の参照が多すぎます（11 個、上限 10 個）');
  });

  it('what passes the load-time caps is still cut at run time: expanded suggestions and messages stay within LIMITS', async () => {
    const p = await pack(rule(`    regex: '.+'\n    replace: ['${'$0'.repeat(10)}']\n`, 'substitution').replace('message: m', `message: '${'{match}'.repeat(10)}'`));
    const draft = 'あ'.repeat(399);
    const result = createEngine({ packs: [p], tokenizer: t }).analyze({ draft });
    const [finding] = result.findings;
    expect(finding!.suggestions[0]!.text.length).toBe(LIMITS.maxExpandedChars);
    expect(finding!.message.length).toBe(LIMITS.maxExpandedChars);
    expect(result.limits).toEqual({ truncatedTexts: 2 });
    expect(describeLimits(result.limits)).toContain(`${LIMITS.maxExpandedChars.toLocaleString('en')} 文字で切りました`);
  });

  it('findings per reply are capped; reply-level findings are kept', async () => {
    const p = await pack(rule('    phrases: [あ]\n'));
    const result = createEngine({ packs: [p], tokenizer: t }).analyze({ draft: 'あ'.repeat(5_000) });
    expect(result.findings).toHaveLength(LIMITS.maxFindings);
    expect(result.limits).toEqual({ droppedFindings: 5_000 - LIMITS.maxFindings });
  });

  it('keys named __proto__, constructor or toString are refused with file, line, rule and field', async () => {
    for (const [body, path] of [
      ['    __proto__: { polluted: 1 }\n', 'rules[0].__proto__'],
      ['    constructor: 1\n', 'rules[0].constructor'],
      ['    toString: x\n', 'rules[0].toString'],
      ['    examples: { constructor: [x] }\n', 'rules[0].examples.constructor'],
    ] as const) {
      const [error] = errorsOf(await load(rule(`    phrases: [x]\n${body}`)));
      expect(error).toMatchObject({ file: 'team.yaml', rule: 'r1', path, line: 11 });
      expect(error!.message).toContain('JavaScript の予約名です');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('{constructor} in a message stays as written: only own, known placeholders expand', async () => {
    const p = await pack(rule('    phrases: [でも]\n').replace('message: m', "message: '{constructor}{toString}「{match}」'"));
    const [finding] = createEngine({ packs: [p], tokenizer: t }).analyze({ draft: 'でも。' }).findings;
    expect(finding!.message).toBe('{constructor}{toString}「でも」');
  });

  it('duplicate signal ids are refused', async () => {
    const [error] = errorsOf(await load(`${header}signals:\n  - { id: a, label: A, phrases: [x] }\n  - { id: a, label: B, phrases: [y] }\n`));
    expect(error).toMatchObject({ path: 'signals[1].id', line: 6 });
    expect(error!.message).toContain('シグナル ID「a」が重複しています');
  });
});

describe('admin locks bind the agent’s own packs', async () => {
  const t = await tokenizer;
  const org = await pack(`id: org\nname: org\nversion: 1.0.0\nrules:\n  - id: muri\n    kind: phrase\n    category: negative-expression\n    severity: error\n    message: 「{match}」\n    phrases: [無理です]\n  - id: other\n    kind: phrase\n    category: jargon\n    severity: info\n    message: 「{match}」\n    phrases: [キャッシュ]\n`, 'org.yaml');
  const mine = (body: string) => pack(`id: mine\nname: mine\nversion: 1.0.0\n${body}`, 'mine.yaml', [org]);
  const locked = { rules: ['org/muri'], packs: [] };
  const rulesOf = (packs: { rules: { pack: string; id: string; enabled: boolean; severity: string }[] }[]) =>
    packs.flatMap((p) => p.rules.map((r) => `${r.pack}/${r.id}:${r.enabled ? r.severity : 'off'}`));

  it('an override that switches off or changes a locked rule is refused and listed with the reason', async () => {
    const agent = await mine('overrides:\n  - { rule: org/muri, enabled: false }\n  - { rule: muri, severity: info }\n  - { rule: org/other, enabled: false }\n');
    const { packs, issues } = stackPacks([org, agent], { locked, agentPacks: ['mine'] });
    expect(rulesOf(packs)).toEqual(['org/muri:error', 'org/other:off']);
    const refused = issues.filter((i) => i.severity === 'error');
    expect(refused.map((i) => [i.pack, i.path, i.line])).toEqual([['mine', 'overrides[0]', 5], ['mine', 'overrides[1]', 6]]);
    expect(refused[0]!.message).toContain('管理者が固定しているため、個人で追加したパックからは変更できません');
    const engine = createEngine({ packs, tokenizer: t });
    expect(engine.analyze({ draft: '無理です。' }).findings.map((f) => `${f.rule}:${f.severity}`)).toEqual(['muri:error']);
  });

  it('a rule reusing a locked rule’s id does not shadow it: the agent’s rule is not used', async () => {
    const agent = await mine('rules:\n  - id: muri\n    kind: phrase\n    category: negative-expression\n    severity: info\n    message: x\n    phrases: [存在しない]\n');
    const { packs, issues } = stackPacks([org, agent], { locked, agentPacks: ['mine'] });
    expect(rulesOf(packs)).toEqual(['org/muri:error', 'org/other:info', 'mine/muri:off']);
    expect(issues).toEqual([expect.objectContaining({ severity: 'error', pack: 'mine', rule: 'muri', path: 'rules[0]', line: 5 })]);
    expect(issues[0]!.message).toContain('同じ ID のルールで置き換えられません');
  });

  it('a locked pack: the agent’s pack cannot switch its rules off or replace them; managed packs still can', async () => {
    const agent = await mine('overrides:\n  - { rule: org/other, enabled: false }\n');
    const stacked = stackPacks([org, agent], { locked: { packs: ['org'] }, agentPacks: ['mine'] });
    expect(rulesOf(stacked.packs)).toEqual(['org/muri:error', 'org/other:info']);
    expect(stacked.issues[0]!.message).toContain('パック「org」は管理者が固定しているため');
    // The same pack from the organisation (not an agent's pack) may.
    expect(rulesOf(stackPacks([org, agent], { locked: { packs: ['org'] } }).packs)).toEqual(['org/muri:error', 'org/other:off']);
  });
});
