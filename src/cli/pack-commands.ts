// Pack authoring commands for QA leads: `pack lint`, `pack import-prh`, and `check --pack` over a folder of
// canned replies / Zendesk macros. Kept out of main.ts, which only dispatches here.
import { readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { statSync } from 'node:fs';
import { createEngine, formatPackError, type LayerIssue, type LoadedPack } from '../engine/index';
import { lintPack, formatLintProblem } from '../authoring/lint';
import { importPrh } from '../authoring/prh';
import { templatesFromZendesk, summariseTemplate, sortSummaries, type Template, type TemplateSummary } from '../authoring/templates';
import { sharedTokenizer } from '../node/dictionary';
import { loadBuiltinPack, readTextFile } from '../node/packs';
import { parseArgs, UsageError } from './args';
import { displayWidth } from './format';
import type { Io } from './main';

export const PACK_USAGE = `  kizuki pack lint [--no-builtin] [--strict] FILE...
  kizuki pack import-prh FILE.yml [-o OUT.yaml] [--id ID] [--severity error|warning|info]
  kizuki check --pack FILE... [--no-builtin] [--format text|json] DIR|FILE...

  pack lint    スキーマ・重複 ID・標準ルールの上書き・正規表現・例の失敗・例の不足を検査します
               （複数のファイルは 標準 → 1 つ目 → 2 つ目 … の順に重ねて検査）
  --strict     警告があっても終了コード 1
  import-prh   prh の辞書（YAML）を kizuki のパックに変換します（-o がなければ標準出力）
  check DIR    フォルダー内の定型文（.txt/.md）と Zendesk のマクロ（.json）をまとめて確認し、一覧表を出します`;

export function formatLayerIssue(issue: LayerIssue): string {
  const where = [issue.file ? issue.file + (issue.line ? `:${issue.line}` : '') : issue.pack, issue.rule ? `ルール ${issue.rule}` : '', issue.path ?? '']
    .filter(Boolean)
    .join(' ');
  return `${issue.severity === 'error' ? 'エラー' : '警告'} ${where}: ${issue.message}`;
}

export async function packLint(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, { values: [], flags: ['--no-builtin', '--strict'] });
  if (args.positionals.length === 0) throw new UsageError('検査するパックのファイルを指定してください');
  const tokenizer = await sharedTokenizer();
  const base: LoadedPack[] = [];
  if (!args.flags.has('--no-builtin')) {
    const builtin = await loadBuiltinPack(tokenizer);
    if (builtin.ok) base.push(builtin.pack);
    else io.stderr(`kizuki: 標準パックを読み込めません:\n${builtin.errors.map(formatPackError).join('\n')}\n`);
  }
  let errors = 0;
  let warnings = 0;
  for (const file of args.positionals) {
    let text: string;
    try {
      text = await readTextFile(file);
    } catch (error) {
      io.stdout(`エラー ${(error as Error).message}\n`);
      errors++;
      continue;
    }
    const { problems, pack } = await lintPack(text, file, { tokenizer, base });
    for (const p of problems) io.stdout(formatLintProblem(p) + '\n');
    errors += problems.filter((p) => p.severity === 'error').length;
    warnings += problems.filter((p) => p.severity === 'warning').length;
    if (pack) base.push(pack);
  }
  io.stdout(`${args.positionals.length} ファイル: エラー ${errors}、警告 ${warnings}\n`);
  return errors > 0 || (args.flags.has('--strict') && warnings > 0) ? 1 : 0;
}

export async function packImportPrh(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, { values: ['-o', '--output', '--id', '--severity'], flags: [] });
  if (args.positionals.length !== 1) throw new UsageError('変換する prh の辞書ファイルを 1 つ指定してください');
  const file = args.positionals[0]!;
  const out = args.values.get('-o')?.at(-1) ?? args.values.get('--output')?.at(-1);
  const severity = args.values.get('--severity')?.at(-1) ?? 'warning';
  if (severity !== 'error' && severity !== 'warning' && severity !== 'info') throw new UsageError(`--severity は error / warning / info です: ${severity}`);
  const slug = (name: string) => path.basename(name).replace(/\.[^.]*$/, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  const packId = args.values.get('--id')?.at(-1) ?? (slug(out ?? file) || 'prh');
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(packId)) throw new UsageError(`--id は英小文字・数字・. _ - で書いてください: ${packId}`);
  const text = await readTextFile(file);
  const result = await importPrh(text, file, { readFile: readTextFile, packId, severity });
  for (const e of result.errors) io.stderr(`kizuki: ${e.file}: ${e.message}\n`);
  for (const s of result.skipped) io.stderr(`kizuki: ${s.file} rules[${s.index}]（${s.expected}）を除外: ${s.reason}\n`);
  if (result.converted === 0 && result.errors.length > 0) return 2;
  if (out) {
    await writeFile(out, result.yaml);
    io.stderr(`kizuki: ${out} に ${result.converted} ルールを書き出しました（除外 ${result.skipped.length}）\n`);
  } else io.stdout(result.yaml);
  return result.skipped.length > 0 || result.errors.length > 0 ? 1 : 0;
}

/** `check` with a folder, several files or a .json macro export: the template report instead of one draft. */
export function isTemplateCheck(positionals: string[]): boolean {
  const isDirectory = (p: string) => statSync(p, { throwIfNoEntry: false })?.isDirectory() === true;
  return positionals.length > 1 || positionals.some((p) => p !== '-' && (p.toLowerCase().endsWith('.json') || isDirectory(p)));
}

const TEMPLATE_EXTENSIONS = ['.txt', '.md'];

/** `errors`: inputs that could not be read (exit 2); `notes`: macros skipped for a reason the lead should see. */
async function collectTemplates(inputs: string[], errors: string[], notes: string[]): Promise<Template[]> {
  const templates: Template[] = [];
  const visit = async (p: string, explicit: boolean): Promise<void> => {
    let info;
    try {
      info = await stat(p);
    } catch {
      errors.push(`${p}: ファイルが見つかりません`);
      return;
    }
    if (info.isDirectory()) {
      const entries = (await readdir(p)).sort();
      for (const entry of entries) if (!entry.startsWith('.')) await visit(path.join(p, entry), false);
      return;
    }
    const ext = path.extname(p).toLowerCase();
    try {
      if (ext === '.json') {
        const found = templatesFromZendesk(await readTextFile(p), p);
        templates.push(...found.templates);
        notes.push(...found.errors);
      } else if (explicit || TEMPLATE_EXTENSIONS.includes(ext)) {
        templates.push({ name: p, text: await readTextFile(p) });
      }
    } catch (error) {
      errors.push((error as Error).message);
    }
  };
  for (const input of inputs) await visit(input, true);
  return templates;
}

export async function checkTemplates(inputs: string[], packs: LoadedPack[], format: 'text' | 'json', io: Io): Promise<number> {
  const tokenizer = await sharedTokenizer();
  const engine = createEngine({ packs, tokenizer });
  const errors: string[] = [];
  const notes: string[] = [];
  const templates = await collectTemplates(inputs, errors, notes);
  for (const e of [...errors, ...notes]) io.stderr(`kizuki: ${e}\n`);
  if (templates.length === 0) {
    io.stderr('kizuki: 確認する定型文が見つかりません（.txt / .md / Zendesk の .json）\n');
    return 2;
  }
  const rows: (TemplateSummary & { findings?: unknown })[] = [];
  for (const t of templates) {
    const result = engine.analyze({ draft: t.text });
    rows.push(format === 'json' ? { ...summariseTemplate(t.name, result), findings: result.findings } : summariseTemplate(t.name, result));
  }
  const sorted = sortSummaries(rows);
  if (format === 'json') io.stdout(JSON.stringify({ templates: sorted }, null, 2) + '\n');
  else io.stdout(formatTemplateTable(sorted));
  // An input that could not be read is an I/O error (exit 2) even when the others were checked.
  return errors.length > 0 ? 2 : sorted.some((r) => r.counts.error > 0) ? 1 : 0;
}

export function formatTemplateTable(rows: TemplateSummary[]): string {
  const header = ['定型文', 'エラー', '警告', '情報', '主なルール'];
  const body = rows.map((r) => [
    r.name,
    String(r.counts.error),
    String(r.counts.warning),
    String(r.counts.info),
    r.topRules.slice(0, 3).map((t) => `${t.rule}×${t.count}`).join(', ') || '—',
  ]);
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...body.map((row) => displayWidth(row[i]!))));
  const pad = (cell: string, i: number) => (i >= 1 && i <= 3 ? ' '.repeat(widths[i]! - displayWidth(cell)) + cell : cell + ' '.repeat(widths[i]! - displayWidth(cell)));
  const line = (row: string[]) => row.map(pad).join('  ').trimEnd();
  const failing = rows.filter((r) => r.counts.error + r.counts.warning > 0).length;
  const total = (s: 'error' | 'warning' | 'info') => rows.reduce((n, r) => n + r.counts[s], 0);
  return [
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...body.map(line),
    '',
    `${rows.length} 件の定型文のうち ${failing} 件にエラーか警告があります（エラー ${total('error')}、警告 ${total('warning')}、情報 ${total('info')}）`,
  ].join('\n') + '\n';
}

