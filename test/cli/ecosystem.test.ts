// What a newcomer expects from a CLI in this ecosystem: --version, help in their language, --fix / --fix-dry-run as
// in textlint and ESLint (only rules marked `fix: safe`, through the engine's own suggestionEdit), and line diffs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { languageOf, type Language } from '../../src/cli/io';
import { unifiedDiff } from '../../src/cli/diff';
import { CLI_PACK, kizuki, scratch } from './fixtures';

async function inLanguage(language: Language, argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readStdin: async () => new Uint8Array(), isTTY: false, language });
  return { code, stdout, stderr };
}

describe('kizuki --version and --help', () => {
  it('prints the package version', async () => {
    const { code, stdout } = await kizuki(['--version']);
    expect(code).toBe(0);
    expect(stdout).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version + '\n');
  });

  it('follows the locale: Japanese by default and for ja_*, English otherwise, every command in one list', async () => {
    expect(languageOf({})).toBe('ja');
    expect(languageOf({ LANG: 'ja_JP.UTF-8' })).toBe('ja');
    expect(languageOf({ LANG: 'en_US.UTF-8' })).toBe('en');
    expect(languageOf({ LANG: 'C.UTF-8' })).toBe('en');
    expect(languageOf({ LANG: 'en_US.UTF-8', LC_ALL: 'ja_JP.UTF-8' })).toBe('ja');
    const ja = await inLanguage('ja', ['--help']);
    const en = await inLanguage('en', ['--help']);
    expect(ja.stdout).toMatch(/^使い方:/);
    expect(en.stdout).toMatch(/^Usage:/);
    for (const out of [ja.stdout, en.stdout]) {
      for (const command of ['kizuki check ', 'kizuki check --batch', 'kizuki check --templates', 'kizuki pack test', 'kizuki pack lint', 'kizuki pack import-prh', 'kizuki --version', '--fix-dry-run', '--on-builtin']) {
        expect(out).toContain(command);
      }
    }
    expect((await inLanguage('en', ['nope'])).stderr).toContain('Usage:');
  });
});

const SAFE_PACK = CLI_PACK.replace('    regex: 了解(しました|です)', '    fix: safe\n    regex: 了解(しました|です)');

describe('kizuki check --fix / --fix-dry-run', () => {
  it('--fix-dry-run prints the diff of the safe fixes and what would be left, writing nothing', async () => {
    const at = scratch({ 'safe.yaml': SAFE_PACK, 'reply.txt': 'お問い合わせありがとうございます。\n了解しました。でも、確認します。\n了解です。\n' });
    const { code, stdout } = await kizuki(['check', '--no-builtin', '--pack', at('safe.yaml'), '--fix-dry-run', at('reply.txt')]);
    expect(readFileSync(at('reply.txt'), 'utf8')).toContain('了解しました');
    expect(stdout).toContain(`-了解しました。でも、確認します。\n-了解です。\n+承知いたしました。でも、確認します。\n+承知いたしました。\n`);
    expect(stdout).toContain('2 件を修正します（--fix-dry-run のため書き込みません）: ryokai×2');
    // The conjunction rule is not marked safe: it is still reported, and it is an error.
    expect(stdout).toMatch(/reply\.txt:2:10 error 「でも」は避けましょう/);
    expect(code).toBe(1);
  });

  it('--fix rewrites the file with the same edit one click makes, and reports only what is left', async () => {
    const at = scratch({ 'safe.yaml': SAFE_PACK, 'reply.txt': '了解しました。' });
    const { code, stdout } = await kizuki(['check', '--no-builtin', '--pack', at('safe.yaml'), '--fix', at('reply.txt')]);
    expect(readFileSync(at('reply.txt'), 'utf8')).toBe('承知いたしました。');
    expect(stdout).toContain('1 件を修正しました: ryokai');
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('指摘はありません。');
    expect(code).toBe(0);
    const again = await kizuki(['check', '--no-builtin', '--pack', at('safe.yaml'), '--fix', at('reply.txt')]);
    expect(again.stdout).toContain('自動で修正できる指摘はありません');
  });

  it('a later pack can mark an earlier pack\'s rule safe through overrides', async () => {
    const at = scratch({ 'pack.yaml': CLI_PACK, 'team.yaml': 'id: team\nname: team\nversion: 1.0.0\noverrides:\n  - { rule: cli-test/ryokai, fix: safe }\n' });
    const { stdout } = await kizuki(['check', '--no-builtin', '--pack', at('pack.yaml'), '--pack', at('team.yaml'), '--fix-dry-run'], '了解しました。');
    expect(stdout).toContain('+承知いたしました。');
    expect(stdout).toContain('1 件を修正します');
  });

  it('applies nothing for rules not marked safe, and refuses --fix on standard input', async () => {
    const at = scratch({ 'pack.yaml': CLI_PACK });
    const dry = await kizuki(['check', '--no-builtin', '--pack', at('pack.yaml'), '--fix-dry-run'], '了解しました。');
    expect(dry.stdout).toContain('自動で修正できる指摘はありません');
    expect(dry.stdout).toContain('[keigo/ryokai]');
    const refused = await kizuki(['check', '--no-builtin', '--pack', at('pack.yaml'), '--fix'], '了解しました。');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--fix は標準入力には使えません');
  });
});

describe('unifiedDiff', () => {
  it('prints hunks with line numbers and one line of context', () => {
    expect(unifiedDiff('a\nb\nc\nd\ne\nf', 'a\nB\nc\nd\ne\nF', 'x.txt')).toBe('--- x.txt\n+++ x.txt\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n@@ -5,2 +5,2 @@\n e\n-f\n+F\n');
    expect(unifiedDiff('same', 'same', 'x')).toBe('');
  });
});
