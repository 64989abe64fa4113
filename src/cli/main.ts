// `kizuki`: check replies and test rule packs from a terminal.
// Exit codes: 0 no error finding / all examples pass; 1 an error finding / a failing example; 2 usage, I/O or pack errors.
import { createInterface } from 'node:readline';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import {
  createEngine,
  describeLimits,
  formatPackError,
  runExamples,
  stackPacks,
  type AnalyzeResult,
  type Engine,
  type LoadedPack,
  type Tokenizer,
} from '../engine/index';
import { evaluate, formatReport, type LabelledCase } from '../engine/evaluation';
import { sharedTokenizer } from '../node/dictionary';
import { decodeText, loadBuiltinPack, readPackFile, readTextFile } from '../node/packs';
import { parseArgs, UsageError } from './args';
import { formatText } from './format';
import { statsCommand, STATS_USAGE } from './stats-command';
import { checkTemplates, formatLayerIssue, isTemplateCheck, packImportPrh, packLint, PACK_USAGE } from './pack-commands';

const USAGE = `使い方:
  kizuki check [--customer FILE] [--pack FILE]... [--no-builtin] [--format text|json] [FILE|-]
  kizuki check --batch FILE.jsonl [--score] [--pack FILE]... [--no-builtin]
  kizuki pack test FILE...

  check        返信の下書きを確認します（FILE を省略するか - で標準入力）。
  --customer   お客様のメッセージのファイル（お詫び・共感などの判断に使います）
  --pack       追加のルールパック（YAML/JSON、複数可、後のものが優先）
  --no-builtin 標準パックを使わない
  --format     text（既定）または json
  --batch      1 行 1 件の JSONL {"id","draft","customer"?} を確認し、1 行 1 件で結果を出力
  --score      --batch の入力がラベル付き（docs/corpus-format.md）のとき、精度と再現率を表示
  pack test    各ルールの examples を実行し、ルールごとに結果を表示します
${PACK_USAGE}
${STATS_USAGE}
終了コード: 0 エラーなし / 1 エラーの指摘あり・例の失敗 / 2 使い方・入出力・パックの誤り`;

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<Uint8Array>;
  isTTY: boolean;
}

const processIo: Io = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readStdin: async () => {
    // Typing a draft into a terminal: say what is awaited, rather than seeming to hang.
    if (process.stdin.isTTY) process.stderr.write('kizuki: 標準入力から下書きを読み込みます（入力の終わりは Ctrl+D）\n');
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  },
  isTTY: process.stdout.isTTY === true && !process.env.NO_COLOR,
};

class ExitError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === 'check') return await check(rest, io);
    if (command === 'pack' && rest[0] === 'test') return await packTest(rest.slice(1), io);
    if (command === 'pack' && rest[0] === 'lint') return await packLint(rest.slice(1), io);
    if (command === 'pack' && rest[0] === 'import-prh') return await packImportPrh(rest.slice(1), io);
    if (command === 'stats') return await statsCommand(rest, io);
    if (command === '--help' || command === '-h' || command === 'help') {
      io.stdout(USAGE + '\n');
      return 0;
    }
    throw new UsageError(command ? `不明なコマンドです: ${[command, rest[0]].filter(Boolean).join(' ')}` : 'コマンドを指定してください');
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`kizuki: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof ExitError) {
      io.stderr(`kizuki: ${error.message}\n`);
      return error.code;
    }
    io.stderr(`kizuki: ${(error as Error).message ?? String(error)}\n`);
    return 2;
  }
}

async function loadPacks(builtin: boolean, files: string[], tokenizer: Tokenizer): Promise<LoadedPack[]> {
  const packs: LoadedPack[] = [];
  if (builtin) {
    const result = await loadBuiltinPack(tokenizer);
    if (!result.ok) throw new ExitError(`標準パックを読み込めません:\n${result.errors.map(formatPackError).join('\n')}`, 2);
    packs.push(result.pack);
  }
  for (const file of files) {
    const result = await readPackFile(file, { tokenizer, baseSignals: packs.flatMap((p) => p.signals) });
    if (!result.ok) throw new ExitError(`ルールパックを読み込めません:\n${result.errors.map(formatPackError).join('\n')}`, 2);
    packs.push(result.pack);
  }
  if (packs.length === 0) throw new UsageError('--no-builtin のときは --pack でパックを指定してください');
  // Later packs' overrides apply to earlier ones (layers.ts); layering problems are warnings on stderr.
  const stacked = stackPacks(packs);
  for (const issue of stacked.issues) process.stderr.write(`kizuki: ${formatLayerIssue(issue)}\n`);
  return stacked.packs;
}

async function check(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, { values: ['--customer', '--pack', '--format', '--batch'], flags: ['--no-builtin', '--score'] });
  const format = args.values.get('--format')?.at(-1) ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format は text か json です: ${format}`);
  const batch = args.values.get('--batch')?.at(-1);
  if (batch && args.positionals.length > 0) throw new UsageError('--batch と FILE は同時に指定できません');
  if (args.flags.has('--score') && !batch) throw new UsageError('--score は --batch と一緒に使います');
  if (!batch && isTemplateCheck(args.positionals)) {
    return checkTemplates(args.positionals, await loadPacks(!args.flags.has('--no-builtin'), args.values.get('--pack') ?? [], await sharedTokenizer()), format, io);
  }
  if (args.positionals.length > 1) throw new UsageError('FILE は 1 つだけ指定できます（複数は --batch を使ってください）');

  const tokenizer = await sharedTokenizer();
  const engine = createEngine({ packs: await loadPacks(!args.flags.has('--no-builtin'), args.values.get('--pack') ?? [], tokenizer), tokenizer });
  if (batch) return checkBatch(batch, engine, args.flags.has('--score'), io);

  const name = args.positionals[0] ?? '-';
  const draft = name === '-' ? decodeText(await io.readStdin(), '(標準入力)') : await readTextFile(name);
  const customerFile = args.values.get('--customer')?.at(-1);
  const customer = customerFile ? await readTextFile(customerFile) : undefined;
  const result = engine.analyze({ draft, customer });
  if (format === 'json') io.stdout(JSON.stringify(result, null, 2) + '\n');
  else io.stdout(formatText(name === '-' ? '(標準入力)' : name, draft, result, { color: io.isTTY }));
  return result.findings.some((f) => f.severity === 'error') ? 1 : 0;
}

async function checkBatch(file: string, engine: Engine, score: boolean, io: Io): Promise<number> {
  const input = file === '-' ? null : createReadStream(file);
  if (input) {
    await new Promise<void>((resolve, reject) => {
      input.once('open', () => resolve());
      input.once('error', (e) => reject(new ExitError(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'ファイルが見つかりません' : e.message}`, 2)));
    });
  }
  const lines = createInterface({ input: input ?? Readable.from(Buffer.from(await io.readStdin())), crlfDelay: Infinity });
  let lineNo = 0;
  let anyError = false;
  let badLines = 0;
  const cases: LabelledCase[] = [];
  const results: AnalyzeResult[] = [];
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    let item: { id?: unknown; draft?: unknown; customer?: unknown };
    try {
      item = JSON.parse(line);
      if (typeof item !== 'object' || item === null || typeof item.draft !== 'string') throw new Error('"draft"（文字列）が必要です');
      // null is how many JSON writers say "no customer message".
      if (item.customer !== undefined && item.customer !== null && typeof item.customer !== 'string') throw new Error('"customer" は文字列です');
    } catch (error) {
      badLines++;
      io.stderr(`kizuki: ${file}:${lineNo}: 読めない行です: ${(error as Error).message}\n`);
      io.stdout(JSON.stringify({ id: null, line: lineNo, error: (error as Error).message }) + '\n');
      continue;
    }
    let result: AnalyzeResult;
    try {
      result = engine.analyze({ draft: item.draft as string, customer: (item.customer ?? undefined) as string | undefined });
    } catch (error) {
      // One reply the engine cannot analyse is reported on its line; the rest of the batch still runs.
      badLines++;
      io.stderr(`kizuki: ${file}:${lineNo}: この返信は確認できませんでした: ${(error as Error)?.message ?? String(error)}\n`);
      io.stdout(JSON.stringify({ id: item.id ?? null, line: lineNo, error: `確認できませんでした: ${(error as Error)?.message ?? String(error)}` }) + '\n');
      continue;
    }
    anyError ||= result.findings.some((f) => f.severity === 'error');
    // Say on stderr when a cap was hit; the JSON line carries `limits` for programs.
    if (result.limits) io.stderr(`kizuki: ${file}:${lineNo}: 上限: ${describeLimits(result.limits)}\n`);
    if (score) {
      cases.push(item as LabelledCase);
      results.push(result);
    } else io.stdout(JSON.stringify({ id: item.id ?? null, ...result }) + '\n');
  }
  if (score) io.stdout(formatReport(evaluate(cases, results)) + '\n');
  return badLines > 0 ? 2 : anyError ? 1 : 0;
}

async function packTest(files: string[], io: Io): Promise<number> {
  if (files.length === 0) throw new UsageError('テストするパックのファイルを指定してください');
  const tokenizer = await sharedTokenizer();
  const builtin = await loadBuiltinPack(tokenizer);
  const baseSignals = builtin.ok ? builtin.pack.signals : [];
  let failed = false;
  let unreadable = false;
  for (const file of files) {
    // Load without examples first, so that example failures are reported per rule rather than as a refusal.
    const result = await readPackFile(file, { tokenizer, baseSignals, runExamples: false });
    if (!result.ok) {
      io.stderr(`kizuki: ${file}: 読み込めません\n${result.errors.map((e) => '  ' + formatPackError(e)).join('\n')}\n`);
      unreadable = true;
      continue;
    }
    const outcomes = runExamples(result.pack, { tokenizer, baseSignals });
    io.stdout(`${file}: ${result.pack.name} ${result.pack.version}（${result.pack.rules.length} ルール）\n`);
    for (const rule of result.pack.rules) {
      const own = outcomes.filter((o) => o.rule === rule.id);
      const bad = own.filter((o) => !o.passed);
      const mark = own.length === 0 ? '?' : bad.length === 0 ? '✓' : '✗';
      io.stdout(`  ${mark} ${rule.id}（flag ${rule.examples.flag.length}、pass ${rule.examples.pass.length}）${own.length === 0 ? ' 例がありません' : ''}\n`);
      for (const o of bad) io.stdout(`      ${o.kind}[${o.index}] ${o.message}\n        例: ${JSON.stringify(o.example.draft)}\n`);
    }
    const total = outcomes.length;
    const bad = outcomes.filter((o) => !o.passed).length;
    io.stdout(`  ${total - bad} passed, ${bad} failed\n`);
    if (bad > 0) failed = true;
  }
  // A pack that cannot be read or is invalid is an I/O or pack error (2), worse than a failing example (1).
  return unreadable ? 2 : failed ? 1 : 0;
}
