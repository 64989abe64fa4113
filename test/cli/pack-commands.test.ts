import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtemp, mkdir, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main, type Io } from '../../src/cli/main';
import { loadPackText } from '../../src/engine/index';
import { htmlToText, templatesFromZendesk } from '../../src/authoring/templates';

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readStdin: async () => new Uint8Array(), isTTY: false };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

let dir: string;
const at = (name: string) => path.join(dir, name);

const TEAM = `id: team
name: チーム
version: 1.0.0
overrides:
  - { rule: org/no-such-rule, enabled: false }
rules:
  - id: muri
    kind: phrase
    category: forbidden-phrase
    severity: error
    message: 「{match}」は使いません
    phrases: [無理です]
    examples:
      flag: [それは無理です。]
      pass: [無理のない範囲で]
  - id: conjunction-demo
    kind: phrase
    category: forbidden-phrase
    severity: warning
    message: 接続詞
    phrases: [でも]
    examples:
      flag: [でも、]
      pass: [ですが、]
  - id: empty
    kind: phrase
    category: style
    severity: info
    message: 空
    regex: '(です)?'
    examples:
      flag: [大丈夫です]
  - id: stale
    kind: phrase
    category: style
    severity: warning
    message: 古い例
    phrases: [了解です]
    examples:
      flag: [了解しました]
`;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kizuki-packs-'));
  await writeFile(at('team.yaml'), TEAM);
  await writeFile(at('org.yaml'), 'id: org\nname: org\nversion: 1.0.0\nrules:\n  - { id: conjunction-demo, kind: phrase, category: c, severity: error, message: m, phrases: [ですから] }\n');
  await writeFile(at('broken.yaml'), 'id: b\nname: b\nversion: 1.0.0\nrules:\n  - { id: x, kind: phrase, category: c, severity: fatal, message: m, phrases: [a] }\n  - { id: y, kind: phrase, category: c, severity: info, message: m, regex: "a(?=b)" }\n');
  await mkdir(at('replies'));
  await writeFile(at('replies/refund.txt'), '返金は無理です。何卒ご了承ください。');
  await writeFile(at('replies/fine.md'), 'お問い合わせありがとうございます。');
  await writeFile(at('replies/notes.csv'), '無理です');
  await writeFile(at('replies/macros.json'), JSON.stringify({
    macros: [
      { title: '配送', actions: [{ field: 'comment_value_html', value: '<p>再送は<b>無理です</b>&amp;ご了承ください。</p><p>でも、代わりの品をお送りします。</p>' }] },
      { title: 'タグだけ', actions: [{ field: 'set_tags', value: 'x' }] },
    ],
  }));
  await writeFile(at('dict.yml'), 'version: 1\nrules:\n  - expected: 問い合わせ\n    pattern: 問合せ\n    specs: [{ from: 問合せください, to: 問い合わせください }]\n  - expected: $1\n    pattern: /(a)(?=b)/\n');
});

describe('kizuki pack lint', () => {
  it('reports shadowed ids, unknown override targets, empty-matching regexes, failing and missing examples with lines', async () => {
    // Linted on top of org.yaml (not the built-in pack, whose ids may change) exactly as a team pack on the built-ins.
    const { code, stdout } = await run(['pack', 'lint', at('org.yaml'), at('team.yaml')]);
    expect(code).toBe(1); // the `stale` rule's flag example no longer flags
    const lines = stdout.trim().split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^警告 .*team\.yaml:5 ルール org\/no-such-rule overrides\[0\]: 上書きの対象/));
    expect(lines).toContainEqual(expect.stringMatching(/^警告 .*team\.yaml:16 ルール conjunction-demo rules\[1\]: .*パック「org」.*org\/conjunction-demo/));
    expect(lines).toContainEqual(expect.stringMatching(/^警告 .*team\.yaml:30 ルール empty rules\[2\]\.regex: .*空の文字列/));
    expect(lines).toContainEqual(expect.stringMatching(/^エラー .*team\.yaml:\d+ ルール stale rules\[3\]\.examples\.flag\[0\]: flag の例なのに指摘されませんでした/));
    expect(lines).toContainEqual(expect.stringMatching(/^警告 .*ルール empty rules\[2\]\.examples\.pass: pass の例がありません/));
    expect(lines.filter((l) => l.startsWith('エラー'))).toHaveLength(1);
    expect(lines.at(-1)).toBe('2 ファイル: エラー 1、警告 6');
  });

  it('reports schema and regex errors of a broken pack with field paths and exits 1', async () => {
    const { code, stdout } = await run(['pack', 'lint', at('broken.yaml')]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/broken\.yaml:5 ルール x rules\[0\]\.severity: 値は/);
    const fixed = (await readFile(at('broken.yaml'), 'utf8')).replace('fatal', 'info');
    await writeFile(at('broken2.yaml'), fixed);
    const second = await run(['pack', 'lint', at('broken2.yaml')]);
    expect(second.stdout).toMatch(/broken2\.yaml:6 ルール y rules\[1\]\.regex: 正規表現 "a\(\?=b\)" は使えません/);
  });

  it('lints a pack on its own by default; --on-builtin checks it stacked on the built-in pack', async () => {
    await writeFile(at('on-builtin.yaml'), 'id: ob\nname: ob\nversion: 1.0.0\noverrides:\n  - { rule: builtin/dekimasen, severity: info }\nrules:\n  - { id: muri, kind: phrase, category: c, severity: error, message: m, phrases: [無理です], examples: { flag: [無理です], pass: [無理のない] } }\n');
    const alone = await run(['pack', 'lint', at('on-builtin.yaml')]);
    expect(alone.stdout).toMatch(/builtin\/dekimasen overrides\[0\]: 上書きの対象/);
    expect(alone.stdout).toContain('--on-builtin を付けて重ねて検査してください');
    const stacked = await run(['pack', 'lint', '--on-builtin', at('on-builtin.yaml')]);
    expect(stacked.stdout).not.toMatch(/上書きの対象/);
    expect(stacked.code).toBe(0);
  });

  it('a clean pack passes; --strict turns warnings into a failing exit code', async () => {
    await writeFile(at('clean.yaml'), 'id: c\nname: c\nversion: 1.0.0\nrules:\n  - { id: muri, kind: phrase, category: c, severity: error, message: m, phrases: [無理です], examples: { flag: [無理です], pass: [無理のない] } }\n');
    expect((await run(['pack', 'lint', at('clean.yaml')])).code).toBe(0);
    await writeFile(at('warn.yaml'), 'id: w\nname: w\nversion: 1.0.0\nrules:\n  - { id: muri, kind: phrase, category: c, severity: error, message: m, phrases: [無理です] }\n');
    expect((await run(['pack', 'lint', at('warn.yaml')])).code).toBe(0);
    expect((await run(['pack', 'lint', '--strict', at('warn.yaml')])).code).toBe(1);
    expect((await run(['pack', 'lint'])).code).toBe(2);
  });
});

describe('kizuki pack import-prh', () => {
  it('writes a pack that loads, reports skipped rules and exits 1 when something was left out', async () => {
    const { code, stderr } = await run(['pack', 'import-prh', at('dict.yml'), '-o', at('house.yaml')]);
    expect(code).toBe(1);
    expect(stderr).toContain('rules[1]');
    expect(stderr).toContain('先読み');
    const loaded = await loadPackText(await readFile(at('house.yaml'), 'utf8'), { file: 'house.yaml' });
    expect(loaded.ok).toBe(true);
    if (loaded.ok) expect(loaded.pack).toMatchObject({ id: 'house', rules: [{ kind: 'substitution', examples: { flag: [{ draft: '問合せください', fixed: '問い合わせください' }] } }] });
  });

  it('a missing file is a clear error with exit code 2', async () => {
    const { code, stderr } = await run(['pack', 'import-prh', at('nope.yml')]);
    expect(code).toBe(2);
    expect(stderr).toContain('ファイルが見つかりません');
  });
});

describe('kizuki check --templates over canned replies and Zendesk macros', () => {
  it('prints a table of templates, worst first, with counts and top rules, and exits 1 on errors', async () => {
    const { code, stdout, stderr } = await run(['check', '--templates', '--no-builtin', '--pack', at('clean.yaml'), at('replies')]);
    expect(code).toBe(1);
    const rows = stdout.split('\n');
    expect(rows[0]).toMatch(/^定型文\s+エラー\s+警告\s+情報\s+主なルール$/);
    expect(rows[2]).toMatch(/macros\.json#配送\s+1\s+0\s+0\s+c\/muri×1$/);
    expect(rows[3]).toMatch(/refund\.txt\s+1\s+0\s+0\s+c\/muri×1/);
    expect(rows[4]).toMatch(/fine\.md\s+0\s+0\s+0\s+—/);
    expect(stdout).not.toContain('notes.csv');
    expect(stdout).toContain('3 件の定型文のうち 2 件にエラーか警告があります（エラー 2、警告 0、情報 0）');
    expect(stderr).toContain('タグだけ');
  });

  it('without --templates, a folder or several files get the line-numbered findings, never the table', async () => {
    const { code, stdout } = await run(['check', '--no-builtin', '--pack', at('clean.yaml'), at('replies')]);
    expect(code).toBe(1);
    expect(stdout).not.toMatch(/^定型文/m);
    expect(stdout).toMatch(/refund\.txt:1:4 error m \[c\/muri\]/);
    expect(stdout).toMatch(/fine\.md/);
    expect(stdout).not.toContain('notes.csv');
    const two = await run(['check', '--no-builtin', '--pack', at('clean.yaml'), at('replies/refund.txt'), at('replies/fine.md')]);
    expect(two.stdout).toMatch(/refund\.txt:1:4 error m \[c\/muri\]/);
    expect(two.stdout.match(/指摘/g)?.length).toBeGreaterThanOrEqual(2);
  });

  it('json output lists findings per template; check FILE on one text file keeps its old output', async () => {
    const json = await run(['check', '--templates', '--no-builtin', '--pack', at('clean.yaml'), '--format', 'json', at('replies/macros.json')]);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.templates[0]).toMatchObject({ name: expect.stringContaining('#配送'), counts: { error: 1 } });
    expect(parsed.templates[0].findings.map((f: { text: string }) => f.text)).toContain('無理です');
    const single = await run(['check', '--no-builtin', '--pack', at('clean.yaml'), at('replies/refund.txt')]);
    expect(single.stdout).toMatch(/refund\.txt:1:4 error m \[c\/muri\]/);
  });
});

describe('Zendesk macro text', () => {
  it('strips HTML to text, drops scripts, decodes entities, and reads old array values', () => {
    expect(htmlToText('<p>A&amp;B&#12354;</p><p>次<br>行</p><script>alert("x")</script>')).toBe('A&Bあ\n次\n行');
    const { templates, errors } = templatesFromZendesk(JSON.stringify({ macro: { title: 'T', actions: [{ field: 'comment_value', value: ['channel:all', '本文'] }] } }), 'm.json');
    expect(errors).toEqual([]);
    expect(templates).toEqual([{ name: 'm.json#T', text: '本文' }]);
    expect(templatesFromZendesk('{"x":1}', 'bad.json').errors[0]).toContain('マクロが見つかりません');
    expect(templatesFromZendesk('{', 'bad.json').errors[0]).toContain('JSON として読めません');
  });
});
