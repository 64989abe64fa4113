// `kizuki stats report a.csv b.csv … -o report.html [--pack FILE]... [--no-builtin]`: merges the agents' counts-only
// exports into one self-contained HTML report (src/stats/report.ts). Rule ids are shown with their readable titles,
// taken from the built-in pack and the packs given with --pack (messages filled by each rule's own first example).
import { writeFile } from 'node:fs/promises';
import { formatPackError, stackPacks, type LoadedPack } from '../engine/index';
import { sharedTokenizer } from '../node/dictionary';
import { loadBuiltinPack, readPackFile, readTextFile } from '../node/packs';
import { ruleTitles } from '../distribution/rule-titles';
import { emptyMerged, parseStatsCsv, renderReportHtml, summarise } from '../stats/report';
import { parseArgs, UsageError } from './args';
import type { Io } from './io';

export const STATS_USAGE = `  kizuki stats report FILE.csv... -o REPORT.html [--pack FILE]... [--no-builtin]

  stats report 担当者が書き出した統計 CSV（回数だけ）を合算し、1 つの HTML レポートにします
               （ルールごと・週ごとの指摘・修正・無視、グラフ、よく無視されるルール）。
               レポートには文章もファイル名も入らず、どの数字が誰のものかは分かりません。`;

export async function statsCommand(argv: string[], io: Io): Promise<number> {
  if (argv[0] !== 'report') throw new UsageError(`使い方:\n${STATS_USAGE}`);
  const args = parseArgs(argv.slice(1), { values: ['-o', '--output', '--pack'], flags: ['--no-builtin'] });
  const out = args.values.get('-o')?.[0] ?? args.values.get('--output')?.[0];
  if (!out) throw new UsageError('-o でレポートの出力先（.html）を指定してください');
  if (args.positionals.length === 0) throw new UsageError('統計の CSV ファイルを 1 つ以上指定してください');

  const merged = emptyMerged();
  for (const file of args.positionals) {
    try {
      parseStatsCsv(await readTextFile(file), merged);
    } catch (error) {
      io.stderr(`kizuki: ${file}: ${(error as Error).message}\n`);
      return 2;
    }
  }

  const tokenizer = await sharedTokenizer();
  const packs: LoadedPack[] = [];
  if (!args.flags.has('--no-builtin')) {
    const builtin = await loadBuiltinPack(tokenizer);
    if (builtin.ok) packs.push(builtin.pack);
  }
  for (const file of args.values.get('--pack') ?? []) {
    const result = await readPackFile(file, { tokenizer, baseSignals: packs.flatMap((p) => p.signals), runExamples: false });
    if (!result.ok) {
      io.stderr(`kizuki: ルールパックを読み込めません:\n${result.errors.map(formatPackError).join('\n')}\n`);
      return 2;
    }
    packs.push(result.pack);
  }
  const titles = ruleTitles(stackPacks(packs).packs, tokenizer);
  const data = summarise(merged, titles);
  await writeFile(out, renderReportHtml(data, new Date()));
  io.stdout(
    `${out}: ${merged.files} 件の書き出し、${data.weeks.length} 週、${data.rules.length} ルールを合算しました` +
      `（指摘 ${data.totals.reduce((n, t) => n + t.fired, 0)}）${merged.refused ? `。読めなかった ${merged.refused} 行は使っていません` : ''}\n`,
  );
  return 0;
}
