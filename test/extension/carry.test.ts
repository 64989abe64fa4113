// What the screen keeps between an edit and the next analysis: never a finding on text it no longer describes.
import { describe, expect, it } from 'vitest';
import { carryFindings, diffText, FindingIdentities, isAnotherDraft } from '../../src/content/carry';
import type { Finding } from '../../src/engine/types';

function spanFinding(text: string, draft: string, rule = 'r'): Finding {
  const start = draft.indexOf(text);
  return { rule, pack: 'builtin', category: 'c', severity: 'warning', scope: 'span', start, end: start + text.length, text, message: 'm', suggestions: [] };
}

/** Every carried finding still points at its own text in the new draft. */
function assertTruthful(findings: Finding[], after: string): void {
  for (const f of findings) expect(after.slice(f.start, f.end)).toBe(f.text);
}

describe('diffText', () => {
  it('finds the one changed region, also when the change repeats neighbouring characters', () => {
    expect(diffText('abc', 'abc')).toBeNull();
    expect(diffText('abc', 'abXc')).toEqual({ start: 2, beforeEnd: 2, afterEnd: 3 });
    expect(diffText('aaaa', 'aaa')).toEqual({ start: 3, beforeEnd: 4, afterEnd: 3 });
    expect(diffText('できません。', '')).toEqual({ start: 0, beforeEnd: 6, afterEnd: 0 });
  });
});

describe('carryFindings', () => {
  const before = 'でも、返品はできません。交換はいかがでしょうか。';
  const findings = [spanFinding('でも、', before, 'demo'), spanFinding('できません', before, 'dekimasen')];

  it('drops a finding whose text was edited (backspace inside 「できません」)', () => {
    const after = before.replace('できません', 'でき');
    const carried = carryFindings(findings, diffText(before, after)!);
    expect(carried.map((f) => f.rule)).toEqual(['demo']);
    assertTruthful(carried, after);
  });

  it('moves findings after an insertion and keeps those before it', () => {
    const after = before.replace('返品は', '返品につきましては');
    const carried = carryFindings(findings, diffText(before, after)!);
    expect(carried.map((f) => f.rule)).toEqual(['demo', 'dekimasen']);
    assertTruthful(carried, after);
  });

  it('drops a finding right next to the edit, whose verdict may depend on the neighbouring character', () => {
    const after = before.replace('できません。', 'できませんでした。');
    expect(carryFindings(findings, diffText(before, after)!).map((f) => f.rule)).toEqual(['demo']);
  });

  it('drops reply-level findings and everything when the draft is emptied', () => {
    const reply: Finding = { ...findings[0]!, scope: 'reply', start: undefined, end: undefined, text: undefined };
    expect(carryFindings([...findings, reply], diffText(before, '')!)).toEqual([]);
    expect(carryFindings([reply], diffText(before, before + 'a')!)).toEqual([]);
  });

  it('never shows a finding on other text, whatever single edit is made (exhaustive over small edits)', () => {
    for (let start = 0; start <= before.length; start++) {
      for (let end = start; end <= Math.min(before.length, start + 3); end++) {
        for (const insert of ['', 'で', 'ません', '。']) {
          const after = before.slice(0, start) + insert + before.slice(end);
          const change = diffText(before, after);
          if (!change) continue;
          assertTruthful(carryFindings(findings, change), after);
        }
      }
    }
  });
});

describe('FindingIdentities: of two identical findings, the one the agent chose', () => {
  const at = (draft: string, from: number): Finding => {
    const start = draft.indexOf('でも、', from);
    return { rule: 'demo', pack: 'builtin', category: 'c', severity: 'warning', scope: 'span', start, end: start + 3, text: 'でも、', message: 'm', suggestions: [] };
  };
  const draft = 'はい。でも、確認します。でも、返品はできません。';
  const both = (text: string) => [at(text, 0), at(text, text.indexOf('でも、') + 1)];

  it('keeps following the second one through edits before it and through new analyses', () => {
    const ids = new FindingIdentities();
    const shown = both(draft);
    ids.adopt(shown, [], '', draft);
    const chosen = shown[1]!;

    const edited = 'お問い合わせありがとうございます。' + draft;
    const carried = ids.carry(shown, diffText(draft, edited)!);
    expect(ids.find(carried, chosen)).toMatchObject({ start: edited.lastIndexOf('でも、') });

    // The next analysis of the edited text finds both again: the chosen one is still the second.
    const fresh = both(edited);
    ids.adopt(fresh, carried, edited, edited);
    expect(ids.find(fresh, chosen)).toBe(fresh[1]);
    // An analysis that answers for a text the screen has moved past is matched through the edit, too.
    const later = edited + 'よろしくお願いします。';
    const fresher = both(later);
    ids.adopt(fresher, fresh, edited, later);
    expect(ids.find(fresher, chosen)).toBe(fresher[1]);
  });

  it('finds nothing once the chosen one was edited away, even though an identical one remains', () => {
    const ids = new FindingIdentities();
    const shown = both(draft);
    ids.adopt(shown, [], '', draft);
    const second = draft.lastIndexOf('でも、');
    const edited = draft.slice(0, second) + '恐れ入りますが、' + draft.slice(second + 3);
    const carried = ids.carry(shown, diffText(draft, edited)!);
    expect(ids.find(carried, shown[0]!)).toBe(shown[0]);
    expect(ids.find(carried, shown[1]!)).toBeUndefined();
    const fresh = [at(edited, 0)];
    ids.adopt(fresh, carried, edited, edited);
    expect(ids.find(fresh, shown[1]!)).toBeUndefined();
    expect(ids.find(fresh, shown[0]!)).toBe(fresh[0]);
  });
});

describe('isAnotherDraft (an ignored finding is ignored for this draft only)', () => {
  const draft = 'でも、確認いたします。返品はできません。よろしくお願いいたします。';
  const another = (after: string) => isAnotherDraft(draft, diffText(draft, after)!, after.length);

  it("is true when the box now holds another ticket's draft, a macro over everything, or a paste over all", () => {
    expect(another('でも、別のチケットへの返信です。返品はできません。')).toBe(true);
    expect(another('お世話になっております。担当の佐藤です。')).toBe(true);
    // Short drafts that share their first words.
    expect(isAnotherDraft('でも、確認いたします。', diffText('でも、確認いたします。', 'でも、別のチケットへの返信です。返品はできません。')!, 25)).toBe(true);
  });

  it('is false for edits of this draft, even large ones, and for emptying the box (handled apart)', () => {
    expect(another(draft.replace('確認いたします。', ''))).toBe(false);
    expect(another('山田様\n' + draft)).toBe(false);
    expect(another(draft + '\n交換をご希望の場合は、マイページの「注文履歴」からお手続きいただけます。')).toBe(false);
    expect(another(draft.replace('返品はできません。', '返品は承っておりませんが、交換は可能です。'))).toBe(false);
    expect(another('')).toBe(false);
  });
});
