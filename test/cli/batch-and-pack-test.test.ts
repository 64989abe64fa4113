// `kizuki check --batch` (JSONL in, JSONL out, one tokenizer) and `kizuki pack test`, in-process.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/index';
import { builtinPackPath } from '../../src/node/packs';
import { pack, tokenizer } from '../helpers';
import { CLI_PACK, kizuki, scratch } from './fixtures';

const ITEMS = [
  { id: 'a-1', draft: 'でも、了解しました。' },
  { id: 7, draft: '承知いたしました。', customer: '商品が届きません。' },
  { id: 'a-3', draft: '申し訳ございません。\r\n承知いたしました。', customer: '商品が届きません。' },
  { id: 'a-4', draft: '承知いたしました。', customer: null },
];
const file = scratch({
  'pack.yaml': CLI_PACK,
  // CRLF line endings and a blank line, as files from Windows editors have.
  'replies.jsonl': ITEMS.map((i) => JSON.stringify(i)).join('\r\n') + '\r\n\r\n',
  'warnings.jsonl': JSON.stringify({ id: 'w', draft: '了解です。' }) + '\n',
  'broken.jsonl': [JSON.stringify(ITEMS[0]), '{"id": "x", "draft": 12}', 'not json', JSON.stringify(ITEMS[1])].join('\n'),
  'failing.yaml': CLI_PACK.replace('pass: [どなたでもご利用いただけます。]', 'pass: [どなたでもご利用いただけます。, でも、大丈夫です。]'),
  'invalid.yaml': CLI_PACK.replace('kind: substitution', 'kind: replace'),
  // Issue 9: NUL in a draft and in a customer message, a raw NUL byte (invalid JSON), emoji runs before a finding.
  'hostile.jsonl': [
    JSON.stringify({ id: 'nul', draft: '\u0000わかまん' }),
    JSON.stringify({ id: 'cust', draft: '確認いたします。', customer: 'a\u0000' }),
    '{"id": "raw", "draft": "a\u0000b"}', // a raw NUL inside a JSON string: not valid JSON
    JSON.stringify({ id: 'emoji', draft: '🇯🇵グイ😀ンできません' }),
  ].join('\n'),
});
const own = ['--no-builtin', '--pack', file('pack.yaml')];
const outputLines = (stdout: string) => stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('kizuki check --batch', () => {
  it('prints one {id, findings, checklist} line per input line, in order, equal to the engine output', async () => {
    const { code, stdout, stderr } = await kizuki(['check', ...own, '--batch', file('replies.jsonl')]);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const engine = createEngine({ packs: [await pack(CLI_PACK)], tokenizer: await tokenizer });
    expect(outputLines(stdout)).toEqual(ITEMS.map((i) => ({ id: i.id, ...engine.analyze({ draft: i.draft, customer: i.customer ?? undefined }) })));
    // A null customer is no customer message.
    expect((outputLines(stdout) as { checklist: { state: string }[] }[]).map((r) => r.checklist[0]!.state)).toEqual(['not-required', 'missing', 'satisfied', 'not-required']);
  });

  it('exits 0 when no reply has an error finding', async () => {
    const { code, stdout } = await kizuki(['check', ...own, '--batch', file('warnings.jsonl')]);
    expect(code).toBe(0);
    expect(outputLines(stdout)[0]).toMatchObject({ id: 'w', findings: [{ rule: 'ryokai', text: '了解です' }] });
  });

  it('survives NUL and a broken line: every other reply is checked, the broken line is reported on its own', async () => {
    const { code, stdout, stderr } = await kizuki(['check', '--batch', file('hostile.jsonl')]);
    const lines = outputLines(stdout);
    expect(lines.map((l) => l.id)).toEqual(['nul', 'cust', null, 'emoji']);
    expect(lines[2]).toMatchObject({ line: 3, error: expect.any(String) });
    expect(stderr).toContain('hostile.jsonl:3: 読めない行です');
    const emoji = lines[3] as { findings: { rule: string; start: number; text: string }[] };
    expect(emoji.findings.find((f) => f.rule === 'dekimasen')).toMatchObject({ start: 9, text: 'できません' });
    expect(code).toBe(2);
  });

  it('reads JSONL from standard input with --batch -', async () => {
    const { stdout } = await kizuki(['check', ...own, '--batch', '-'], readFileSync(file('replies.jsonl'), 'utf8'));
    expect(outputLines(stdout).map((r) => r.id)).toEqual(['a-1', 7, 'a-3', 'a-4']);
  });

  it('reports unreadable lines by line number, keeps going, and exits 2', async () => {
    const { code, stdout, stderr } = await kizuki(['check', ...own, '--batch', file('broken.jsonl')]);
    expect(code).toBe(2);
    expect(stderr).toContain(`kizuki: ${file('broken.jsonl')}:2: 読めない行です: "draft"（文字列）が必要です`);
    expect(stderr).toContain(`kizuki: ${file('broken.jsonl')}:3: 読めない行です:`);
    const lines = outputLines(stdout);
    expect(lines.map((l) => l.id ?? `line ${l.line}`)).toEqual(['a-1', 'line 2', 'line 3', 7]);
  });

  it('a missing batch file is an I/O error naming the file', async () => {
    const { code, stderr } = await kizuki(['check', ...own, '--batch', file('nope.jsonl')]);
    expect(code).toBe(2);
    expect(stderr).toBe(`kizuki: ${file('nope.jsonl')}: ファイルが見つかりません\n`);
  });
});

describe('kizuki pack test', () => {
  it('prints each rule with its example counts and exits 0 when all examples pass', async () => {
    const { code, stdout } = await kizuki(['pack', 'test', file('pack.yaml')]);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        `${file('pack.yaml')}: CLI テスト 1.0.0（3 ルール）`,
        '  ✓ conj（flag 1、pass 1）',
        '  ✓ ryokai（flag 1、pass 0）',
        '  ? apology（flag 0、pass 0） 例がありません',
        '  3 passed, 0 failed',
        '',
      ].join('\n'),
    );
  });

  it('marks the failing rule, shows the failing example and why, and exits 1', async () => {
    const { code, stdout } = await kizuki(['pack', 'test', file('pack.yaml'), file('failing.yaml')]);
    expect(code).toBe(1);
    expect(stdout).toContain(
      [
        '  ✗ conj（flag 1、pass 2）',
        '      pass[1] pass の例なのに 「でも」 が指摘されました',
        '        例: "でも、大丈夫です。"',
        '  ✓ ryokai（flag 1、pass 0）',
      ].join('\n'),
    );
    expect(stdout).toContain('  3 passed, 1 failed');
  });

  it('exits 2 when a pack cannot be loaded, naming file, line, rule and field, and still tests the others', async () => {
    const { code, stdout, stderr } = await kizuki(['pack', 'test', file('invalid.yaml'), file('missing.yaml'), file('pack.yaml')]);
    expect(code).toBe(2);
    expect(stderr).toContain(`kizuki: ${file('invalid.yaml')}: 読み込めません\n  ${file('invalid.yaml')}:18 ルール ryokai rules[1].kind: kind は phrase / morpheme / substitution / requirement / conditional のいずれかです（"replace" は不可）`);
    expect(stderr).toContain(`kizuki: ${file('missing.yaml')}: 読み込めません\n  ${file('missing.yaml')}: ファイルが見つかりません`);
    expect(stdout).toContain('  3 passed, 0 failed');
  });

  it('passes on the built-in pack', async () => {
    const { code, stdout } = await kizuki(['pack', 'test', builtinPackPath]);
    expect(stdout).not.toContain('✗');
    expect(code).toBe(0);
  });
});
