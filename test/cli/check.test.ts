// `kizuki check` in-process: the text a QA lead reads, the JSON a script reads, and the exit codes.
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/index';
import { pack, tokenizer } from '../helpers';
import { CLI_PACK, kizuki, scratch } from './fixtures';

const DRAFT = 'お問い合わせありがとうございます。\r\nでも、了解しました。\n';
const file = scratch({
  'pack.yaml': CLI_PACK,
  'draft.txt': DRAFT,
  'ok.txt': '承知いたしました。\n',
  'warn.txt': '了解です。\n',
  'complaint.txt': '注文した商品が届きません。\n',
  'howto.txt': '使い方を教えてください。\n',
  'refusal.txt': '返品はできません。\n',
  'angry.txt': '何度も問い合わせているのに届きません！！上司を出してください。\n山田\n',
});
const own = ['--no-builtin', '--pack', file('pack.yaml')];

describe('kizuki check, text format', () => {
  it('says where an inserted suggestion goes (issue 8: the alternative is added after the refusal, not over it)', async () => {
    const { stdout } = await kizuki(['check', '--customer', file('angry.txt'), file('refusal.txt')]);
    expect(stdout).toContain('提案: 「代替案として、〇〇の方法はいかがでしょうか。」（代替案を添える・文の後に追加）');
    expect(stdout).toContain('提案: 「いただいたご要望は、今後の改善の参考とさせていただきます。」（要望を活かすことを伝える・文の後に追加）');
    expect(stdout).toContain('提案: 「ご不便をおかけしており、申し訳ございません。」（お詫びを添える・あいさつの後に追加）');
    expect(stdout).toContain('提案: 「確認のうえ、本日中に改めてご連絡いたします。」（次の対応を書く・結びの前に追加）');
    expect(stdout).toContain('提案: 「責任者に確認のうえ、本日〇〇時までに改めてご連絡いたします。」（引き取る一文を入れる・結びの前に追加）');
    expect(stdout).toContain('提案: 「山田様」（宛名を入れる・冒頭に追加）');
    // Replacements of the span say nothing more.
    expect(stdout).toContain('提案: 「できかねます」 / 「いたしかねます」');
  });

  it('prints line:col severity message, the line with the span marked under it, suggestions and a summary', async () => {
    const { code, stdout, stderr } = await kizuki(['check', ...own, file('draft.txt')]);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const name = file('draft.txt');
    expect(stdout).toBe(
      [
        `${name}:2:1 error 「でも」は避けましょう [forbidden-phrase/conj]`,
        '    でも、了解しました。',
        '    ^^^^',
        '    提案: （削除する） / 「恐れ入りますが」',
        '',
        `${name}:2:4 warning 「了解しました」は目上の方には使いません [keigo/ryokai]`,
        '    でも、了解しました。',
        `    ${' '.repeat(6)}${'^'.repeat(12)}`,
        '    提案: 「承知いたしました」',
        '',
        'チェックリスト:',
        '  – お詫び（不要） お客様のメッセージがないため、既定で不要としています。',
        '',
        '2 件の指摘（エラー 1、警告 1、情報 0）',
        '',
      ].join('\n'),
    );
  });

  it('shows the reply-level finding and the checklist reason when the customer complains (--customer)', async () => {
    const { code, stdout } = await kizuki(['check', ...own, '--customer', file('complaint.txt'), file('ok.txt')]);
    expect(code).toBe(0);
    expect(stdout).toContain(`${file('ok.txt')}（返信全体） warning 苦情があるのにお詫びがありません [missing-apology/apology]\n    提案: 「ご不便をおかけし申し訳ございません。」`);
    expect(stdout).toContain('  ✗ お詫び（不足） お客様のメッセージに「届きません」という苦情があるため必要です。');
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('1 件の指摘（エラー 0、警告 1、情報 0）');

    const howTo = await kizuki(['check', ...own, '--customer', file('howto.txt'), file('ok.txt')]);
    expect(howTo.stdout).toContain('  – お詫び（不要） お客様のメッセージに該当する様子がないため不要です。');
    expect(howTo.stdout.trimEnd().split('\n').at(-1)).toBe('指摘はありません。');
  });

  it('exits 0 when the findings are only warnings, 1 as soon as one is an error', async () => {
    expect((await kizuki(['check', ...own, file('warn.txt')])).code).toBe(0);
    expect((await kizuki(['check', ...own, file('ok.txt')])).code).toBe(0);
    expect((await kizuki(['check', ...own, file('draft.txt')])).code).toBe(1);
  });

  it('shows only some context around the mark on a long line, and marks spans on lines ended by a lone CR', async () => {
    const long = '確認いたしました。'.repeat(10) + 'でも、' + 'ご連絡いたします😀。'.repeat(10);
    const { stdout } = await kizuki(['check', ...own, '-'], long);
    const [, context, carets] = stdout.split('\n');
    const before = '確認いたしました。'.repeat(10).slice(-30);
    expect(context).toBe(`    ...${before}でも${('、' + 'ご連絡いたします😀。'.repeat(3)).slice(0, 30)}...`);
    expect(carets).toBe(`    ${' '.repeat(3 + 60)}^^^^`);
    const oldMac = await kizuki(['check', ...own, '-'], '承知いたしました。\rでも、確認します。\r以上です。');
    expect(oldMac.stdout.split('\n').slice(0, 3)).toEqual(['(標準入力):2:1 error 「でも」は避けましょう [forbidden-phrase/conj]', '    でも、確認します。', '    ^^^^']);
  });

  it('a 200,000-character draft: the first 100,000 are checked and the notice says so', async () => {
    const { code, stdout } = await kizuki(['check', ...own, '--format', 'json', '-'], 'でも、了解しました。'.repeat(20_000));
    expect(code).toBe(1);
    const { findings } = JSON.parse(stdout) as { findings: { rule: string; message: string }[] };
    expect(findings.at(-1)).toMatchObject({ rule: 'too-long' });
    expect(findings.at(-1)!.message).toContain('200,000');
  });

  it('reads the draft from standard input with - or no FILE', async () => {
    for (const argv of [['check', ...own, '-'], ['check', ...own]]) {
      const { code, stdout } = await kizuki(argv, 'ですから、了解です。');
      expect(code).toBe(1);
      expect(stdout).toContain('(標準入力):1:1 error 「ですから」は避けましょう');
    }
  });
});

describe('kizuki check, JSON format', () => {
  it('prints { findings, checklist } exactly as the engine returns them', async () => {
    const { code, stdout } = await kizuki(['check', ...own, '--format', 'json', '--customer', file('complaint.txt'), file('draft.txt')]);
    expect(code).toBe(1);
    const engine = createEngine({ packs: [await pack(CLI_PACK)], tokenizer: await tokenizer });
    const expected = engine.analyze({ draft: DRAFT, customer: '注文した商品が届きません。\n' });
    expect(JSON.parse(stdout)).toEqual(expected);
    expect(Object.keys(JSON.parse(stdout))).toEqual(['findings', 'checklist']);
    expect(expected.findings.map((f) => f.rule)).toEqual(['conj', 'ryokai', 'apology']);
  });

  it('accepts --format=json too', async () => {
    const { stdout } = await kizuki(['check', ...own, '--format=json', file('ok.txt')]);
    expect(JSON.parse(stdout)).toMatchObject({ findings: [], checklist: [{ rule: 'apology', state: 'not-required' }] });
  });
});

describe('kizuki check, packs', () => {
  it('uses the built-in pack by default: でも at the start of a sentence is a forbidden-phrase error', async () => {
    const { code, stdout } = await kizuki(['check', '--format', 'json', '-'], 'でも、それは仕様です。');
    expect(code).toBe(1);
    const { findings } = JSON.parse(stdout) as { findings: { pack: string; category: string; severity: string; text?: string }[] };
    expect(findings).toContainEqual(expect.objectContaining({ pack: 'builtin', category: 'forbidden-phrase', severity: 'error', text: expect.stringMatching(/^でも/) }));
  });

  it('adds --pack packs on top of the built-in one, or replaces it with --no-builtin', async () => {
    const both = JSON.parse((await kizuki(['check', '--format', 'json', '--pack', file('pack.yaml'), '-'], 'でも、了解しました。')).stdout);
    const packsSeen = new Set((both.findings as { pack: string }[]).map((f) => f.pack));
    expect([...packsSeen].sort()).toEqual(['builtin', 'cli-test']);
    const onlyOwn = JSON.parse((await kizuki(['check', '--format', 'json', ...own, '-'], 'でも、了解しました。')).stdout);
    expect(new Set((onlyOwn.findings as { pack: string }[]).map((f) => f.pack))).toEqual(new Set(['cli-test']));
  });
});

describe('kizuki usage errors (exit 2, message and usage on stderr)', () => {
  const cases: [string[], string][] = [
    [[], 'コマンドを指定してください'],
    [['frobnicate'], '不明なコマンドです: frobnicate'],
    [['check', '--format', 'xml'], '--format は text か json です: xml'],
    [['check', '--colour'], '不明なオプションです: --colour'],
    [['check', '--pack'], '--pack には値が必要です'],
    [['check', '--no-builtin', '-'], '--no-builtin のときは --pack でパックを指定してください'],
    [['check', '--score', '-'], '--score は --batch と一緒に使います'],
    [['check', '--batch', 'x.jsonl', 'draft.txt'], '--batch と FILE は同時に指定できません'],
    [['pack', 'test'], 'テストするパックのファイルを指定してください'],
  ];
  it.each(cases)('kizuki %j', async (argv, message) => {
    const { code, stdout, stderr } = await kizuki(argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`kizuki: ${message}`);
    expect(stderr).toContain('使い方:');
  });

  it('--help prints the usage and exits 0', async () => {
    const { code, stdout } = await kizuki(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('kizuki check [--customer FILE]');
  });
});

describe('kizuki I/O and pack errors (exit 2, naming the file)', () => {
  const bad = scratch({
    'image.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]),
    'latin1.txt': new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]),
    'invalid.yaml': CLI_PACK.replace('severity: error', 'severity: fatal'),
    'failing.yaml': CLI_PACK.replace('pass: [どなたでもご利用いただけます。]', 'pass: [でも、大丈夫です。]'),
    'draft.txt': '了解です。',
  });

  it('a binary draft file', async () => {
    const { code, stdout, stderr } = await kizuki(['check', ...own, bad('image.png')]);
    expect([code, stdout]).toEqual([2, '']);
    expect(stderr).toBe(`kizuki: ${bad('image.png')}: テキストファイルではありません（バイナリのようです）\n`);
  });

  it('a draft that is not UTF-8, a missing draft, a folder, a missing customer file', async () => {
    expect(await kizuki(['check', ...own, bad('latin1.txt')])).toMatchObject({ code: 2, stderr: `kizuki: ${bad('latin1.txt')}: UTF-8 のテキストとして読めません\n` });
    expect(await kizuki(['check', ...own, bad('nope.txt')])).toMatchObject({ code: 2, stderr: `kizuki: ${bad('nope.txt')}: ファイルが見つかりません\n` });
    // A folder is checked template by template; the unreadable ones are named and make the exit code 2.
    expect(await kizuki(['check', ...own, bad('')])).toMatchObject({ code: 2, stderr: expect.stringContaining(`${bad('latin1.txt')}: UTF-8 のテキストとして読めません`) });
    expect(await kizuki(['check', ...own, bad('nope.txt'), bad('draft.txt')])).toMatchObject({ code: 2, stderr: expect.stringContaining(`${bad('nope.txt')}: ファイルが見つかりません`) });
    expect(await kizuki(['check', ...own, '--customer', bad('nope.txt'), bad('draft.txt')])).toMatchObject({ code: 2, stderr: expect.stringContaining(`${bad('nope.txt')}: ファイルが見つかりません`) });
  });

  it('binary standard input', async () => {
    const { code, stderr } = await kizuki(['check', ...own, '-'], '\u0000\u0001');
    expect(code).toBe(2);
    expect(stderr).toContain('(標準入力): テキストファイルではありません');
  });

  it('a missing pack', async () => {
    const { code, stderr } = await kizuki(['check', '--pack', bad('missing.yaml'), bad('draft.txt')]);
    expect(code).toBe(2);
    expect(stderr).toBe(`kizuki: ルールパックを読み込めません:\n${bad('missing.yaml')}: ファイルが見つかりません\n`);
  });

  it('an invalid pack: file, line, rule and field path', async () => {
    const { code, stderr } = await kizuki(['check', '--pack', bad('invalid.yaml'), bad('draft.txt')]);
    expect(code).toBe(2);
    expect(stderr).toContain(`kizuki: ルールパックを読み込めません:\n${bad('invalid.yaml')}:10 ルール conj rules[0].severity: 値は "error" / "warning" / "info" のいずれかです（"fatal" は不可）`);
  });

  it('a pack whose example fails is refused, showing the example', async () => {
    const { code, stderr } = await kizuki(['check', '--pack', bad('failing.yaml'), bad('draft.txt')]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${bad('failing.yaml')}:16 ルール conj rules[0].examples.pass[0]: pass の例なのに 「でも」 が指摘されました\n    例: "でも、大丈夫です。"`);
  });
});
